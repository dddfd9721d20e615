using MediaGateway.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Calendar;

/// <summary>Registers the working-day calendar (files checked now), the holiday notices loaded through the API, and their watch.</summary>
internal static class CalendarExtensions
{
    public static IServiceCollection AddCalendar(this IServiceCollection services, IConfiguration configuration, ConfigDirectory configDirectory)
    {
        services.TryAddSingleton(CalendarFiles.Load(configuration, configDirectory));
        services.TryAddSingleton<CalendarNotices>();
        services.AddHostedService<CalendarNotices.Sync>(); // start order: see StartOrder
        services.AddHostedService<NoticeWatcher>();
        return services;
    }
}
