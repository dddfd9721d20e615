using MediaGateway.Accounts;
using MediaGateway.Hosting;
using MediaGateway.Webhooks.Security;
using MediaGateway.Webhooks.Subscriptions;
using Microsoft.Extensions.Options;

namespace MediaGateway.Webhooks;

/// <summary>Registers the webhook feature: configured subscriptions (checked now), stores, the SSRF-safe HTTP client, the worker.</summary>
internal static class WebhooksSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration,
        DepartmentDirectory departments, AccountRegistry accounts, ConfigDirectory configDirectory)
    {
        var policy = AddressPolicy.FromConfiguration(configuration);
        services.AddSingleton(policy);
        services.AddSingleton(ConfiguredSubscriptions.Load(configuration, departments, accounts, configDirectory, policy));
        services.AddSingleton(new WebhookConnector(policy));
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<SubscriptionSeeding>();
        services.AddHostedService(sp => sp.GetRequiredService<SubscriptionSeeding>());
        services.AddSingleton<SubscriptionDisabler>();
        services.AddSingleton<SubscriptionManagement>();
        services.AddSingleton<WebhookSender>();
        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan) // Webhooks:TimeoutSeconds governs each attempt
            .ConfigurePrimaryHttpMessageHandler(sp => Handler(sp.GetRequiredService<WebhookConnector>()))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddHostedService<WebhookWorker>();
        return services;
    }

    /// <summary>No redirects, no cookies, no proxy (it would connect for us, unchecked), and every connection through the checked connector.</summary>
    public static SocketsHttpHandler Handler(WebhookConnector connector) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectCallback = connector.ConnectAsync,
        // Pooled connections keep their checked address; a new connection resolves and checks again.
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Used by tests and tools: the options as configured.</summary>
    public static WebhookOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<WebhookOptions>>().Value;
}
