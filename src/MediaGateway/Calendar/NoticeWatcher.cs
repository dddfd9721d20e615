using System.Text.Json.Nodes;
using MediaGateway.Deadlines;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Calendar;

/// <summary>A year that lacks its State Council notice: already running (this year), or starting within the warning days.</summary>
internal sealed record MissingNotice(int Year, int DaysUntil, string Message);

/// <summary>Which years to warn about on a China day (decision 29). Pure: no I/O, no clock.</summary>
internal static class NoticeWarnings
{
    /// <summary>
    /// This year when it has no notice, and next year when 1 January is at most <paramref name="warningDays"/> days away
    /// (60: from 2 November, since 2 November to 1 January is 60 days) and it has no notice.
    /// </summary>
    public static IReadOnlyList<MissingNotice> For(DateOnly today, WorkingDayCalendar calendar, int warningDays)
    {
        var result = new List<MissingNotice>();
        if (!calendar.Covers(today.Year))
            result.Add(new MissingNotice(today.Year, 0,
                $"{today.Year} 年的国务院放假安排尚未载入，期限暂按法定节假日推算（暂定）；请管理员载入通知 / the {today.Year} State Council holiday notice is not loaded: deadlines run on the provisional statutory calendar; an administrator should load it"));
        var next = new DateOnly(today.Year + 1, 1, 1);
        var days = next.DayNumber - today.DayNumber;
        if (days <= warningDays && !calendar.Covers(next.Year))
            result.Add(new MissingNotice(next.Year, days,
                $"距 {next.Year} 年还有 {days} 天，该年国务院放假安排尚未载入，跨年期限暂按法定节假日推算（暂定）；通知公布后请管理员载入 / {days} days to {next.Year} and its State Council holiday notice is not loaded: deadlines into {next.Year} are provisional; load the notice once it is published"));
        return result;
    }
}

/// <summary>
/// Every Deadlines:CheckSeconds, announces each missing notice of <see cref="NoticeWarnings"/> as
/// <c>calendar.notice_missing</c> once per year — the first gateway to see it sets the marker
/// <c>{mg}:calendar:notice-missing:{year}</c> in the same transaction as the event — so subscribers hear it when the
/// warning starts, not every day. The console's banner shows it for as long as it lasts.
/// </summary>
internal sealed partial class NoticeWatcher(WorkingDayCalendar calendar, DeadlineSettings settings, EventStore store, RedisKeys keys,
    EventFactory events, TimeProvider time, ILogger<NoticeWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Log.CheckFailed(logger, e.Message);
            }

            try
            {
                await Task.Delay(settings.CheckInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task CheckAsync()
    {
        var today = WorkingDayCalendar.ChinaDay(time.GetUtcNow());
        foreach (var missing in NoticeWarnings.For(today, calendar, settings.NoticeWarningDays))
        {
            var marker = keys.CalendarNoticeMissing(missing.Year);
            if (await store.AnnouncedAsync(marker)) continue;
            var e = events.ForEveryone(EventTypes.CalendarNoticeMissing, "gateway", new JsonObject
            {
                ["year"] = missing.Year,
                ["daysUntil"] = missing.DaysUntil,
                ["warningDays"] = settings.NoticeWarningDays,
                ["provisional"] = calendar.IsProvisional(missing.Year),
                ["message"] = missing.Message,
                ["load"] = "POST /api/calendar/notices",
            });
            if (await store.AnnounceOnceAsync(marker, e, TimeSpan.FromDays(800))) Log.Missing(logger, missing.Year, missing.DaysUntil);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.HolidayNoticeMissing, LogLevel.Warning, "The State Council holiday notice for {Year} is not loaded ({Days} days to its start): deadlines into it are provisional")]
        public static partial void Missing(ILogger logger, int year, int days);

        [LoggerMessage(EventIds.HolidayNoticeCheckFailed, LogLevel.Warning, "Holiday notice check failed: {Reason}")]
        public static partial void CheckFailed(ILogger logger, string reason);
    }
}
