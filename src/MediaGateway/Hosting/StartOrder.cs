using MediaGateway.Accounts;
using MediaGateway.Audit;
using MediaGateway.Calendar;
using MediaGateway.Publishing;
using MediaGateway.Storage;

namespace MediaGateway.Hosting;

/// <summary>
/// The one place where the order of background services is decided. The host starts hosted services one after the other
/// in registration order and stops them in the reverse order; features register theirs wherever their <c>AddX</c> is
/// called, so <see cref="Apply"/> (run once, after every feature is added) moves the services whose order matters to
/// the front, in the order below. Every other service starts after them, in registration order, and nothing else
/// depends on that.
/// </summary>
internal static class StartOrder
{
    /// <summary>First to start, last to stop; each with the reason it comes before what follows.</summary>
    public static readonly IReadOnlyList<Type> First =
    [
        // Demo only: the platform simulators listen before any worker makes its first platform call.
        typeof(EmbeddedSandboxes),
        // Production refuses a Redis without AOF (or with eviction) before anything is written to it.
        typeof(PersistenceGuard),
        // Stops after every service that appends to the audit chain (the event processor, WebhookWorker), so the
        // checkpoint taken at stop holds the last entry.
        typeof(AuditCheckpointer),
        // Holiday notices loaded through the API are in force before any deadline is counted.
        typeof(CalendarNotices.Sync),
        // Each account's seeded state (suspended, held…) is applied before the publish worker takes a publication.
        typeof(AccountStateSync),
        // Access tokens are being fetched while the publish workers start, instead of by their first calls.
        typeof(WeChatTokenKeeper),
    ];

    /// <summary>Moves the hosted services named in <see cref="First"/> to the front of the collection, in that order.</summary>
    public static IServiceCollection Apply(IServiceCollection services)
    {
        var ordered = new List<ServiceDescriptor>();
        foreach (var type in First)
        {
            var registered = services.Where(d => d.ServiceType == typeof(IHostedService) && ImplementationOf(d) == type).ToList();
            foreach (var descriptor in registered)
            {
                services.Remove(descriptor);
            }

            ordered.AddRange(registered);
        }

        for (var i = 0; i < ordered.Count; i++)
        {
            services.Insert(i, ordered[i]);
        }

        return services;
    }

    /// <summary>The hosted service a descriptor makes: its type, its instance's, or what its factory returns (<c>AddHostedService(sp => …)</c>).</summary>
    public static Type? ImplementationOf(ServiceDescriptor descriptor) =>
        descriptor.IsKeyedService ? null
        : descriptor.ImplementationType
          ?? descriptor.ImplementationInstance?.GetType()
          ?? descriptor.ImplementationFactory?.GetType().GenericTypeArguments.LastOrDefault();
}
