namespace MediaGateway.Calendar;

/// <summary>A deadline needs a year neither the calendar files nor the statutory computation (2025–2099) cover.</summary>
internal sealed class CalendarYearMissingException(int year)
    : Exception($"工作日历缺少 {year} 年的节假日安排，且该年不在法定节假日推算范围（{StatutoryHolidays.FirstYear}–{StatutoryHolidays.LastYear}）内，无法计算期限 / the working-day calendar has no holiday arrangement for {year} and {year} is outside the statutory computation ({StatutoryHolidays.FirstYear}–{StatutoryHolidays.LastYear}); add config/calendar/holidays-{year}.json (Deadlines:CalendarFiles)")
{
    public int Year { get; } = year;
}

/// <summary>
/// Working days in China (Asia/Shanghai): Monday–Friday unless a holiday (休), plus the adjusted working weekend
/// days (调休上班) of the State Council's yearly arrangement. A year without a loaded arrangement runs on the
/// <em>provisional</em> calendar of <see cref="StatutoryHolidays"/> (statutory days only, no 调休) when that covers it;
/// a loaded year is never provisional. Pure: no I/O, no clock.
/// <para>
/// Convention for "within N working days of day X" (the one used in practice): day X itself is not counted,
/// counting starts the next day, and the deadline is the END of the N-th working day, i.e. 24:00 China time
/// (= 00:00 of the following day, +08:00).
/// </para>
/// </summary>
internal sealed class WorkingDayCalendar
{
    /// <summary>Asia/Shanghai has had no daylight saving since 1991; the zone database is still the source.</summary>
    public static readonly TimeZoneInfo ChinaTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    // Replaced as a whole when the calendar files are reloaded (Reload/CalendarReload); readers see one set or the other.
    private volatile Dictionary<int, HolidayYear> _years;

    // The notices administrators loaded through the API (Redis, decision 29): they win over a file of the same year.
    // Replaced as a whole by CalendarNotices when it reads them; every gateway of the cluster reads the same set.
    private volatile Dictionary<int, LoadedNotice> _notices = [];

    // Provisional years depend on nothing loaded, so they are computed once per year and survive reloads.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, HolidayYear?> Provisionals = new();

    public WorkingDayCalendar(IEnumerable<HolidayYear> years) => _years = years.ToDictionary(y => y.Year);

    /// <summary>Takes over another calendar's years (a reload that passed every check).</summary>
    public void ReplaceWith(WorkingDayCalendar loaded) => _years = loaded._years;

    /// <summary>Takes the notices loaded through the API (all of them, as stored).</summary>
    public void ReplaceNotices(IEnumerable<LoadedNotice> notices) => _notices = notices.ToDictionary(n => n.Year.Year);

    /// <summary>The notice loaded through the API for <paramref name="year"/>, if any (it is in force over a file).</summary>
    public LoadedNotice? NoticeOf(int year) => _notices.GetValueOrDefault(year);

    /// <summary>The years with a loaded holiday arrangement (a State Council notice, from a file or the API), ascending.</summary>
    public IReadOnlyList<int> Years => [.. _years.Keys.Union(_notices.Keys).Order()];

    public bool Covers(int year) => _notices.ContainsKey(year) || _years.ContainsKey(year);

    /// <summary>The loaded arrangement of <paramref name="year"/> (API notice, else file), else its provisional statutory calendar, else null.</summary>
    public HolidayYear? Year(int year) => Loaded(year) ?? Provisionals.GetOrAdd(year, StatutoryHolidays.For);

    private HolidayYear? Loaded(int year) => _notices.GetValueOrDefault(year)?.Year ?? _years.GetValueOrDefault(year);

    /// <summary>True when <paramref name="year"/> has no loaded notice and runs on the provisional statutory calendar.</summary>
    public bool IsProvisional(int year) => Year(year) is { Provisional: true };

    /// <summary>
    /// True when a count over the days (<paramref name="after"/>, <paramref name="through"/>] used a provisional year,
    /// i.e. a deadline counted from <paramref name="after"/> to <paramref name="through"/> is provisional.
    /// </summary>
    public bool AnyProvisional(DateOnly after, DateOnly through)
    {
        for (var year = after.AddDays(1).Year; year <= through.Year; year++)
        {
            if (IsProvisional(year)) return true;
        }

        return false;
    }

    /// <summary>True for a working day; throws <see cref="CalendarYearMissingException"/> for a year neither loaded nor computable.</summary>
    public bool IsWorkingDay(DateOnly day)
    {
        // A notice's New Year holiday may begin in late December of the year before (the 2019 notice): it decides those days.
        if (day.Month == 12 && Loaded(day.Year + 1) is { } next)
        {
            if (next.AdjustedWorkingDays.Contains(day)) return true;
            if (next.OffDays.Contains(day)) return false;
        }

        var year = Year(day.Year) ?? throw new CalendarYearMissingException(day.Year);
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

/// <summary>
/// One year's State Council arrangement: whole-day holidays and the weekend days worked instead; or, with
/// <paramref name="Provisional"/>, the statutory holidays computed for a year whose notice is not loaded.
/// </summary>
internal sealed record HolidayYear(int Year, string Source, IReadOnlySet<DateOnly> OffDays, IReadOnlySet<DateOnly> AdjustedWorkingDays,
    IReadOnlyList<HolidayPeriod> Holidays, bool Provisional = false);

/// <summary>A notice an administrator loaded through the API: the year, who loaded it and when.</summary>
internal sealed record LoadedNotice(HolidayYear Year, string LoadedBy, DateTimeOffset LoadedAt);

/// <summary>A named holiday of the arrangement, as published.</summary>
internal sealed record HolidayPeriod(string Name, IReadOnlyList<DateOnly> OffDays, IReadOnlyList<DateOnly> AdjustedWorkingDays);
