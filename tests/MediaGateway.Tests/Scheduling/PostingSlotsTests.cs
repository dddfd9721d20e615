using System.Globalization;
using MediaGateway.Calendar;
using MediaGateway.Hosting;
using MediaGateway.Scheduling;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace MediaGateway.Tests.Scheduling;

/// <summary>
/// Posting slots as pure computation over the shipped 2026 State Council calendar: working days, 调休 working weekends,
/// the three holiday behaviours, and China time on either side of midnight (UTC is still the day before until 08:00).
/// </summary>
public sealed class PostingSlotsTests
{
    private static readonly WorkingDayCalendar Calendar = CalendarFiles.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Deadlines:CalendarFiles:0"] = "calendar/holidays-2025.json",
        ["Deadlines:CalendarFiles:1"] = "calendar/holidays-2026.json",
    }).Build(), new ConfigDirectory(RepoPaths.Config));

    private static TimeOnly T(string s) => TimeOnly.Parse(s, CultureInfo.InvariantCulture);
    private static DateTimeOffset China(string s) => DateTimeOffset.ParseExact(s + " +08:00", "yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    private static readonly PostingSlots WeiboWorkingDays = new([T("08:30"), T("12:00"), T("17:30")], HolidayBehaviour.Skip, []);
    private static readonly PostingSlots WeChatDaily = new([T("18:00")], HolidayBehaviour.Keep, []);
    private static readonly PostingSlots OwnHolidaySlots = new([T("08:30"), T("17:30")], HolidayBehaviour.HolidaySlots, [T("10:00")]);

    private static List<DateTimeOffset> Next(PostingSlots slots, DateTimeOffset from, int count) =>
        [.. slots.From(from, Calendar.IsWorkingDay).Take(count).Select(s => s.At)];

    [Fact]
    public void Skip_PostsOnTheAdjustedWorkingSaturday_AndNotThroughTheSpringFestival()
    {
        // Friday 13 Feb 2026 after the last slot; Saturday the 14th is worked (调休); 15–23 Feb are the holiday.
        var next = Next(WeiboWorkingDays, China("2026-02-13 17:31"), 4);
        Assert.Equal([China("2026-02-14 08:30"), China("2026-02-14 12:00"), China("2026-02-14 17:30"), China("2026-02-24 08:30")], next);
        Assert.All(WeiboWorkingDays.From(China("2026-02-13 17:31"), Calendar.IsWorkingDay).Take(4), s => Assert.True(s.WorkingDay));
    }

    [Fact]
    public void Skip_LeavesOrdinaryWeekendsEmpty()
    {
        // Friday 6 March 2026, 18:00: the next slot is Monday morning.
        Assert.Equal([China("2026-03-09 08:30")], Next(WeiboWorkingDays, China("2026-03-06 18:00"), 1));
    }

    [Fact]
    public void Keep_PostsEveryDay_HolidaysIncluded_AndSaysWhichDaysAreOff()
    {
        var slots = WeChatDaily.From(China("2026-02-14 18:00"), Calendar.IsWorkingDay).Take(3).ToList();
        Assert.Equal([China("2026-02-14 18:00"), China("2026-02-15 18:00"), China("2026-02-16 18:00")], slots.Select(s => s.At));
        Assert.Equal([true, false, false], slots.Select(s => s.WorkingDay));
    }

    [Fact]
    public void HolidaySlots_UseTheirOwnListOnNonWorkingDays_AndTheWorkingListOnAdjustedWeekends()
    {
        // 30 Sep (Wednesday, working) → 1–7 Oct National Day (10:00 only) → 8 Oct working.
        var next = Next(OwnHolidaySlots, China("2026-09-30 17:00"), 4);
        Assert.Equal([China("2026-09-30 17:30"), China("2026-10-01 10:00"), China("2026-10-02 10:00"), China("2026-10-03 10:00")], next);
        // Saturday 10 Oct 2026 is worked for National Day: the working-day slots, not the holiday one.
        Assert.Equal([China("2026-10-10 08:30"), China("2026-10-10 17:30"), China("2026-10-11 10:00")], Next(OwnHolidaySlots, China("2026-10-10 00:00"), 3));
    }

    [Fact]
    public void ChinaTime_DecidesTheDay_AcrossMidnight()
    {
        // 2026-03-05T16:30Z is already Friday 6 March 00:30 in China: the first slot is that Friday's 18:00 (10:00Z).
        Assert.Equal([DateTimeOffset.Parse("2026-03-06T10:00:00Z", CultureInfo.InvariantCulture)],
            Next(WeChatDaily, DateTimeOffset.Parse("2026-03-05T16:30:00Z", CultureInfo.InvariantCulture), 1));
        // Friday 23:59 China with working-day slots only: Monday; in UTC the "from" is still Friday afternoon.
        Assert.Equal([China("2026-03-09 08:30")], Next(WeiboWorkingDays, DateTimeOffset.Parse("2026-03-06T15:59:00Z", CultureInfo.InvariantCulture), 1));
        // A slot exactly at "from" is included; a second later it is not.
        Assert.Equal(China("2026-03-05 18:00"), Next(WeChatDaily, China("2026-03-05 18:00"), 1)[0]);
        Assert.Equal(China("2026-03-06 18:00"), Next(WeChatDaily, China("2026-03-05 18:00").AddSeconds(1), 1)[0]);
    }

    [Fact]
    public void IsSlot_ReadsTheInstantInChinaTime()
    {
        Assert.True(WeiboWorkingDays.IsSlot(DateTimeOffset.Parse("2026-03-06T00:30:00Z", CultureInfo.InvariantCulture), Calendar.IsWorkingDay));
        Assert.False(WeiboWorkingDays.IsSlot(China("2026-03-07 08:30"), Calendar.IsWorkingDay)); // Saturday, skipped
        Assert.True(WeiboWorkingDays.IsSlot(China("2026-02-14 08:30"), Calendar.IsWorkingDay));  // worked Saturday
        Assert.False(WeiboWorkingDays.IsSlot(China("2026-03-06 08:31"), Calendar.IsWorkingDay));
        Assert.True(OwnHolidaySlots.IsSlot(China("2026-10-01 10:00"), Calendar.IsWorkingDay));
        Assert.False(OwnHolidaySlots.IsSlot(China("2026-10-01 08:30"), Calendar.IsWorkingDay));
    }

    [Fact]
    public void Load_ReadsTimesSortedAndTheBehaviour()
    {
        var slots = PostingSlots.Load(Section(("Times:0", "17:30"), ("Times:1", "08:30"), ("OnHolidays", "HolidaySlots"), ("HolidayTimes:0", "10:00")))!;
        Assert.Equal([T("08:30"), T("17:30")], slots.Times);
        Assert.Equal(HolidayBehaviour.HolidaySlots, slots.OnHolidays);
        Assert.Equal([T("10:00")], slots.HolidayTimes);
        Assert.Equal(HolidayBehaviour.Skip, PostingSlots.Load(Section(("Times:0", "18:00")))!.OnHolidays);
        Assert.Null(PostingSlots.Load(Section()));
    }

    [Theory]
    [InlineData("Accounts:wb-x:Slots:Times:1", "Times:0", "08:30", "Times:1", "25:00")]
    [InlineData("Accounts:wb-x:Slots:Times:1", "Times:0", "08:30", "Times:1", "8:30am")]
    [InlineData("Accounts:wb-x:Slots:Times:1", "Times:0", "08:30", "Times:1", "08:30")]
    [InlineData("Accounts:wb-x:Slots:Times", "OnHolidays", "Keep", null, null)]
    [InlineData("Accounts:wb-x:Slots:OnHolidays", "Times:0", "08:30", "OnHolidays", "Sometimes")]
    [InlineData("Accounts:wb-x:Slots:OnHolidays", "Times:0", "08:30", "OnHolidays", "1")]
    [InlineData("Accounts:wb-x:Slots:HolidayTimes", "Times:0", "08:30", "OnHolidays", "HolidaySlots")]
    [InlineData("Accounts:wb-x:Slots:HolidayTimes", "Times:0", "08:30", "HolidayTimes:0", "10:00")]
    public void Load_RefusesAMistake_NamingTheKey(string key, string k1, string v1, string? k2, string? v2)
    {
        var settings = new List<(string, string)> { (k1, v1) };
        if (k2 is not null) settings.Add((k2, v2!));
        var error = Assert.Throws<ConfigurationException>(() => PostingSlots.Load(Section([.. settings])));
        Assert.Equal(key, error.Key);
    }

    private static IConfigurationSection Section(params (string Key, string Value)[] slots) =>
        new ConfigurationBuilder().AddInMemoryCollection(slots.Select(s => new KeyValuePair<string, string?>($"Accounts:wb-x:Slots:{s.Key}", s.Value))
            .Append(new("Accounts:wb-x:Name", "x"))).Build().GetSection("Accounts:wb-x");
}
