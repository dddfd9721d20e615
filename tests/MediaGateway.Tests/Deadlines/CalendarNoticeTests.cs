using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaGateway.Audit;
using MediaGateway.Calendar;
using MediaGateway.Storage;
using MediaGateway.Tests.Console;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Deadlines;

/// <summary>A gateway of its own (own Redis) for loading holiday notices, so the shared hosts keep their provisional 2027.</summary>
public class CalendarNoticeHost() : GatewayTestHost(["--Deadlines:CheckSeconds=0.2", "--Operations:ConfigReloadSeconds=1"])
{
    public const string AdminToken = "mgdemo-admin-zhou";

    /// <summary>Subscribes the demo department to the calendar events, delivered to the demo receiver under <paramref name="receiver"/>.</summary>
    public async Task<string> SubscribeAsync(string receiver, params string[] events)
    {
        using var department = Client(DepartmentToken);
        using var response = await department.PostAsJsonAsync("api/webhooks/subscriptions", new
        {
            url = Receiver.UrlFor(receiver).ToString(), events, accounts = Array.Empty<string>(), description = "calendar " + receiver,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var secret = JsonNode.Parse(body)!["secret"]!.GetValue<string>();
        Receiver.SetSecret(receiver, secret);
        _secrets[receiver] = secret;
        return secret;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _secrets = new();

    /// <summary>
    /// The deliveries of <paramref name="type"/> for <paramref name="year"/> the receiver got, signed with the subscription's
    /// secret (checked here on the signed timestamp, so a test that moves the gateway's clock still checks the signature).
    /// </summary>
    public IEnumerable<JsonObject> Delivered(string receiver, string type, int year) => Receiver.Received(receiver)
        .Where(r => r.WebhookId is not null && r.Timestamp is not null && r.Signature is not null && r.Signature.Split(' ').Contains(
            MediaGateway.Webhooks.WebhookSigner.Sign(MediaGateway.Webhooks.WebhookSigner.DecodeSecret(_secrets[receiver], receiver),
                r.WebhookId, long.Parse(r.Timestamp, CultureInfo.InvariantCulture), r.Body)))
        .Select(r => JsonNode.Parse(r.Body)!.AsObject())
        .Where(b => b["type"]!.GetValue<string>() == type && b["data"]!["year"]!.GetValue<int>() == year);

    /// <summary>The audit chain's entries (P7) of one type, oldest first.</summary>
    internal async Task<List<AuditEntry>> AuditEntriesAsync(string type)
    {
        var entries = await Multiplexer.GetDatabase().StreamRangeAsync(Services.GetRequiredService<RedisKeys>().AuditStream);
        return entries.Select(e => Json.Deserialize<AuditEntry>(e["body"])).Where(e => e.Type == type).ToList();
    }

    /// <summary>
    /// A plausible notice for <paramref name="year"/>: the statutory holidays, National Day stretched to 1–8 October
    /// (any other holiday inside it dropped) and worked on the first weekend day after it.
    /// </summary>
    public static JsonObject NoticeFor(int year, string source = "国办发明电〔测试〕1号")
    {
        var national = (Start: new DateOnly(year, 10, 1), End: new DateOnly(year, 10, 8));
        var worked = national.End.AddDays(1);
        while (worked.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) worked = worked.AddDays(1);
        var holidays = new JsonArray();
        foreach (var p in StatutoryHolidays.For(year)!.Holidays)
        {
            if (p.Name.StartsWith("国庆节", StringComparison.Ordinal))
                holidays.Add(Range("国庆节", national.Start, national.End, worked));
            else if (!p.OffDays.Any(d => d >= national.Start && d <= national.End))
                holidays.Add(Range(p.Name.Split(' ')[0], p.OffDays[0], p.OffDays[^1]));
        }

        return new JsonObject { ["year"] = year, ["source"] = source, ["holidays"] = holidays };
    }

    private static JsonObject Range(string name, DateOnly start, DateOnly end, params DateOnly[] adjusted) => new()
    {
        ["name"] = name, ["start"] = Day(start), ["end"] = Day(end),
        ["adjustedWorkingDays"] = new JsonArray(adjusted.Select(d => (JsonNode)Day(d)).ToArray()),
    };

    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// Administrators load a year's State Council notice through the API and the console (issue 19, decision 29): checked
/// whole, saved whole, audited, announced; the year is official and deadlines use it.
/// </summary>
public sealed class CalendarNoticeTests(CalendarNoticeHost host, Browser browser) : IClassFixture<CalendarNoticeHost>, IClassFixture<Browser>
{
    static CalendarNoticeTests() => SetDefaultExpectTimeout(45_000);

    private static int NextYear => WorkingDayCalendar.ChinaDay(DateTimeOffset.UtcNow).Year + 1;

    [Fact]
    public async Task LoadingANotice_MakesTheYearOfficial_DeadlinesUseIt_Audited_AndAnnouncedSigned()
    {
        var year = NextYear;
        await host.SubscribeAsync("calendar-loaded", "calendar.notice_loaded");
        using var admin = host.Client(CalendarNoticeHost.AdminToken);
        var deadlineUrl = $"api/calendar/deadline?category=PolicyInterpretation&start={year}-09-30";
        var before = (await admin.GetFromJsonAsync<JsonObject>(deadlineUrl))!;
        Assert.True(before["provisional"]!.GetValue<bool>());

        var notice = CalendarNoticeHost.NoticeFor(year);
        using var response = await admin.PostAsJsonAsync("api/calendar/notices", notice);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var answer = JsonNode.Parse(body)!;
        Assert.False(answer["year"]!["provisional"]!.GetValue<bool>());
        Assert.False(answer["replaced"]!.GetValue<bool>());
        Assert.Empty(answer["warnings"]!.AsArray());

        // The year is official (正式), from the API, on the calendar and the status.
        Assert.False((await admin.GetFromJsonAsync<JsonObject>($"api/calendar/{year}"))!["provisional"]!.GetValue<bool>());
        var status = (await admin.GetFromJsonAsync<JsonObject>("api/calendar/status"))!;
        var state = status["years"]!.AsArray().Single(y => y!["year"]!.GetValue<int>() == year)!;
        Assert.Equal("official", state["state"]!.GetValue<string>());
        Assert.Equal("api", state["origin"]!.GetValue<string>());
        Assert.Equal("admin-zhou", state["loadedBy"]!.GetValue<string>());
        Assert.DoesNotContain(status["warnings"]!.AsArray(), w => w!["year"]!.GetValue<int>() == year);

        // A deadline computed now uses the notice: rest 1–8 October, not the statutory 1–3.
        var after = (await admin.GetFromJsonAsync<JsonObject>(deadlineUrl))!;
        Assert.False(after["provisional"]!.GetValue<bool>());
        var expected = new WorkingDayCalendar([]);
        expected.ReplaceNotices([new LoadedNotice(HolidayNotice.Check(notice.Deserialize<HolidayNoticeInput>(Json.Options)).Year!, "x", DateTimeOffset.UnixEpoch)]);
        Assert.Equal(expected.WorkingDayDeadline(new DateOnly(year, 9, 30), 5), after["deadline"]!.GetValue<DateTimeOffset>());
        Assert.True(after["deadline"]!.GetValue<DateTimeOffset>() > before["deadline"]!.GetValue<DateTimeOffset>());

        // Audited (P7): who, which year, what was in force before and what changed.
        AuditEntry? entry = null;
        await TestData.Eventually(async () => (entry = (await host.AuditEntriesAsync("calendar.notice_loaded"))
            .SingleOrDefault(e => e.Details["year"]!.GetValue<int>() == year)) is not null, "the audit entry");
        Assert.Equal("admin-zhou", entry!.Actor);
        Assert.Equal("statutory", entry.Details["previous"]!["origin"]!.GetValue<string>());
        Assert.Contains($"{year}-10-08", entry.Details["changes"]!["offDaysAdded"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal("国办发明电〔测试〕1号", entry.Details["notice"]!["source"]!.GetValue<string>());

        // Announced, signed, to the department that subscribed to it.
        await TestData.Eventually(() => host.Delivered("calendar-loaded", "calendar.notice_loaded", year).Any(), "the signed calendar.notice_loaded delivery");
    }

    [Fact]
    public async Task ANoticeLoadedOnOneGateway_IsInForceOnTheOther_WithinTheReloadPeriod()
    {
        var year = NextYear + 5;
        var (other, address) = await host.StartAnotherGatewayAsync();
        try
        {
            using var onOther = new HttpClient { BaseAddress = address };
            onOther.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayTestHost.OperatorToken);
            Assert.True((await onOther.GetFromJsonAsync<JsonObject>($"api/calendar/{year}"))!["provisional"]!.GetValue<bool>());

            using var admin = host.Client(CalendarNoticeHost.AdminToken);
            (await admin.PostAsJsonAsync("api/calendar/notices", CalendarNoticeHost.NoticeFor(year))).EnsureSuccessStatusCode();
            // Operations:ConfigReloadSeconds is 1 here (30 by default).
            await TestData.Eventually(async () => !(await onOther.GetFromJsonAsync<JsonObject>($"api/calendar/{year}"))!["provisional"]!.GetValue<bool>(),
                "the other gateway reads the notice from Redis", TimeSpan.FromSeconds(15));
        }
        finally
        {
            await other.StopAsync();
            await other.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReplacingANotice_IsAuditedWithTheOldAndTheNew()
    {
        var year = NextYear + 1;
        using var admin = host.Client(CalendarNoticeHost.AdminToken);
        (await admin.PostAsJsonAsync("api/calendar/notices", CalendarNoticeHost.NoticeFor(year, "第一版"))).EnsureSuccessStatusCode();
        using var second = await admin.PostAsJsonAsync("api/calendar/notices", CalendarNoticeHost.NoticeFor(year, "第二版"));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True((await second.Content.ReadFromJsonAsync<JsonObject>())!["replaced"]!.GetValue<bool>());
        Assert.Equal("第二版", (await admin.GetFromJsonAsync<JsonObject>($"api/calendar/{year}"))!["source"]!.GetValue<string>());

        AuditEntry? replaced = null;
        await TestData.Eventually(async () => (replaced = (await host.AuditEntriesAsync("calendar.notice_loaded"))
            .SingleOrDefault(e => e.Details["year"]!.GetValue<int>() == year && e.Details["replaced"]!.GetValue<bool>())) is not null, "the replacement's audit entry");
        Assert.Equal("api", replaced!.Details["previous"]!["origin"]!.GetValue<string>());
        Assert.Equal("第一版", replaced.Details["previous"]!["notice"]!["source"]!.GetValue<string>());
        Assert.Equal("第二版", replaced.Details["notice"]!["source"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("year", "1999")]
    [InlineData("source", "")]
    [InlineData("holidays[2].end", "end-before-start")]
    [InlineData("holidays[1].adjustedWorkingDays[0]", "weekday")]
    [InlineData("holidays[3].start", "overlap")]
    [InlineData("holidays[0].end", "next-year")]
    public async Task ABadNotice_Is400NamingTheField_Bilingual_AndNothingIsSaved(string field, string mistake)
    {
        var year = NextYear + 2;
        var notice = CalendarNoticeHost.NoticeFor(year);
        var holidays = notice["holidays"]!.AsArray();
        switch (mistake)
        {
            case "1999": notice["year"] = 1999; break;
            case "": notice["source"] = ""; break;
            case "end-before-start": holidays[2]!["end"] = CalendarNoticeHost.Day(DateOnly.Parse(holidays[2]!["start"]!.GetValue<string>(), CultureInfo.InvariantCulture).AddDays(-1)); break;
            case "weekday":
                var weekday = new DateOnly(year, 3, 2);
                while (weekday.DayOfWeek != DayOfWeek.Wednesday) weekday = weekday.AddDays(1);
                holidays[1]!["adjustedWorkingDays"] = new JsonArray(CalendarNoticeHost.Day(weekday));
                break;
            case "overlap":
                holidays[3]!["start"] = holidays[2]!["start"]!.GetValue<string>();
                holidays[3]!["end"] = holidays[2]!["start"]!.GetValue<string>();
                break;
            default: holidays[0]!["end"] = $"{year + 1}-01-01"; break;
        }

        using var admin = host.Client(CalendarNoticeHost.AdminToken);
        using var response = await admin.PostAsJsonAsync("api/calendar/notices", notice);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        var reasons = problem["errors"]![field]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}.* / ", r));
        Assert.True((await admin.GetFromJsonAsync<JsonObject>($"api/calendar/{year}"))!["provisional"]!.GetValue<bool>());
        Assert.DoesNotContain(await host.AuditEntriesAsync("calendar.notice_loaded"), e => e.Details["year"]!.GetValue<int>() == year);
    }

    [Fact]
    public async Task OnlyAnAdministrator_LoadsANotice()
    {
        var year = NextYear + 3;
        foreach (var token in new[] { GatewayTestHost.OperatorToken, GatewayTestHost.DepartmentToken, GatewayTestHost.Reviewer3Token })
        {
            using var client = host.Client(token);
            using var response = await client.PostAsJsonAsync("api/calendar/notices", CalendarNoticeHost.NoticeFor(year));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("api/calendar/notices", CalendarNoticeHost.NoticeFor(year))).StatusCode);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        Assert.True((await op.GetFromJsonAsync<JsonObject>($"api/calendar/{year}"))!["provisional"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AnAdministrator_PastesANotice_InTheConsole_SeesTheMistakeInChinese_FixesIt_AndTheYearIsOfficial()
    {
        var year = NextYear + 4;
        var notice = CalendarNoticeHost.NoticeFor(year, "国办发明电〔控制台〕2号");
        var good = notice["holidays"]![0]!["end"]!.GetValue<string>();
        notice["holidays"]![0]!["end"] = "2000-13-01";

        var page = await browser.SignedInAsync(host, CalendarNoticeHost.AdminToken);
        await page.ClickAsync("[data-nav=holidays]");
        await Expect(page.Locator("#calendar-years")).ToBeVisibleAsync();
        await page.Locator("#notice-paste-box summary").ClickAsync();
        await page.FillAsync("#notice-paste", notice.ToJsonString());
        await page.ClickAsync("#notice-fill");
        await Expect(page.Locator("#notice-year")).ToHaveValueAsync(year.ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("button[data-action=notice-form]");

        // The refusal names the field, in Chinese, and marks the box; nothing is saved.
        var error = page.Locator("#notice-form .error li[data-field='holidays[0].end']");
        await Expect(error).ToContainTextAsync("不是日期");
        await Expect(page.Locator("#notice-form input[data-field='holidays[0].end']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Browser.ScreenshotAsync(page, "holiday-notice-error");

        await page.Locator("#notice-form input[data-field='holidays[0].end']").FillAsync(good);
        await page.ClickAsync("button[data-action=notice-form]");
        await Expect(page.Locator("#notice-saved")).ToContainTextAsync("已载入");
        var row = page.Locator($"#calendar-years tr[data-year='{year}']");
        await Expect(row).ToHaveAttributeAsync("data-state", "official");
        await Expect(row).ToContainTextAsync("正式");
        await Expect(row).ToContainTextAsync("国办发明电〔控制台〕2号");
        await Browser.ScreenshotAsync(page, "holiday-notice-saved");

        // To correct it later, the year's arrangement as it stands fills the form again.
        await page.ReloadAsync();
        await page.FillAsync("#notice-year", year.ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("#notice-current");
        await Expect(page.Locator("#notice-source")).ToHaveValueAsync("国办发明电〔控制台〕2号");
        await Expect(page.Locator("#notice-form input[data-field='holidays[0].end']")).ToHaveValueAsync(good);

        using var op = host.Client(GatewayTestHost.OperatorToken);
        Assert.False((await op.GetFromJsonAsync<JsonObject>($"api/calendar/{year}"))!["provisional"]!.GetValue<bool>());
    }
}
