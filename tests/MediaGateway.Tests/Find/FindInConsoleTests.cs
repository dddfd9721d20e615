using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Console;
using MediaGateway.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Find;

/// <summary>
/// Find and be told, in Chromium: the items list searches a Chinese substring and filters by category, shows the
/// deadline column, and the menu's 待审 tab carries the count of what waits for the reviewer (GET /api/me/waiting).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class FindInConsoleTests(GatewayTestHost host, Browser browser) : IClassFixture<Browser>
{
    static FindInConsoleTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    private static readonly string[] WxCity = ["wx-city"];

    [Fact]
    public async Task Waiting_counts_follow_the_review_and_exclude_what_the_reviewer_cannot_decide()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var reviewer = host.Client(GatewayTestHost.Reviewer1Token);
        using var level2 = host.Client(GatewayTestHost.Reviewer2Token);
        var before1 = (await reviewer.GetFromJsonAsync<JsonObject>("api/me/waiting"))!["review"]!.GetValue<int>();
        var before2 = (await level2.GetFromJsonAsync<JsonObject>("api/me/waiting"))!["review"]!.GetValue<int>();
        var cover = await TestData.UploadCoverAsync(op);
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("待我审核"), WxCity)))["id"]!.GetValue<string>();

        Assert.Equal(before1 + 1, (await reviewer.GetFromJsonAsync<JsonObject>("api/me/waiting"))!["review"]!.GetValue<int>());
        using var approve = await TestData.ReviewAsync(reviewer, id);
        Assert.True(approve.IsSuccessStatusCode);
        Assert.Equal(before1, (await reviewer.GetFromJsonAsync<JsonObject>("api/me/waiting"))!["review"]!.GetValue<int>());
        Assert.Equal(before2 + 1, (await level2.GetFromJsonAsync<JsonObject>("api/me/waiting"))!["review"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_list_searches_Chinese_filters_shows_deadlines_and_the_queue_tab_counts_what_waits()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var tag = TestData.Unique("防汛");
        var news = await TestData.SubmitAsync(op, TestData.Article(cover, $"关于{tag}工作的通知", WxCity));
        var activityArticle = TestData.Article(cover, $"{tag}演练活动回顾", WxCity);
        activityArticle["category"] = "LivelihoodActivity";
        activityArticle["activityEndsAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O");
        var activity = await TestData.SubmitAsync(op, activityArticle);
        var other = await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("其他稿件"), WxCity));

        var page = await browser.SignedInAsync(host, GatewayTestHost.Reviewer1Token);
        try
        {
            using var reviewer = host.Client(GatewayTestHost.Reviewer1Token);
            var waiting = (await reviewer.GetFromJsonAsync<JsonObject>("api/me/waiting"))!["review"]!.GetValue<int>();
            await page.GotoAsync("console/#/items");
            await Expect(page.Locator("[data-nav=queue] [data-waiting=queue]")).ToHaveTextAsync(waiting > 99 ? "99+" : waiting.ToString());

            await page.FillAsync("#item-filters input[name=q]", tag[2..]);
            await page.ClickAsync("#item-filters button[type=submit]");
            await Expect(page.Locator("#items tbody tr")).ToHaveCountAsync(2);
            await Expect(page.Locator($"#items tr[data-item='{other["id"]}']")).ToHaveCountAsync(0);
            var activityRow = page.Locator($"#items tr[data-item='{activity["id"]}']");
            await Expect(activityRow.Locator(".item-deadline [data-deadline-state]")).ToHaveAttributeAsync("data-deadline-state", "running");
            await Expect(activityRow.Locator(".item-deadline")).ToContainTextAsync("剩余");

            await page.SelectOptionAsync("#item-filters select[name=category]", "news");
            await page.ClickAsync("#item-filters button[type=submit]");
            await Expect(page.Locator("#items tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator($"#items tr[data-item='{news["id"]}']")).ToBeVisibleAsync();
            await Browser.ScreenshotAsync(page, "items-search");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
