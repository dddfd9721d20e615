using System.Globalization;

namespace MediaGateway.Calendar;

/// <summary>
/// The statutory holidays of a year by 全国年节及纪念日放假办法 as amended in 2024 (State Council Order No. 795, in force
/// from 2025): New Year 1 day, Spring Festival 4 days from Chinese New Year's Eve, Qingming 1 day (the solar term),
/// Labour Day 2 days, Dragon Boat 1 day (lunar 5/5), Mid-Autumn 1 day (lunar 8/15), National Day 3 days.
/// Used as a <em>provisional</em> calendar for a year whose State Council notice is not loaded: it has no adjusted
/// working days (调休) and no bridge days, which only the notice sets. Pure: no I/O, no clock.
/// </summary>
internal static class StatutoryHolidays
{
    /// <summary>The first year the amended rules (13 days) apply; earlier years had other rules.</summary>
    public const int FirstYear = 2025;

    /// <summary>The last year the Qingming formula below (21st century) is used for.</summary>
    public const int LastYear = 2099;

    public const string Source = "按《全国年节及纪念日放假办法》（2024 年修订）法定节假日推算，待国务院当年放假安排公布后更新 / computed from the statutory holidays (2024 amendment); provisional until the year's State Council notice is loaded";

    private static readonly ChineseLunisolarCalendar Lunar = new();

    public static bool Covers(int year) => year is >= FirstYear and <= LastYear;

    /// <summary>The year's statutory holidays as a provisional <see cref="HolidayYear"/>; null for a year outside <see cref="FirstYear"/>–<see cref="LastYear"/>.</summary>
    public static HolidayYear? For(int year)
    {
        if (!Covers(year)) return null;
        var eve = ChineseNewYear(year).AddDays(-1);
        var periods = new List<HolidayPeriod>
        {
            Period("元旦 New Year's Day", new DateOnly(year, 1, 1), 1),
            Period("春节 Spring Festival", eve, 4),
            Period("清明节 Qingming Festival", Qingming(year), 1),
            Period("劳动节 Labour Day", new DateOnly(year, 5, 1), 2),
            Period("端午节 Dragon Boat Festival", LunarDate(year, 5, 5), 1),
            Period("中秋节 Mid-Autumn Festival", LunarDate(year, 8, 15), 1),
            Period("国庆节 National Day", new DateOnly(year, 10, 1), 3),
        };
        return new HolidayYear(year, Source, periods.SelectMany(p => p.OffDays).ToHashSet(), new HashSet<DateOnly>(), periods, Provisional: true);
    }

    /// <summary>Lunar 1/1 of the lunar year that starts in <paramref name="year"/> (always 21 Jan–20 Feb).</summary>
    public static DateOnly ChineseNewYear(int year) => LunarDate(year, 1, 1);

    /// <summary>
    /// The Gregorian date of lunar month <paramref name="month"/>, day <paramref name="day"/> of lunar year <paramref name="year"/>.
    /// In a year with a leap month, the months after it are numbered one higher by <see cref="ChineseLunisolarCalendar"/>
    /// (the leap month itself is <c>GetLeapMonth</c>), so a festival's ordinary month is shifted past it.
    /// </summary>
    public static DateOnly LunarDate(int year, int month, int day)
    {
        var leap = Lunar.GetLeapMonth(year);
        var calendarMonth = leap != 0 && month >= leap ? month + 1 : month;
        return DateOnly.FromDateTime(Lunar.ToDateTime(year, calendarMonth, day, 0, 0, 0, 0));
    }

    /// <summary>
    /// The Qingming solar term (清明), 4–6 April: day = ⌊Y·0.2422 + 4.81⌋ − ⌊Y/4⌋ with Y = year mod 100, the common
    /// formula for 2001–2099.
    /// </summary>
    public static DateOnly Qingming(int year)
    {
        if (year is < 2001 or > 2099) throw new ArgumentOutOfRangeException(nameof(year), year, "the Qingming formula covers 2001–2099");
        var y = year % 100;
        return new DateOnly(year, 4, (int)Math.Floor(y * 0.2422 + 4.81) - y / 4);
    }

    private static HolidayPeriod Period(string name, DateOnly first, int days) =>
        new(name, Enumerable.Range(0, days).Select(first.AddDays).ToList(), []);
}
