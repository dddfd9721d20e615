namespace MediaGateway.Calendar;

/// <summary>A deadline needs a year the calendar files do not cover.</summary>
public sealed class CalendarYearMissingException(int year)
    : Exception($"工作日历缺少 {year} 年的节假日安排，无法计算期限 / the working-day calendar has no holiday arrangement for {year}; add config/calendar/holidays-{year}.json (Deadlines:CalendarFiles)")
{
    public int Year { get; } = year;
}

/// <summary>
/// Working days in China (Asia/Shanghai): Monday–Friday unless a holiday (休), plus the adjusted working weekend
/// days (调休上班) of the State Council's yearly arrangement. Pure: no I/O, no clock.
/// <para>
/// Convention for "within N working days of day X" (the one used in practice): day X itself is not counted,
/// counting starts the next day, and the deadline is the END of the N-th working day, i.e. 24:00 China time
/// (= 00:00 of the following day, +08:00).
/// </para>
/// </summary>
public sealed class WorkingDayCalendar
{
    /// <summary>Asia/Shanghai has had no daylight saving since 1991; the zone database is still the source.</summary>
    public static readonly TimeZoneInfo ChinaTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    // Replaced as a whole when the calendar files are reloaded (Reload/CalendarReload); readers see one set or the other.
    private volatile Dictionary<int, HolidayYear> _years;

    public WorkingDayCalendar(IEnumerable<HolidayYear> years) => _years = years.ToDictionary(y => y.Year);

    /// <summary>Takes over another calendar's years (a reload that passed every check).</summary>
    public void ReplaceWith(WorkingDayCalendar loaded) => _years = loaded._years;

    /// <summary>The years with a holiday arrangement, ascending.</summary>
    public IReadOnlyList<int> Years => [.. _years.Keys.Order()];

    public bool Covers(int year) => _years.ContainsKey(year);

    public HolidayYear? Year(int year) => _years.GetValueOrDefault(year);

    /// <summary>True for a working day; throws <see cref="CalendarYearMissingException"/> for a year without an arrangement.</summary>
    public bool IsWorkingDay(DateOnly day)
    {
        var year = _years.GetValueOrDefault(day.Year) ?? throw new CalendarYearMissingException(day.Year);
        if (year.AdjustedWorkingDays.Contains(day)) return true;
        if (year.OffDays.Contains(day)) return false;
        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The N-th working day after <paramref name="day"/> (the day itself not counted); N ≥ 1.</summary>
    public DateOnly AddWorkingDays(DateOnly day, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var current = day;
        var counted = 0;
        while (counted < n)
        {
            current = current.AddDays(1);
            if (IsWorkingDay(current)) counted++;
        }

        return current;
    }

    /// <summary>The N-th working day counted backwards from <paramref name="day"/>, the day itself counting as the first if it is a working day.</summary>
    public DateOnly NthWorkingDayOnOrBefore(DateOnly day, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var current = day.AddDays(1);
        var counted = 0;
        while (counted < n)
        {
            current = current.AddDays(-1);
            if (IsWorkingDay(current)) counted++;
        }

        return current;
    }

    /// <summary>Working days in the half-open range (<paramref name="after"/>, <paramref name="through"/>]: 0 when through ≤ after.</summary>
    public int WorkingDaysBetween(DateOnly after, DateOnly through)
    {
        var count = 0;
        for (var d = after.AddDays(1); d <= through; d = d.AddDays(1))
        {
            if (IsWorkingDay(d)) count++;
        }

        return count;
    }

    /// <summary>"Within N working days of <paramref name="issuedOn"/>": the end (24:00 China time) of the N-th working day after it.</summary>
    public DateTimeOffset WorkingDayDeadline(DateOnly issuedOn, int workingDays) => EndOfDay(AddWorkingDays(issuedOn, workingDays));

    /// <summary>24:00 China time of <paramref name="day"/>, i.e. 00:00 +08:00 of the next day.</summary>
    public static DateTimeOffset EndOfDay(DateOnly day) => StartOfDay(day.AddDays(1));

    /// <summary>00:00 China time of <paramref name="day"/>.</summary>
    public static DateTimeOffset StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, ChinaTime.GetUtcOffset(local));
    }

    /// <summary>The China calendar day of an instant.</summary>
    public static DateOnly ChinaDay(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, ChinaTime).DateTime);

    /// <summary>The China day a deadline instant closes: a deadline at 24:00 belongs to the day before the next midnight.</summary>
    public static DateOnly DeadlineDay(DateTimeOffset deadline) => ChinaDay(deadline.AddTicks(-1));
}

/// <summary>One year's State Council arrangement: whole-day holidays and the weekend days worked instead.</summary>
public sealed record HolidayYear(int Year, string Source, IReadOnlySet<DateOnly> OffDays, IReadOnlySet<DateOnly> AdjustedWorkingDays,
    IReadOnlyList<HolidayPeriod> Holidays);

/// <summary>A named holiday of the arrangement, as published.</summary>
public sealed record HolidayPeriod(string Name, IReadOnlyList<DateOnly> OffDays, IReadOnlyList<DateOnly> AdjustedWorkingDays);
