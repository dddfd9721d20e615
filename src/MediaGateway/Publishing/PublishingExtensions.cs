using MediaGateway.Hosting;
using MediaGateway.Observability;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Platforms.Weibo;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MediaGateway.Publishing;

/// <summary>
/// Registers publishing: sections "Platforms" and "Publishing" with their cross-checks, the platform clients and the
/// WeChat token cache, the queue, the per-publication steps and publishers, and the workers.
/// </summary>
internal static class PublishingExtensions
{
    public static IServiceCollection AddPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PlatformsOptions>(configuration, PlatformsOptions.Section);
        services.AddValidatedOptions<PublishingOptions>(configuration, PublishingOptions.Section);
        services.AddOptionsRule<PublishingOptions, LeaseCoversOneCall>();
        services.AddOptionsRule<PublishingOptions, DrainFitsShutdown>();

        // The one token cache: Redis (shared by every instance), counted for mediagateway.token.refreshes.
        services.TryAddSingleton<RedisWeChatTokenCache>();
        services.TryAddSingleton<IWeChatTokenCache>(sp => new MeteredWeChatTokenCache(sp.GetRequiredService<RedisWeChatTokenCache>()));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<PlatformsOptions>>().Value.WeChat;
            var clientOptions = new WeChatClientOptions
            {
                BaseUrl = o.BaseUrl, Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds), LocalTokenHold = TimeSpan.FromSeconds(o.TokenHoldSeconds),
            };
            return new WeChatClient(clientOptions,
                sp.GetRequiredService<IWeChatTokenCache>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WeChatClient>>());
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<PlatformsOptions>>().Value.Weibo;
            return new WeiboClient(new WeiboClientOptions { BaseUrl = o.BaseUrl, Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds) },
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WeiboClient>>());
        });

        services.TryAddSingleton<PublicationStore>();
        services.TryAddSingleton<PublishQueue>();
        services.TryAddSingleton<PublicationMedia>();
        services.TryAddSingleton<PublishingControl>();
        services.TryAddSingleton<DeadLetters>();
        services.TryAddSingleton<PublicationOutcomes>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformPublisher, WeChatPublisher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformPublisher, WeiboPublisher>());
        services.TryAddSingleton<WeChatPushStore>();
        services.TryAddSingleton<QueueDepthStore>();
        services.TryAddSingleton<PostOwnership>();
        services.TryAddSingleton<WeChatMassSlots>();
        services.TryAddSingleton<StepInputReader>();
        services.TryAddSingleton<PublicationProcessor>();
        services.AddHostedService<WeChatTokenKeeper>(); // start order: see StartOrder
        services.AddHostedService<PublishWorker>();
        services.AddHostedService<WeiboTokenWatcher>();
        return services;
    }
}
