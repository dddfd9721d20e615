using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Calendar;
using MediaGateway.Tests.Console;
using MediaGateway.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Deadlines;

/// <summary>A calendar gateway whose clock a test moves forward.</summary>
public sealed class NoticeWarningHost : CalendarNoticeHost
{
    public JumpingClock Jumps { get; } = new();

    protected override TimeProvider Clock => Jumps;
}

/// <summary>
/// The gateway warns from 60 days (Deadlines:NoticeWarningDays) before a year without its State Council notice:
/// on the calendar status and the administrators' console banner, and once by a signed calendar.notice_missing event.
/// </summary>
public sealed class NoticeWarningTests(NoticeWarningHost host, Browser browser) : IClassFixture<NoticeWarningHost>, IClassFixture<Browser>
{
    static NoticeWarningTests() => SetDefaultExpectTimeout(45_000);

    [Fact]
    public async Task TheWarning_AppearsAt60Days_NotAt61_OnceAsASignedEvent_AndAsTheAdministratorsBanner()
    {
        // Next year gets its notice, so only the year after can be missing; then the clock goes to 61 and 60 days before it.
        var loaded = WorkingDayCalendar.ChinaDay(host.Jumps.GetUtcNow()).Year + 1;
        var missing = loaded + 1;
        await host.SubscribeAsync("calendar-missing", "calendar.notice_missing");
        using var admin = host.Client(CalendarNoticeHost.AdminToken);
        (await admin.PostAsJsonAsync("api/calendar/notices", CalendarNoticeHost.NoticeFor(loaded))).EnsureSuccessStatusCode();
        var newYear = WorkingDayCalendar.StartOfDay(new DateOnly(missing, 1, 1));

        host.Jumps.JumpTo(newYear.AddDays(-61).AddHours(1)); // 1 November, 61 days before
        var at61 = (await admin.GetFromJsonAsync<JsonObject>("api/calendar/status"))!;
        Assert.DoesNotContain(at61["warnings"]!.AsArray(), w => w!["year"]!.GetValue<int>() == missing);
        Assert.Equal(60, at61["warningDays"]!.GetValue<int>());
        // A whole watcher round at 61 days, run here: nothing to announce. (Had it announced, the single event below
        // would say 61 days, not 60: the year is announced once.)
        var watcher = WatcherRounds.Watcher<NoticeWatcher>(host);
        await watcher.CheckAsync();

        host.Jumps.JumpTo(newYear.AddDays(-60).AddHours(1)); // 2 November, 60 days before
        var at60 = (await admin.GetFromJsonAsync<JsonObject>("api/calendar/status"))!;
        var warning = at60["warnings"]!.AsArray().Single(w => w!["year"]!.GetValue<int>() == missing)!;
        Assert.Equal(60, warning["daysUntil"]!.GetValue<int>());
        Assert.Contains("尚未载入", warning["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await TestData.Eventually(() => host.Delivered("calendar-missing", "calendar.notice_missing", missing).Any(), "the signed calendar.notice_missing delivery");
        var e = host.Delivered("calendar-missing", "calendar.notice_missing", missing).Single();
        Assert.Equal(60, e["data"]!["daysUntil"]!.GetValue<int>());
        Assert.True(e["data"]!["provisional"]!.GetValue<bool>());

        // Once per missing year, not every round (the watcher runs every 0.2 s) and not every day.
        host.Jumps.JumpTo(newYear.AddDays(-59).AddHours(1));
        await watcher.CheckAsync();
        await watcher.CheckAsync();
        await WatcherRounds.EarlierEventsRecordedAsync(host);
        Assert.Single(await host.AuditEntriesAsync("calendar.notice_missing"), a => a.Details["year"]!.GetValue<int>() == missing);
        Assert.Single(host.Delivered("calendar-missing", "calendar.notice_missing", missing));

        // Administrators see it on every console page; an operator does not.
        var page = await browser.SignedInAsync(host, CalendarNoticeHost.AdminToken);
        await Expect(page.Locator($"#notice-banner [data-missing-year='{missing}']")).ToContainTextAsync("尚未载入");
        await Browser.ScreenshotAsync(page, "holiday-notice-banner");
        var operatorPage = await browser.SignedInAsync(host, GatewayTestHost.OperatorToken);
        await Expect(operatorPage.Locator("#view")).Not.ToContainTextAsync("正在加载");
        await Expect(operatorPage.Locator("#notice-banner")).ToHaveCountAsync(0);
    }
}
