using MediaGateway.Calendar;
using MediaGateway.Hosting;

namespace MediaGateway.Deadlines;

/// <summary>Registers the working-day calendar, the deadline rules and watchers (P10–P13), and the dormancy watch.</summary>
public static class DeadlinesSetup
{
    /// <summary>Loads Deadlines:* and Dormancy:* now, so a bad value stops the start with its key named.</summary>
    public static IServiceCollection AddDeadlines(this IServiceCollection services, IConfiguration configuration, ConfigDirectory configDirectory)
    {
        var calendar = CalendarFiles.Load(configuration, configDirectory);
        var settings = DeadlineSettings.Load(configuration);
        services.AddSingleton(calendar);
        services.AddSingleton(settings);
        services.AddSingleton<DeadlineClock>();
        services.AddSingleton<DeadlineViews>();
        services.AddSingleton<AccountActivity>();
        services.AddHostedService<CalendarCoverageCheck>();
        services.AddHostedService<DeadlineWatcher>();
        services.AddHostedService<DormancyWatcher>();
        return services;
    }
}

/// <summary>At start: warns when the calendar lacks the current or the next year (deadlines that need it show why they cannot be computed).</summary>
public sealed partial class CalendarCoverageCheck(WorkingDayCalendar calendar, TimeProvider time, ILogger<CalendarCoverageCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var year = WorkingDayCalendar.ChinaDay(time.GetUtcNow()).Year;
        foreach (var missing in new[] { year, year + 1 }.Where(y => !calendar.Covers(y)))
        {
            Log.YearMissing(logger, missing, string.Join(", ", calendar.Years));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(8001, LogLevel.Warning, "工作日历缺少 {Year} 年 / the working-day calendar has no holiday arrangement for {Year} (covered: {Covered}); add config/calendar/holidays-{Year}.json to Deadlines:CalendarFiles once the State Council publishes it — deadlines that need it show an error until then")]
        public static partial void YearMissing(ILogger logger, int year, string covered);
    }
}
