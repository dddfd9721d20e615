using System.Globalization;
using MediaGateway.Calendar;
using MediaGateway.Content;
using MediaGateway.Publishing;

namespace MediaGateway.Deadlines;

/// <summary>Where an item stands against its deadline.</summary>
internal enum DeadlineState
{
    /// <summary>Time is left and no warning threshold is reached.</summary>
    Running,
    /// <summary>A warning threshold is reached (Deadlines:ApproachingThresholds).</summary>
    Approaching,
    /// <summary>The deadline passed and nothing is published.</summary>
    Missed,
    /// <summary>Published by the deadline.</summary>
    Met,
    /// <summary>Published, but after the deadline.</summary>
    Late,
    /// <summary>Withdrawn: the clock no longer matters.</summary>
    Stopped,
    /// <summary>The deadline cannot be computed (a calendar year is missing, a date is missing); <c>Problem</c> says why.</summary>
    Unavailable,
}

/// <summary>
/// An item's deadline under its rule: when the clock started, when it ends, or why it cannot be computed.
/// <paramref name="Provisional"/>: the count ran through a year without a loaded State Council notice (statutory days only).
/// </summary>
internal sealed record DeadlineComputation(DeadlineRule Rule, DateTimeOffset? StartsAt, DateTimeOffset? Deadline, string? Problem, bool Provisional = false);

/// <summary>Computes deadlines (P10–P13) with the working-day calendar. Pure: the time is passed in.</summary>
internal sealed class DeadlineClock(WorkingDayCalendar calendar, DeadlineSettings settings)
{
    /// <summary>Shown with every deadline counted on the provisional calendar of a year without a notice.</summary>
    public const string ProvisionalNote = "按法定节假日推算，待国务院当年放假安排公布后更新 / computed from the statutory holidays; provisional until the year's State Council notice is loaded";

    public WorkingDayCalendar Calendar => calendar;

    public DeadlineSettings Settings => settings;

    /// <summary>The item's deadline, or null when its category has no rule.</summary>
    public DeadlineComputation? Compute(ContentItem item)
    {
        var rule = settings.RuleFor(item.Category);
        return rule is null ? null : Compute(rule, item.IssuedOn, item.ActivityEndsAt, item.CreatedAt);
    }

    public DeadlineComputation Compute(DeadlineRule rule, DateOnly? issuedOn, DateTimeOffset? activityEndsAt, DateTimeOffset submittedAt)
    {
        DateTimeOffset start;
        DateOnly startDay;
        switch (rule.From)
        {
            case ClockStart.IssuedOn when issuedOn is { } day:
                start = WorkingDayCalendar.EndOfDay(day);
                startDay = day;
                break;
            case ClockStart.IssuedOn:
                return new(rule, null, null, "缺少印发日期 issuedOn / the item has no issuedOn date");
            case ClockStart.ActivityEndsAt when activityEndsAt is { } ended:
                start = ended;
                startDay = WorkingDayCalendar.ChinaDay(ended);
                break;
            case ClockStart.ActivityEndsAt:
                return new(rule, null, null, "缺少活动结束时间 activityEndsAt / the item has no activityEndsAt");
            default:
                start = submittedAt;
                startDay = WorkingDayCalendar.ChinaDay(submittedAt);
                break;
        }

        if (rule.Hours is { } hours) return new(rule, start, start.AddHours(hours), null);
        try
        {
            var deadline = calendar.WorkingDayDeadline(startDay, rule.WorkingDays!.Value);
            return new(rule, start, deadline, null, calendar.AnyProvisional(startDay, WorkingDayCalendar.DeadlineDay(deadline)));
        }
        catch (CalendarYearMissingException e)
        {
            return new(rule, start, null, e.Message);
        }
    }

    /// <summary>When <paramref name="threshold"/> is reached for a deadline (null when the calendar cannot say).</summary>
    public DateTimeOffset? WarnAt(ApproachingThreshold threshold, DateTimeOffset start, DateTimeOffset deadline)
    {
        if (threshold.Hours is { } h) return deadline.AddHours(-h);
        if (threshold.FractionLeft is { } f) return deadline - TimeSpan.FromTicks((long)((deadline - start).Ticks * f));
        try
        {
            return WorkingDayCalendar.StartOfDay(calendar.NthWorkingDayOnOrBefore(WorkingDayCalendar.DeadlineDay(deadline), threshold.WorkingDays!.Value));
        }
        catch (CalendarYearMissingException)
        {
            return null;
        }
    }

    /// <summary>
    /// The thresholds reached at <paramref name="now"/> (before the deadline), in configured order. Working-day thresholds
    /// apply to rules counted in working days only; an hour rule (P11, P13) is warned by fraction or hours.
    /// </summary>
    public IReadOnlyList<ApproachingThreshold> Reached(DeadlineRule rule, DateTimeOffset start, DateTimeOffset deadline, DateTimeOffset now) =>
        now >= deadline ? [] : settings.Thresholds
            .Where(t => (t.WorkingDays is null || rule.WorkingDays is not null) && WarnAt(t, start, deadline) is { } at && now >= at).ToList();

    /// <summary>The first moment any publication of the item's current revision went live.</summary>
    public static DateTimeOffset? FirstPublished(IEnumerable<Publication> publications) =>
        publications.Where(p => p.PublishedAt is not null).Min(p => p.PublishedAt);

    public DeadlineState StateOf(ContentItem item, DeadlineComputation computation, DateTimeOffset? publishedAt, DateTimeOffset now)
    {
        if (computation.Deadline is not { } deadline) return DeadlineState.Unavailable;
        if (publishedAt is { } at) return at <= deadline ? DeadlineState.Met : DeadlineState.Late;
        if (item.Status == ContentStatus.Withdrawn) return DeadlineState.Stopped;
        if (now >= deadline) return DeadlineState.Missed;
        return Reached(computation.Rule, computation.StartsAt!.Value, deadline, now).Count > 0 ? DeadlineState.Approaching : DeadlineState.Running;
    }

    /// <summary>Working days left, today (China time) included when it is one; null for hour rules or when the calendar cannot say.</summary>
    public int? WorkingDaysLeft(DeadlineComputation computation, DateTimeOffset now)
    {
        if (computation.Rule.WorkingDays is null || computation.Deadline is not { } deadline || now >= deadline) return null;
        try
        {
            return calendar.WorkingDaysBetween(WorkingDayCalendar.ChinaDay(now).AddDays(-1), WorkingDayCalendar.DeadlineDay(deadline));
        }
        catch (CalendarYearMissingException)
        {
            return null;
        }
    }

    /// <summary>
    /// A deadline as the law reads it, in China time: a deadline at the end of a day (China midnight) is "by 24:00 of that
    /// day", never "00:00 of the next" (which an office reads as a day later): "2025年2月13日（星期四）24时前 / by the end of
    /// Thu 13 Feb 2025"; any other instant "2025年2月13日（星期四）17:30前 / by 17:30 on Thu 13 Feb 2025".
    /// </summary>
    public static string DueBy(DateTimeOffset deadline)
    {
        var china = deadline.ToOffset(TimeSpan.FromHours(8));
        var endOfDay = china.TimeOfDay == TimeSpan.Zero;
        var day = endOfDay ? china.AddDays(-1) : china;
        var english = day.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);
        var weekday = "日一二三四五六"[(int)day.DayOfWeek];
        var date = string.Create(CultureInfo.InvariantCulture, $"{day.Year}年{day.Month}月{day.Day}日（星期{weekday}）");
        return endOfDay
            ? $"{date}24时前 / by the end of {english}"
            : string.Create(CultureInfo.InvariantCulture, $"{date}{china:HH:mm}前 / by {china:HH:mm} on {english}");
    }

    /// <summary>"剩余 2 天 3 小时 / 2 d 3 h left" or "已超期 5 小时 / 5 h overdue".</summary>
    public static string Describe(TimeSpan left)
    {
        var abs = left.Duration();
        var text = abs.TotalDays >= 1 ? $"{(int)abs.TotalDays} 天 {abs.Hours} 小时|{(int)abs.TotalDays} d {abs.Hours} h"
            : abs.TotalHours >= 1 ? $"{(int)abs.TotalHours} 小时 {abs.Minutes} 分|{(int)abs.TotalHours} h {abs.Minutes} min"
            : $"{Math.Max(abs.Minutes, 0)} 分 {abs.Seconds} 秒|{abs.Minutes} min {abs.Seconds} s";
        var parts = text.Split('|');
        return left >= TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"剩余 {parts[0]} / {parts[1]} left")
            : string.Create(CultureInfo.InvariantCulture, $"已超期 {parts[0]} / {parts[1]} overdue");
    }
}
