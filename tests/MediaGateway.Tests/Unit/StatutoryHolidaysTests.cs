using MediaGateway.Calendar;
using MediaGateway.Deadlines;
using MediaGateway.Hosting;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace MediaGateway.Tests.Unit;

/// <summary>The provisional calendar of a year without a State Council notice: the statutory holidays of the 2024 amendment (issue 19).</summary>
public sealed class StatutoryHolidaysTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static WorkingDayCalendar Loaded(params int[] years) => CalendarFiles.Load(new ConfigurationBuilder().AddInMemoryCollection(
            years.Select((y, i) => new KeyValuePair<string, string?>($"Deadlines:CalendarFiles:{i}", $"calendar/holidays-{y}.json"))).Build(),
        new ConfigDirectory(RepoPaths.Config));

    [Theory]
    [InlineData(2025, "2025-01-28")]
    [InlineData(2026, "2026-02-16")]
    [InlineData(2027, "2027-02-05")]
    [InlineData(2028, "2028-01-25")]
    public void SpringFestival_IsFourDaysFromChineseNewYearsEve(int year, string eve)
    {
        Assert.Equal(D(eve).AddDays(1), StatutoryHolidays.ChineseNewYear(year));
        var spring = StatutoryHolidays.For(year)!.Holidays.Single(h => h.Name.StartsWith("春节", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(0, 4).Select(D(eve).AddDays), spring.OffDays);
    }

    [Theory]
    [InlineData(2025, 4)]
    [InlineData(2026, 5)]
    [InlineData(2027, 5)]
    [InlineData(2028, 4)]
    public void Qingming_IsTheSolarTerm(int year, int day) => Assert.Equal(new DateOnly(year, 4, day), StatutoryHolidays.Qingming(year));

    [Theory]
    // 2025 has a leap sixth month (闰六月): Mid-Autumn (8/15) must not land a month early.
    [InlineData(2025, "2025-05-31", "2025-10-06")]
    [InlineData(2026, "2026-06-19", "2026-09-25")]
    // 2028 has a leap fifth month (闰五月): Dragon Boat is the ordinary fifth month, Mid-Autumn after the leap.
    [InlineData(2028, "2028-05-28", "2028-10-03")]
    public void DragonBoatAndMidAutumn_FollowTheLunarCalendar_PastALeapMonth(int year, string dragonBoat, string midAutumn)
    {
        Assert.Equal(D(dragonBoat), StatutoryHolidays.LunarDate(year, 5, 5));
        Assert.Equal(D(midAutumn), StatutoryHolidays.LunarDate(year, 8, 15));
    }

    [Fact]
    public void AProvisionalYear_HasThirteenStatutoryDays_AndNoAdjustedWorkingDays()
    {
        var year = StatutoryHolidays.For(2027)!;
        Assert.True(year.Provisional);
        Assert.Equal(13, year.OffDays.Count);
        Assert.Empty(year.AdjustedWorkingDays);
        Assert.Equal([D("2027-01-01"), D("2027-02-05"), D("2027-02-06"), D("2027-02-07"), D("2027-02-08"), D("2027-04-05"), D("2027-05-01"), D("2027-05-02"),
            D("2027-06-09"), D("2027-09-15"), D("2027-10-01"), D("2027-10-02"), D("2027-10-03")], year.OffDays.Order());
    }

    [Theory]
    [InlineData(2025)]
    [InlineData(2026)]
    public void EveryComputedStatutoryDay_IsARestDayInThatYearsNotice(int year)
    {
        // The notice may add bridge days and move weekends, but never works a statutory holiday.
        var notice = Loaded(year);
        var computed = StatutoryHolidays.For(year)!;
        Assert.All(computed.OffDays, d => Assert.False(notice.IsWorkingDay(d), $"{d:yyyy-MM-dd} is statutory but a working day in the {year} notice"));
        Assert.All(computed.OffDays, d => Assert.Contains(d, notice.Year(year)!.OffDays));
    }

    [Fact]
    public void YearsOutsideTheAmendedRulesAndTheFormula_AreNotComputed()
    {
        Assert.Null(StatutoryHolidays.For(2024)); // before the 2024 amendment took effect
        Assert.Null(StatutoryHolidays.For(2100));
        Assert.NotNull(StatutoryHolidays.For(2099));
    }

    [Fact]
    public void ACalendarWithoutTheNotice_CountsOnTheProvisionalYear_AndSaysSo()
    {
        var calendar = Loaded(2025, 2026);
        Assert.False(calendar.IsProvisional(2026));
        Assert.True(calendar.IsProvisional(2027));
        Assert.False(calendar.Covers(2027));
        Assert.False(calendar.IsWorkingDay(D("2027-01-01")));
        Assert.True(calendar.IsWorkingDay(D("2027-01-04")));
        Assert.False(calendar.IsWorkingDay(D("2027-01-02"))); // a Saturday: weekends rest as usual
        // 20 Dec 2026 + 10 working days: 21–25, 28–31 Dec, [1 Jan off], 4 Jan.
        Assert.Equal(D("2027-01-04"), calendar.AddWorkingDays(D("2026-12-20"), 10));
        Assert.True(calendar.AnyProvisional(D("2026-12-20"), D("2027-01-04")));
        Assert.False(calendar.AnyProvisional(D("2026-12-01"), D("2026-12-31")));
        Assert.Throws<CalendarYearMissingException>(() => calendar.IsWorkingDay(D("2150-03-03")));
    }

    [Fact]
    public void ALoadedNotice_IsNeverProvisional()
    {
        var clock = new DeadlineClock(Loaded(2025, 2026), Settings());
        var rule = clock.Settings.Rules.Single(r => r.Id == "P10");
        var inside = clock.Compute(rule, D("2026-11-02"), null, DateTimeOffset.UnixEpoch);
        Assert.False(inside.Provisional);
        Assert.NotNull(inside.Deadline);
        var across = clock.Compute(rule, D("2026-12-20"), null, DateTimeOffset.UnixEpoch);
        Assert.True(across.Provisional);
        Assert.Equal(new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.FromHours(8)), across.Deadline);
        Assert.Null(across.Problem);
    }

    [Fact]
    public async Task TheCoverageCheck_SaysTheNextYearRunsProvisionally()
    {
        var logger = new ListLogger();
        var now = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime());
        await new CalendarCoverageCheck(Loaded(2025, 2026), now, logger).StartAsync(CancellationToken.None);
        var (id, message) = Assert.Single(logger.Lines);
        Assert.Equal(8001, id);
        Assert.Contains("2027 年暂按法定节假日推算", message, StringComparison.Ordinal);
        Assert.DoesNotContain("error", message, StringComparison.OrdinalIgnoreCase);
    }

    private static DeadlineSettings Settings() => DeadlineSettings.Load(new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(RepoPaths.Config, "appsettings.json")).Build());

    private sealed class ListLogger : ILogger<CalendarCoverageCheck>
    {
        public List<(int Id, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((eventId.Id, formatter(state, exception)));
    }
}
