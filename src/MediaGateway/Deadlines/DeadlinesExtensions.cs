using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Deadlines;

/// <summary>Registers the deadline rules and watchers (P10–P13) and the dormancy watch; they count on the working-day calendar (AddCalendar).</summary>
internal static class DeadlinesExtensions
{
    /// <summary>Loads Deadlines:* and Dormancy:* now, so a bad value stops the start with its key named.</summary>
    public static IServiceCollection AddDeadlines(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(DeadlineSettings.Load(configuration));
        services.TryAddSingleton<DeadlineClock>();
        services.TryAddSingleton<DeadlineViews>();
        services.TryAddSingleton<AccountActivityStore>();
        services.TryAddSingleton<AccountActivity>();
        services.AddHostedService<CalendarCoverageCheck>();
        services.AddHostedService<DeadlineWatcher>();
        services.AddHostedService<DormancyWatcher>();
        return services;
    }
}
