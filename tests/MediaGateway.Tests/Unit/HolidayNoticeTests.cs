using MediaGateway.Calendar;

namespace MediaGateway.Tests.Unit;

/// <summary>
/// Checking a State Council notice an administrator enters (decision 29), against the real 2019, 2025 and 2026
/// notices; and which years the 60-day warning names.
/// </summary>
public sealed class HolidayNoticeTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static HolidayRangeInput H(string name, string start, string end, params string[] adjusted) =>
        new() { Name = name, Start = start, End = end, AdjustedWorkingDays = adjusted };

    /// <summary>国办发明电〔2025〕7号, as published.</summary>
    internal static HolidayNoticeInput Notice2026() => new()
    {
        Year = 2026, Source = "国办发明电〔2025〕7号 (2025-11-04)",
        Holidays =
        [
            H("元旦", "2026-01-01", "2026-01-03", "2026-01-04"),
            H("春节", "2026-02-15", "2026-02-23", "2026-02-14", "2026-02-28"),
            H("清明节", "2026-04-04", "2026-04-06"),
            H("劳动节", "2026-05-01", "2026-05-05", "2026-05-09"),
            H("端午节", "2026-06-19", "2026-06-21"),
            H("中秋节", "2026-09-25", "2026-09-27"),
            H("国庆节", "2026-10-01", "2026-10-07", "2026-09-20", "2026-10-10"),
        ],
    };

    [Fact]
    public void The2026Notice_IsValid_WithoutWarnings_AndGivesTheFileCalendar()
    {
        var result = HolidayNotice.Check(Notice2026());
        Assert.True(result.Valid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        Assert.Empty(result.Warnings);
        var file = CalendarFiles.Parse(File.ReadAllText(Path.Combine(Infrastructure.RepoPaths.Config, "calendar", "holidays-2026.json")));
        Assert.Equal(file.OffDays.Order(), result.Year!.OffDays.Order());
        Assert.Equal(file.AdjustedWorkingDays.Order(), result.Year.AdjustedWorkingDays.Order());
        Assert.False(result.Year.Provisional);
    }

    [Theory]
    [InlineData("year", null)]
    [InlineData("source", null)]
    [InlineData("holidays[2].end", null)]
    [InlineData("holidays[2].start", null)]
    [InlineData("holidays[3].adjustedWorkingDays[0]", null)]
    [InlineData("holidays[6].end", "2027-01-01")]
    [InlineData("holidays[0].start", "2025-12-30")]
    public void EachMistake_IsNamedByItsField_InChineseAndEnglish(string field, string? value)
    {
        var n = Notice2026();
        var holidays = n.Holidays!.ToList();
        n = field switch
        {
            "year" => n with { Year = 1999 },
            "source" => n with { Source = "  " },
            // The end before the start.
            "holidays[2].end" => n with { Holidays = Replace(holidays, 2, holidays[2]! with { End = "2026-04-03" }) },
            // Overlaps the Spring Festival (holidays[1], 15–23 Feb).
            "holidays[2].start" => n with { Holidays = Replace(holidays, 2, holidays[2]! with { Start = "2026-02-22", End = "2026-02-24" }) },
            // Thursday 30 April is not a weekend day.
            "holidays[3].adjustedWorkingDays[0]" => n with { Holidays = Replace(holidays, 3, holidays[3]! with { AdjustedWorkingDays = ["2026-04-30"] }) },
            // New Year 2027 belongs to the 2027 notice.
            "holidays[6].end" => n with { Holidays = Replace(holidays, 6, holidays[6]! with { Start = "2026-12-31", End = value, AdjustedWorkingDays = [] }) },
            // A range starting in the year before that is not the New Year holiday.
            _ => n with { Holidays = Replace(holidays, 0, holidays[0]! with { Start = value, End = "2025-12-31", AdjustedWorkingDays = [] }) },
        };
        var result = HolidayNotice.Check(n);
        Assert.False(result.Valid);
        Assert.Null(result.Year);
        var reasons = Assert.Contains(field, result.Errors);
        Assert.All(reasons, r => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}.* / [A-Za-z0-9']", r));
    }

    [Fact]
    public void AnAdjustedWorkingDay_InsideAHoliday_OrGivenTwice_IsRefused()
    {
        var n = Notice2026();
        var holidays = n.Holidays!.ToList();
        holidays[0] = holidays[0]! with { AdjustedWorkingDays = ["2026-01-03"] }; // a Saturday, but a rest day of the same holiday
        holidays[1] = holidays[1]! with { AdjustedWorkingDays = ["2026-02-14", "2026-02-14"] };
        var result = HolidayNotice.Check(n with { Holidays = holidays });
        Assert.Contains("holidays[0].adjustedWorkingDays[0]", result.Errors);
        Assert.Contains("holidays[1].adjustedWorkingDays[1]", result.Errors);
    }

    [Fact]
    public void AMissingStatutoryHoliday_IsAWarning_NotAnError()
    {
        var n = Notice2026();
        var result = HolidayNotice.Check(n with { Holidays = n.Holidays!.Where(h => h!.Name != "端午节").ToList() });
        Assert.True(result.Valid);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("端午节", warning, StringComparison.Ordinal);
        Assert.Contains("2026-06-19", warning, StringComparison.Ordinal);
    }

    /// <summary>The 2019 notice (国办发明电〔2018〕15号): New Year rested 30 Dec 2018 – 1 Jan 2019 and worked Sat 29 Dec 2018.</summary>
    [Fact]
    public void TheNewYearHoliday_MayBeginInLateDecember_AndDecidesThoseDays()
    {
        var n2019 = new HolidayNoticeInput
        {
            Year = 2019, Source = "国办发明电〔2018〕15号",
            Holidays = [H("元旦", "2018-12-30", "2019-01-01", "2018-12-29"), H("春节", "2019-02-04", "2019-02-10", "2019-02-02", "2019-02-03")],
        };
        var result = HolidayNotice.Check(n2019);
        Assert.True(result.Valid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        var calendar = new WorkingDayCalendar([new HolidayYear(2018, "test", new HashSet<DateOnly>(), new HashSet<DateOnly>(), [])]);
        Assert.False(calendar.IsWorkingDay(D("2018-12-29"))); // a plain Saturday in the 2018 calendar
        Assert.True(calendar.IsWorkingDay(D("2018-12-31")));
        calendar.ReplaceNotices([new LoadedNotice(result.Year!, "admin", DateTimeOffset.UnixEpoch)]);
        Assert.True(calendar.IsWorkingDay(D("2018-12-29")));
        Assert.False(calendar.IsWorkingDay(D("2018-12-31")));
    }

    [Fact]
    public void ALoadedNotice_WinsOverTheProvisionalCalendar_AndOverAFile()
    {
        var calendar = new WorkingDayCalendar([]);
        Assert.True(calendar.IsProvisional(2026));
        Assert.True(calendar.IsWorkingDay(D("2026-02-24"))); // a Tuesday: provisional Spring Festival is 16–19 Feb only
        calendar.ReplaceNotices([new LoadedNotice(HolidayNotice.Check(Notice2026()).Year!, "admin", DateTimeOffset.UnixEpoch)]);
        Assert.False(calendar.IsProvisional(2026));
        Assert.True(calendar.Covers(2026));
        Assert.False(calendar.IsWorkingDay(D("2026-02-23")));
        Assert.True(calendar.IsWorkingDay(D("2026-02-28"))); // Saturday worked
    }

    [Theory]
    [InlineData("2026-11-01", 60, false)] // 61 days to 1 January 2027
    [InlineData("2026-11-02", 60, true)] // 60 days
    [InlineData("2026-12-31", 60, true)]
    [InlineData("2026-12-01", 30, false)] // 31 days, with the warning set to 30
    [InlineData("2026-12-02", 30, true)]
    public void TheWarning_StartsWhenTheNextYearIsWarningDaysAway(string today, int warningDays, bool warned)
    {
        var calendar = new WorkingDayCalendar([CalendarFiles.Parse(File.ReadAllText(Path.Combine(Infrastructure.RepoPaths.Config, "calendar", "holidays-2026.json")))]);
        var missing = NoticeWarnings.For(D(today), calendar, warningDays);
        Assert.Equal(warned, missing.Any(m => m.Year == 2027));
        if (warned) Assert.Equal(D("2027-01-01").DayNumber - D(today).DayNumber, missing.Single().DaysUntil);
    }

    [Fact]
    public void AYearAlreadyRunningWithoutItsNotice_IsWarnedAllYear_AndALoadedOneIsNot()
    {
        var calendar = new WorkingDayCalendar([]);
        Assert.Equal([2027], NoticeWarnings.For(D("2027-06-01"), calendar, 60).Select(m => m.Year));
        calendar.ReplaceNotices([new LoadedNotice(new HolidayYear(2027, "x", new HashSet<DateOnly>(), new HashSet<DateOnly>(), []), "admin", DateTimeOffset.UnixEpoch)]);
        Assert.Empty(NoticeWarnings.For(D("2027-06-01"), calendar, 60));
    }

    private static List<HolidayRangeInput?> Replace(List<HolidayRangeInput?> list, int index, HolidayRangeInput value)
    {
        var copy = list.ToList();
        copy[index] = value;
        return copy;
    }
}
