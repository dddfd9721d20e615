using MediaGateway.Accounts;
using MediaGateway.Hosting;
using MediaGateway.Observability;
using MediaGateway.Webhooks.Security;
using MediaGateway.Webhooks.Subscriptions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MediaGateway.Webhooks;

/// <summary>
/// Registers the webhook feature: section "Webhooks", configured subscriptions (checked now against the organisation),
/// the event factory every feature writes events with, the stores, the SSRF-safe HTTP client, and the worker.
/// </summary>
internal static class WebhooksExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration,
        DepartmentDirectory departments, AccountRegistry accounts, ConfigDirectory configDirectory)
    {
        services.AddValidatedOptions<WebhookOptions>(configuration, WebhookOptions.Section);
        var policy = AddressPolicy.FromConfiguration(configuration);
        services.TryAddSingleton(policy);
        services.TryAddSingleton(ConfiguredSubscriptions.Load(configuration, departments, accounts, configDirectory, policy));
        services.TryAddSingleton(new WebhookConnector(policy));
        services.TryAddSingleton<EventFactory>();
        services.TryAddSingleton<EventStore>();
        services.TryAddSingleton<WebhookStore>();
        services.TryAddSingleton<SubscriptionStore>();
        services.TryAddSingleton<SubscriptionSeeding>();
        services.AddHostedService(sp => sp.GetRequiredService<SubscriptionSeeding>());
        services.TryAddSingleton<SubscriptionDisabler>();
        services.TryAddSingleton<SubscriptionManagement>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<GatewayTracing>();
        services.TryAddTransient<WebhookDeliveryObserver>();
        if (services.FirstTime("Webhooks"))
        {
            services.AddHttpClient(WebhookSender.HttpClientName)
                .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan) // Webhooks:TimeoutSeconds governs each attempt
                .ConfigurePrimaryHttpMessageHandler(sp => Handler(sp.GetRequiredService<WebhookConnector>()))
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
                .AddHttpMessageHandler<WebhookDeliveryObserver>(); // counts each attempt and traces it in the item's trace
        }

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
