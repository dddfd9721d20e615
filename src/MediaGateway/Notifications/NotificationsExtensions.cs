using MediaGateway.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Notifications;

/// <summary>
/// Registers the notices: section "Notifications" (robots per review group), the router that turns audit entries into
/// robot and person notices, the robots' sender with its named HTTP client, and GET/POST /api/me/notifications.
/// </summary>
internal static class NotificationsExtensions
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<NotificationsOptions>(configuration, NotificationsOptions.Section);
        services.TryAddSingleton<NoticeStore>();
        if (services.FirstTime("Notifications"))
        {
            services.AddHttpClient(RobotNotifier.HttpClientName)
                .ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(10))
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseCookies = false })
                .RemoveAllLoggers(); // the request log would carry the robot's URL, and the URL (key or access_token) is the secret
            services.AddHostedService<NoticeRouter>();
            services.AddHostedService<RobotNotifier>();
        }

        return services;
    }
}
