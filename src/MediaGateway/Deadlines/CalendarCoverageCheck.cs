using MediaGateway.Calendar;
using MediaGateway.Observability;

namespace MediaGateway.Deadlines;

/// <summary>
/// At start: warns when the calendar lacks the current or the next year's State Council notice. Such a year runs on the
/// provisional statutory calendar (8001); only a year the statutory computation cannot cover leaves deadlines unavailable (8002).
/// </summary>
internal sealed partial class CalendarCoverageCheck(WorkingDayCalendar calendar, TimeProvider time, ILogger<CalendarCoverageCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var year = WorkingDayCalendar.ChinaDay(time.GetUtcNow()).Year;
        foreach (var missing in new[] { year, year + 1 }.Where(y => !calendar.Covers(y)))
        {
            if (calendar.IsProvisional(missing)) Log.YearProvisional(logger, missing, string.Join(", ", calendar.Years));
            else Log.YearMissing(logger, missing, string.Join(", ", calendar.Years));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventIds.CalendarYearProvisional, LogLevel.Warning, "{Year} 年暂按法定节假日推算（临时工作日历，无调休）/ {Year} runs on a provisional calendar computed from the statutory holidays, without adjusted working days (notices loaded: {Covered}); deadlines that need it are computed and marked provisional. Once the State Council publishes it, an administrator loads it (console 放假安排, POST /api/calendar/notices) or add config/calendar/holidays-{Year}.json to Deadlines:CalendarFiles")]
        public static partial void YearProvisional(ILogger logger, int year, string covered);

        [LoggerMessage(EventIds.CalendarYearMissing, LogLevel.Warning, "工作日历缺少 {Year} 年 / the working-day calendar has no holiday arrangement for {Year} (covered: {Covered}) and the statutory computation does not cover it; add config/calendar/holidays-{Year}.json to Deadlines:CalendarFiles — deadlines that need it show an error until then")]
        public static partial void YearMissing(ILogger logger, int year, string covered);
    }
}
