using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Console;

/// <summary>
/// The console's operations pages in a real browser against the real test gateway: re-driving a dead-lettered
/// publication, pausing and resuming an account, webhook subscription management, reports and the calendar.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConsoleOperationsTests(GatewayTestHost host, Browser browser) : IClassFixture<Browser>
{
    private const string AdminToken = "mgdemo-admin-zhou";

    static ConsoleOperationsTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    [Fact]
    public async Task An_operator_redrives_a_dead_lettered_publication_from_the_console()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var title = TestData.Unique("死信重发");
        // An expired Weibo token (21327, HTTP 401) once: an Auth failure a person must fix, so it is dead-lettered at once.
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 21327, HttpStatus = 401, Times = 1 });
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover, title, ["wb-city"]);
        article["category"] = "LivelihoodActivity"; // P11: online within 24 hours of the activity's end
        article["activityEndsAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O");
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var failed = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city");
        Assert.Equal("failed", failed["state"]!.GetValue<string>());
        Assert.True(failed["canRedrive"]!.GetValue<bool>());
        var pubId = failed["id"]!.GetValue<string>();

        var page = await browser.SignedInAsync(host, GatewayTestHost.OperatorToken);
        // The dead-letter list shows it with the failure in plain words and a link to the item.
        await page.ClickAsync("[data-nav=dead-letters]");
        var row = page.Locator($"#dead-letters tr[data-publication-id='{pubId}']");
        await Expect(row).ToContainTextAsync("授权已过期");
        await Expect(row).ToContainTextAsync("示例市发布"); // the account by name (its id only in the tooltip)
        await Expect(row).Not.ToContainTextAsync("wb-city");
        await Browser.ScreenshotAsync(page, "dead-letters");
        await row.Locator($"a[href='#/item/{id}']").ClickAsync();

        // On the item's page: the dead-letter state and a re-drive that needs a reason (the API's 400 is shown).
        var publication = page.Locator($"#publications tr[data-publication-id='{pubId}']");
        await Expect(publication.Locator(".dead-lettered")).ToBeVisibleAsync();
        await Expect(page.Locator("#deadline")).ToContainTextAsync("P11"); // the item's deadline: rule, time left, who holds it
        await publication.Locator(".redrive-reason").FillAsync("   ");
        await publication.Locator("button[data-action^=redrive-]").ClickAsync();
        await Expect(publication.Locator(".error li[data-field=reason]")).ToContainTextAsync("原因"); // the field by its Chinese label
        await publication.Locator(".redrive-reason").FillAsync("账号已重新授权，重新发送");
        await publication.Locator("button[data-action^=redrive-]").ClickAsync();

        // The page follows the publication until it is published, with its platform link.
        await Expect(page.Locator("#publications tr[data-publication='wb-city']")).ToHaveAttributeAsync("data-state", "published", new() { Timeout = 60_000 });
        await Expect(page.Locator("#publications tr[data-publication='wb-city'] a.platform-link")).ToBeVisibleAsync();
        Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        var list = await op.GetFromJsonAsync<JsonArray>("api/publications/dead-letters");
        Assert.DoesNotContain(list!, p => p!["id"]!.GetValue<string>() == pubId);
        var item = await TestData.GetAsync(op, id);
        Assert.Contains(TestData.Publication(item, "wb-city")["history"]!.AsArray(), e => e!["note"]!.GetValue<string>().Contains("账号已重新授权", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_operator_sees_why_a_publication_stopped_and_decides_from_the_console()
    {
        // Issue 18: the same Weibo text twice. The second stops with the refusal in Chinese and the earlier post as evidence;
        // the operator decides in the console that the earlier post stands.
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("重复决定");
        var first = (await TestData.SubmitAsync(op, TestData.Article(cover, title, ["wb-city"])))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, first);
        var firstPost = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, first), "wb-city")["platformId"]!.GetValue<string>();
        var second = (await TestData.SubmitAsync(op, TestData.Article(cover, title, ["wb-city"])))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, second);
        await TestData.Eventually(async () => TestData.Publication(await TestData.GetAsync(op, second), "wb-city")["state"]!.GetValue<string>() == "needsDecision",
            "the second publication stops for a decision");
        var pubId = TestData.Publication(await TestData.GetAsync(op, second), "wb-city")["id"]!.GetValue<string>();

        var page = await browser.SignedInAsync(host, GatewayTestHost.OperatorToken);
        await page.ClickAsync("[data-nav=dead-letters]");
        var row = page.Locator($"#dead-letters tr[data-publication-id='{pubId}']");
        await Expect(row).ToContainTextAsync("与本账号此前发布的内容重复");
        await Expect(row.Locator($"[data-candidate='{firstPost}']")).ToContainTextAsync("已属于另一条发布记录");
        await Expect(row.Locator("[data-decision=sendAgain]")).ToHaveCountAsync(0); // sending again would be refused too
        await Browser.ScreenshotAsync(page, "needs-decision");

        await row.Locator("[data-decision=earlierPostStands]").CheckAsync();
        await row.Locator(".redrive-reason").FillAsync("与上周通知相同，以已发布的为准");
        await row.Locator("button[data-action^=redrive-]").ClickAsync();
        await Expect(page.Locator($"#dead-letters tr[data-publication-id='{pubId}']")).ToHaveCountAsync(0);
        var decided = TestData.Publication(await TestData.GetAsync(op, second), "wb-city");
        Assert.Equal("cancelled", decided["state"]!.GetValue<string>());
        Assert.Contains(decided["history"]!.AsArray(), e => e!["note"]!.GetValue<string>().Contains("以已发布的为准", StringComparison.Ordinal));
        Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_administrator_pauses_and_resumes_an_account_from_the_accounts_page()
    {
        using var admin = host.Client(AdminToken);
        var page = await browser.SignedInAsync(host, AdminToken);
        try
        {
            await page.ClickAsync("[data-nav=accounts]");
            var row = page.Locator("#accounts tr[data-account='wx-health']");
            await Expect(row.Locator(".pause-state")).ToHaveAttributeAsync("data-pause", "running");
            await Expect(row.Locator("[data-stage]")).ToBeVisibleAsync(); // days silent from the dormancy watch
            await Expect(page.Locator("#global-pause")).ToBeVisibleAsync(); // administrators get the global switch

            await row.Locator(".pause-reason").FillAsync("账号口令更换中");
            await row.Locator("button[data-action='pause-wx-health']").ClickAsync();
            await Expect(page.Locator("#accounts tr[data-account='wx-health'] .pause-state")).ToHaveAttributeAsync("data-pause", "paused");
            await Expect(page.Locator("#accounts tr[data-account='wx-health'] .pause-state")).ToContainTextAsync("账号口令更换中");
            Assert.Equal("账号口令更换中", (await PauseOfAsync(admin, "wx-health"))?["reason"]?.GetValue<string>());
            await Browser.ScreenshotAsync(page, "accounts-paused");

            row = page.Locator("#accounts tr[data-account='wx-health']");
            await row.Locator(".pause-reason").FillAsync("口令已更换");
            await row.Locator("button[data-action='unpause-wx-health']").ClickAsync();
            await Expect(page.Locator("#accounts tr[data-account='wx-health'] .pause-state")).ToHaveAttributeAsync("data-pause", "running");
            Assert.Null(await PauseOfAsync(admin, "wx-health"));
        }
        finally
        {
            await admin.PostAsJsonAsync("api/accounts/wx-health/unpause", new { reason = "test cleanup" });
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_department_creates_a_webhook_subscription_sees_its_secret_once_and_disables_it()
    {
        var page = await browser.SignedInAsync(host, GatewayTestHost.DepartmentToken);
        await page.ClickAsync("[data-nav=webhooks]");
        await page.ClickAsync("#webhook-new summary");
        var url = host.Receiver.UrlFor(TestData.Unique("console")).ToString();
        await page.FillAsync("#wh-url", url);
        await page.FillAsync("#wh-description", "控制台测试");
        await page.ClickAsync("[data-action=webhook-create]");
        await Expect(page.Locator("#secret-value")).ToContainTextAsync("whsec_");
        var card = page.Locator("[data-subscription]", new() { HasText = url });
        await Expect(card).ToHaveAttributeAsync("data-enabled", "true");
        await Browser.ScreenshotAsync(page, "webhooks-created");

        // The secret is not shown again: after a reload, only the subscription.
        await page.ReloadAsync();
        await Expect(card).ToHaveAttributeAsync("data-enabled", "true");
        await Expect(page.Locator("#secret-once")).ToBeHiddenAsync();
        await card.Locator("button[data-action=toggle]").ClickAsync();
        await Expect(page.Locator("[data-subscription]", new() { HasText = url })).ToHaveAttributeAsync("data-enabled", "false");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.Locator("[data-subscription]", new() { HasText = url }).Locator("button[data-action=delete]").ClickAsync();
        await Expect(page.Locator("[data-subscription]", new() { HasText = url })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reports_show_the_figures_and_the_calendar_lists_accounts()
    {
        var page = await browser.SignedInAsync(host, AdminToken);
        await page.ClickAsync("[data-nav=reports]");
        await Expect(page.Locator("#report-accounts tr[data-row='wb-city']")).ToBeVisibleAsync();
        // The HTML report is fetched with the token and opened as a blob in a new tab.
        var popup = await page.RunAndWaitForPopupAsync(() => page.ClickAsync("#report-html"));
        Assert.StartsWith("blob:", popup.Url);
        await Expect(popup.Locator("body")).ToContainTextAsync("wb-city");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#report-csv"));
        Assert.EndsWith(".csv", download.SuggestedFilename);
        await Browser.ScreenshotAsync(page, "reports");

        await page.ClickAsync("[data-nav=calendar]");
        await Expect(page.Locator("[data-calendar-account='wx-city']")).ToBeVisibleAsync();
        await Expect(page.Locator("#silence")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "calendar");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_reviewer_queue_puts_the_oldest_deadline_first_and_shows_the_time_left()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        // Submitted first, due later (activity ended 1 hour ago) …
        var later = await SubmitActivityAsync(op, cover, TestData.Unique("时限较晚"), DateTimeOffset.UtcNow.AddHours(-1));
        // … submitted second, due earlier (ended 3 hours ago): P11 gives each 24 hours from the activity's end.
        var earlier = await SubmitActivityAsync(op, cover, TestData.Unique("时限较早"), DateTimeOffset.UtcNow.AddHours(-3));

        var page = await browser.SignedInAsync(host, GatewayTestHost.Reviewer1Token);
        await page.ClickAsync("[data-nav=queue]");
        await Expect(page.Locator($"#queue tr[data-item='{later}'] [data-deadline-state]")).ToBeVisibleAsync();
        var order = await page.Locator("#queue tr[data-item]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.item)");
        Assert.True(Array.IndexOf(order, earlier) < Array.IndexOf(order, later), $"queue order: {string.Join(", ", order)}");
        await Expect(page.Locator($"#queue tr[data-item='{earlier}'] .deadline")).ToContainTextAsync("剩余");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_deadline_counted_through_a_year_without_its_notice_is_marked_provisional()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover, TestData.Unique("暂定期限"));
        article["category"] = "NormativeDocument";
        article["documentNumber"] = "示政发〔2026〕" + Random.Shared.Next(10, 99) + "号";
        article["issuedOn"] = "2026-12-20"; // P10 runs into 2027, which has no notice loaded
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();

        var page = await browser.SignedInAsync(host, GatewayTestHost.OperatorToken);
        await page.GotoAsync($"console/#/item/{id}");
        await Expect(page.Locator("#deadline [data-provisional]")).ToContainTextAsync("暂定");
        await Expect(page.Locator("#deadline p.provisional")).ToContainTextAsync("按法定节假日推算");
        // As the law reads it: the end of 4 January, not "2027/1/5 00:00" (issue 19).
        await Expect(page.Locator("#deadline .due-by")).ToContainTextAsync("2027年1月4日（星期一）24时前");
        await page.Context.CloseAsync();
    }

    private static async Task<string> SubmitActivityAsync(HttpClient op, string cover, string title, DateTimeOffset endedAt)
    {
        var article = TestData.Article(cover, title, ["wx-city"]);
        article["category"] = "LivelihoodActivity";
        article["activityEndsAt"] = endedAt.ToString("O");
        return (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
    }

    private static async Task<JsonObject?> PauseOfAsync(HttpClient admin, string accountId)
    {
        var pauses = await admin.GetFromJsonAsync<JsonObject>("api/pauses");
        // Only accounts with a pause or a hold are listed.
        return pauses!["accounts"]!.AsArray().SingleOrDefault(a => a!["accountId"]!.GetValue<string>() == accountId)?["pause"] as JsonObject;
    }
}
