using MediaGateway.Hosting;

namespace MediaGateway.Notifications;

/// <summary>Registers the work-chat robot notices: section "Notifications" (robots per review group), the notifier.</summary>
internal static class NotificationsExtensions
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<NotificationsOptions>(configuration, NotificationsOptions.Section);
        services.AddHostedService<RobotNotifier>();
        return services;
    }
}
