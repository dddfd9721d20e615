using CsCheck;
using MediaGateway.Calendar;
using MediaGateway.Content;
using MediaGateway.Deadlines;
using MediaGateway.Hosting;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace MediaGateway.Tests.Unit;

/// <summary>The working-day calendar against the published 2025/2026 arrangements, and its arithmetic as properties (P10–P13).</summary>
public sealed class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Calendar = CalendarFiles.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Deadlines:CalendarFiles:0"] = "calendar/holidays-2025.json",
        ["Deadlines:CalendarFiles:1"] = "calendar/holidays-2026.json",
    }).Build(), new ConfigDirectory(RepoPaths.Config));

    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2025-09-28", true)]  // Sunday worked for National Day
    [InlineData("2025-10-01", false)]
    [InlineData("2025-10-06", false)] // Mid-Autumn, inside the 8-day break
    [InlineData("2025-10-08", false)]
    [InlineData("2025-10-09", true)]
    [InlineData("2025-10-11", true)]  // Saturday worked
    [InlineData("2025-10-12", false)]
    [InlineData("2025-01-26", true)]  // Spring Festival adjusted Sunday
    [InlineData("2025-01-28", false)] // Spring Festival Eve, a statutory holiday from 2025
    [InlineData("2025-02-04", false)]
    [InlineData("2025-02-05", true)]
    [InlineData("2025-02-08", true)]
    [InlineData("2025-04-27", true)]
    [InlineData("2025-05-05", false)]
    [InlineData("2025-06-02", false)]
    [InlineData("2026-01-02", false)]
    [InlineData("2026-01-04", true)]
    [InlineData("2026-02-14", true)]
    [InlineData("2026-02-23", false)]
    [InlineData("2026-02-24", true)]  // some data sets wrongly mark it off
    [InlineData("2026-02-28", true)]
    [InlineData("2026-04-26", false)] // some data sets wrongly mark this Sunday as working
    [InlineData("2026-05-09", true)]
    [InlineData("2026-06-19", false)]
    [InlineData("2026-09-20", true)]
    [InlineData("2026-09-25", false)]
    [InlineData("2026-10-07", false)]
    [InlineData("2026-10-08", true)]  // some data sets wrongly mark it off
    [InlineData("2026-10-10", true)]
    [InlineData("2026-11-26", true)]
    [InlineData("2026-11-28", false)]
    public void KnownDays_FollowTheStateCouncilArrangement(string day, bool working) =>
        Assert.Equal(working, Calendar.IsWorkingDay(D(day)));

    [Fact]
    public void TenWorkingDays_AcrossNationalDay2025_CountTheAdjustedWeekends()
    {
        // Issued Fri 26 Sep: 28 Sep(Sun) 29 30, 9 Oct 10 11(Sat) 13 14 15 16 → end of Thu 16 Oct.
        Assert.Equal(D("2025-10-16"), Calendar.AddWorkingDays(D("2025-09-26"), 10));
        Assert.Equal(new DateTimeOffset(2025, 10, 17, 0, 0, 0, TimeSpan.FromHours(8)), Calendar.WorkingDayDeadline(D("2025-09-26"), 10));
    }

    [Fact]
    public void FiveWorkingDays_AcrossSpringFestival2026()
    {
        // Issued Fri 13 Feb: 14(Sat worked), [15–23 off], 24, 25, 26, 27 → end of Fri 27 Feb.
        Assert.Equal(D("2026-02-27"), Calendar.AddWorkingDays(D("2026-02-13"), 5));
    }

    [Fact]
    public void AYearNeitherLoadedNorComputable_IsAnErrorNamingTheYear()
    {
        // 2027 has no notice but runs on the provisional statutory calendar; 2150 is past what that computes.
        Assert.Equal(D("2027-01-08"), Calendar.AddWorkingDays(D("2026-12-24"), 10));
        var e = Assert.Throws<CalendarYearMissingException>(() => Calendar.AddWorkingDays(D("2150-12-24"), 10));
        Assert.Equal(2150, e.Year);
        Assert.Contains("2150", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWeekdayGivenAsAdjustedWorkingDay_IsRefusedWithTheField()
    {
        var e = Assert.Throws<FormatException>(() => CalendarFiles.Parse("""
            { "year": 2025, "holidays": [ { "name": "x", "offDays": ["2025-10-01"], "adjustedWorkingDays": ["2025-10-09"] } ] }
            """));
        Assert.Contains("holidays[0].adjustedWorkingDays", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADayOutsideTheFilesYear_IsRefused()
    {
        var e = Assert.Throws<FormatException>(() => CalendarFiles.Parse("""{ "year": 2025, "holidays": [ { "name": "x", "offDays": ["2026-01-01"] } ] }"""));
        Assert.Contains("not in 2025", e.Message, StringComparison.Ordinal);
    }

    private static readonly Gen<DateOnly> Day = Gen.Int[0, 698].Select(i => new DateOnly(2025, 1, 1).AddDays(i)); // up to 2026-11-30
    private static readonly Gen<int> Count = Gen.Int[1, 20];

    [Fact]
    public void AddingNWorkingDays_LandsOnAWorkingDay_WithExactlyNWorkingDaysInBetween() =>
        Gen.Select(Day, Count).Sample((day, n) =>
        {
            var result = Calendar.AddWorkingDays(day, n);
            return result > day && Calendar.IsWorkingDay(result) && Calendar.WorkingDaysBetween(day, result) == n
                && Calendar.WorkingDaysBetween(day, result.AddDays(-1)) == n - 1;
        });

    [Fact]
    public void AddingWorkingDays_Composes() =>
        Gen.Select(Day, Gen.Int[1, 10], Gen.Int[1, 10]).Sample((day, a, b) =>
            Calendar.AddWorkingDays(Calendar.AddWorkingDays(day, a), b) == Calendar.AddWorkingDays(day, a + b));

    [Fact]
    public void CountingBack_UndoesCountingForward() =>
        Gen.Select(Day, Count).Sample((day, n) =>
            Calendar.NthWorkingDayOnOrBefore(Calendar.AddWorkingDays(day, n), n) == Calendar.AddWorkingDays(day, 1));

    [Fact]
    public void Deadlines_AreMidnightChinaTime_ClosingTheirDay() =>
        Gen.Select(Day, Count).Sample((day, n) =>
        {
            var deadline = Calendar.WorkingDayDeadline(day, n);
            return deadline.Offset == TimeSpan.FromHours(8) && deadline.TimeOfDay == TimeSpan.Zero
                && WorkingDayCalendar.DeadlineDay(deadline) == Calendar.AddWorkingDays(day, n);
        });

    [Fact]
    public void WeekendsWithoutAdjustment_AreNeverWorkingDays_AndOffDaysNever() =>
        Day.Sample(day =>
        {
            var year = Calendar.Year(day.Year)!;
            var expected = year.AdjustedWorkingDays.Contains(day) || (!year.OffDays.Contains(day) && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
            return Calendar.IsWorkingDay(day) == expected;
        });

    private static DeadlineSettings Settings(params string[] thresholds) => DeadlineSettings.Load(new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(RepoPaths.Config, "appsettings.json"))
        .AddInMemoryCollection(thresholds.Select((t, i) => new KeyValuePair<string, string?>($"Deadlines:ApproachingThresholds:{i}", t)))
        .Build());

    private static ContentItem Item(ContentCategory category, DateOnly? issuedOn = null, DateTimeOffset? activityEndsAt = null, DateTimeOffset? createdAt = null) => new()
    {
        Id = "c1", Revision = 1, Title = "t", Body = "b", Targets = ["wx-city"], Category = category, IssuedOn = issuedOn, ActivityEndsAt = activityEndsAt,
        CreatedBy = "op-li", Department = "city-news-team", CreatedAt = createdAt ?? DateTimeOffset.UnixEpoch, Status = ContentStatus.InReview,
        Fingerprints = new Dictionary<string, string>(), Findings = [], RulesVersion = "v",
    };

    [Fact]
    public void ConfiguredRules_GiveTheP10ToP13Deadlines()
    {
        var clock = new DeadlineClock(Calendar, Settings());
        Assert.Equal(new DateTimeOffset(2025, 10, 17, 0, 0, 0, TimeSpan.FromHours(8)), clock.Compute(Item(ContentCategory.NormativeDocument, issuedOn: D("2025-09-26")))!.Deadline);
        // 28 Sep, 29, 30, 9 Oct, 10 Oct → end of Fri 10 Oct.
        Assert.Equal(new DateTimeOffset(2025, 10, 11, 0, 0, 0, TimeSpan.FromHours(8)), clock.Compute(Item(ContentCategory.PolicyInterpretation, issuedOn: D("2025-09-26")))!.Deadline);
        var ended = new DateTimeOffset(2026, 3, 1, 18, 30, 0, TimeSpan.FromHours(8));
        Assert.Equal(ended.AddHours(24), clock.Compute(Item(ContentCategory.LivelihoodActivity, activityEndsAt: ended))!.Deadline);
        Assert.Equal(ended.AddHours(5), clock.Compute(Item(ContentCategory.Emergency, createdAt: ended))!.Deadline);
        Assert.Null(clock.Compute(Item(ContentCategory.News)));
        var provisional = clock.Compute(Item(ContentCategory.NormativeDocument, issuedOn: D("2027-01-05")))!;
        Assert.True(provisional.Provisional);
        Assert.NotNull(provisional.Deadline);
        var missing = clock.Compute(Item(ContentCategory.NormativeDocument, issuedOn: D("2150-01-05")))!;
        Assert.Null(missing.Deadline);
        Assert.Contains("2150", missing.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Thresholds_ReachOneWorkingDayBefore_AndAtAQuarterLeft()
    {
        var clock = new DeadlineClock(Calendar, Settings());
        var start = WorkingDayCalendar.EndOfDay(D("2025-09-26"));
        var deadline = Calendar.WorkingDayDeadline(D("2025-09-26"), 10); // end of Thu 16 Oct
        var oneDay = clock.WarnAt(ApproachingThreshold.Parse("1wd", "k"), start, deadline);
        Assert.Equal(new DateTimeOffset(2025, 10, 16, 0, 0, 0, TimeSpan.FromHours(8)), oneDay);
        var twoDays = clock.WarnAt(ApproachingThreshold.Parse("2wd", "k"), start, deadline);
        Assert.Equal(new DateTimeOffset(2025, 10, 15, 0, 0, 0, TimeSpan.FromHours(8)), twoDays);
        var quarter = clock.WarnAt(ApproachingThreshold.Parse("25%", "k"), start, deadline)!.Value;
        Assert.Equal((deadline - start) / 4, deadline - quarter);
        var p10 = clock.Settings.RuleFor(ContentCategory.NormativeDocument)!;
        Assert.Empty(clock.Reached(p10, start, deadline, start.AddHours(1)));
        Assert.Single(clock.Reached(p10, start, deadline, quarter));
        Assert.Equal(2, clock.Reached(p10, start, deadline, oneDay!.Value.AddMinutes(1)).Count);
        Assert.Empty(clock.Reached(p10, start, deadline, deadline));
        // An hour rule is not warned by working days: only the quarter-left threshold applies to P11.
        var p11 = clock.Settings.RuleFor(ContentCategory.LivelihoodActivity)!;
        Assert.Equal(["25%"], clock.Reached(p11, deadline.AddHours(-24), deadline, deadline.AddMinutes(-1)).Select(t => t.Id));
    }

    [Theory]
    [InlineData("Deadlines:Rules:P10:WorkingDays", "ten")]
    [InlineData("Deadlines:Rules:P10:Category", "Memo")]
    [InlineData("Deadlines:Rules:P11:From", "IssuedOn")]
    [InlineData("Deadlines:ApproachingThresholds:0", "soon")]
    [InlineData("Dormancy:ClosureDays", "5")]
    public void BadDeadlineSettings_NameTheKey(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoPaths.Config, "appsettings.json"))
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var e = Assert.Throws<ConfigurationException>(() => DeadlineSettings.Load(configuration));
        Assert.StartsWith(key, e.Key, StringComparison.Ordinal);
    }
}
