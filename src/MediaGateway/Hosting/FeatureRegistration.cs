namespace MediaGateway.Hosting;

/// <summary>
/// Most registrations are <c>TryAdd*</c>, so a feature's <c>AddX</c> may be called twice, or before or after another
/// feature's, and nothing is registered twice. A few framework calls cannot be made idempotent that way (authentication
/// schemes, the OpenTelemetry pipelines, HTTP client handlers, <c>Configure</c> callbacks): the feature runs those once
/// per service collection, guarded by <see cref="FirstTime"/>.
/// </summary>
internal static class FeatureRegistration
{
    /// <summary>True the first time feature <paramref name="feature"/> is added to <paramref name="services"/>; false after.</summary>
    public static bool FirstTime(this IServiceCollection services, string feature)
    {
        if (services.Any(d => d.ServiceType == typeof(FeatureMarker) && d.ImplementationInstance is FeatureMarker m && m.Feature == feature))
        {
            return false;
        }

        services.AddSingleton(new FeatureMarker(feature));
        return true;
    }

    /// <summary>Marks a feature as added; resolving it has no use.</summary>
    internal sealed record FeatureMarker(string Feature);
}
