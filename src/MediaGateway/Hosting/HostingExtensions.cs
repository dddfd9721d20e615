using MediaGateway.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MediaGateway.Hosting;

/// <summary>What every feature relies on: the config directory, the clock, section "Gateway", and the API's conventions.</summary>
internal static class HostingExtensions
{
    /// <summary>The config directory, the clock every part reads (a test may pass its own), section "Gateway", and the banner at start.</summary>
    public static IServiceCollection AddGatewayBasics(this IServiceCollection services, IConfiguration configuration,
        ConfigDirectory configDirectory, TimeProvider? clock)
    {
        services.TryAddSingleton(configDirectory);
        if (clock is null)
        {
            services.TryAddSingleton(TimeProvider.System);
        }
        else
        {
            services.Replace(ServiceDescriptor.Singleton(clock)); // a test's clock wins over any default registered before
        }

        services.AddValidatedOptions<GatewayOptions>(configuration, GatewayOptions.Section);
        services.AddHostedService<StartupBanner>();
        return services;
    }

    /// <summary>Problem answers (RFC 9457), the exception handlers that write them, and JSON with enums by name only.</summary>
    public static IServiceCollection AddApiConventions(this IServiceCollection services)
    {
        if (!services.FirstTime("ApiConventions")) return services;
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.FillDetail);
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<StoreOutage.Handler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions, enumsByNameOnly: true));
        return services;
    }

    /// <summary>Problem answers for exceptions and bare status codes, the caller, and 503 while the store is unreachable.</summary>
    public static WebApplication UseApiConventions(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseStoreOutageGate();
        return app;
    }

    /// <summary>Demo only (Sandbox:Enabled): the platform simulators, the demo receiver and issuer, in this process.</summary>
    public static IServiceCollection AddSandboxes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SandboxOptions>(configuration, SandboxOptions.Section);
        if (configuration.GetValue<bool>("Sandbox:Enabled"))
        {
            services.TryAddSingleton<EmbeddedSandboxes>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedSandboxes>()); // start order: see StartOrder
        }

        return services;
    }

    /// <summary>The templates folder (Gateway:TemplatesDirectory, relative to the config directory).</summary>
    public static string TemplatesPath(this IServiceProvider services) => services.GetRequiredService<ConfigDirectory>()
        .Resolve(services.GetRequiredService<IOptions<GatewayOptions>>().Value.TemplatesDirectory);
}
