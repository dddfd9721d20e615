using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Console;

/// <summary>
/// The console's main flows in a real browser against a real gateway (Redis, sandboxes): every click goes
/// through the public API with the signed-in user's token.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConsoleFlowTests(GatewayTestHost host, Browser browser) : IClassFixture<Browser>
{
    static ConsoleFlowTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    [Fact]
    public async Task Operator_submits_three_reviewers_approve_and_the_item_shows_published_with_platform_links()
    {
        var title = TestData.Unique("控制台发布");
        var op = await browser.SignedInAsync(host, GatewayTestHost.OperatorToken);
        var id = await ComposeAndSubmitAsync(op, title, "市政府今日发布**优化营商环境**新举措。\n\n据内部人士透露，细则将另行公布。", screenshot: true);
        await Expect(op.Locator(".item .badge[data-status]")).ToHaveAttributeAsync("data-status", "inReview");
        // The flag-level finding is highlighted in place in the article as it will be published.
        await Expect(op.FrameLocator(".wechat-phone[data-preview=wx-city] iframe.wechat-body").Locator("mark.sev-flag")).ToContainTextAsync("据内部人士透露");

        foreach (var (token, level) in new[] { (GatewayTestHost.Reviewer1Token, 1), (GatewayTestHost.Reviewer2Token, 2), (GatewayTestHost.Reviewer3Token, 3) })
        {
            var reviewer = await browser.SignedInAsync(host, token);
            await reviewer.ClickAsync("[data-nav=queue]");
            var row = reviewer.Locator($"#queue tr[data-item='{id}']");
            await Expect(row).ToContainTextAsync(title);
            if (level == 1) await Browser.ScreenshotAsync(reviewer, "queue");
            await row.Locator("a").ClickAsync();
            await Expect(reviewer.Locator("#review-form")).ToBeVisibleAsync();
            if (level == 1) await Browser.ScreenshotAsync(reviewer, "review");
            // Approving without acknowledging the flagged finding is refused by the API, and the console says why.
            await reviewer.CheckAsync("#decision-approve");
            await reviewer.CheckAsync("#secrecy-attested");
            await reviewer.FillAsync("#review-comment", "同意");
            await reviewer.ClickAsync("[data-action=review-form]");
            await Expect(reviewer.Locator("#review-form .error li[data-field=acknowledgedFindings]")).ToContainTextAsync("须确认的提示"); // the field by its Chinese label
            await Expect(reviewer.Locator("#review-form .error")).Not.ToContainTextAsync("acknowledgedFindings");
            await reviewer.CheckAsync("input[data-ack]");
            await reviewer.ClickAsync("[data-action=review-form]");
            await Expect(reviewer.Locator("#timeline")).ToContainTextAsync("赵磊|钱芳|孙伟".Split('|')[level - 1]);
            await reviewer.Context.CloseAsync();
        }

        // The operator's page follows the publications until they are published, each with its platform link.
        await op.ReloadAsync();
        foreach (var account in new[] { "wx-city", "wb-city" })
        {
            var publication = op.Locator($"#publications tr[data-publication='{account}']");
            await Expect(publication).ToHaveAttributeAsync("data-state", "published", new() { Timeout = 60_000 });
            var href = await publication.Locator("a.platform-link").GetAttributeAsync("href");
            Assert.StartsWith("http://127.0.0.1:", href);
            using var platformPage = await new HttpClient().GetAsync(href);
            Assert.Equal(HttpStatusCode.OK, platformPage.StatusCode); // the sandbox serves the published article / post
        }

        await Expect(op.Locator(".item .badge[data-status]")).ToHaveAttributeAsync("data-status", "approved");
        await Browser.ScreenshotAsync(op, "published");
        await op.ClickAsync("#signoff-link");
        await Expect(op.FrameLocator("#signoff-frame").Locator("body")).ToContainTextAsync(title);
        await Browser.ScreenshotAsync(op, "signoff-sheet");
        await op.ClickAsync("[data-nav=accounts]");
        await Expect(op.Locator("#accounts tr[data-account='wx-city']")).ToContainTextAsync("示政务新媒备");
        await Browser.ScreenshotAsync(op, "accounts");
        await op.Context.CloseAsync();

        var department = await browser.SignedInAsync(host, GatewayTestHost.DepartmentToken);
        await department.ClickAsync("[data-nav=webhooks]");
        await Expect(department.Locator("[data-subscription] .deliveries").First).ToContainTextAsync("提交"); // content.submitted, in words
        await Browser.ScreenshotAsync(department, "webhooks");
        await department.Context.CloseAsync();
    }

    [Fact]
    public async Task A_reviewer_cannot_approve_their_own_item_in_the_console_nor_through_the_api_from_the_browser()
    {
        var title = TestData.Unique("自审测试");
        var page = await browser.SignedInAsync(host, GatewayTestHost.OperatorReviewerToken);
        var id = await ComposeAndSubmitAsync(page, title, "本周政务公开日活动安排。");

        // The console offers no decision on one's own item …
        await Expect(page.Locator("#item-title")).ToHaveTextAsync(title);
        await Expect(page.Locator("#review-form")).ToHaveCountAsync(0);
        await page.ClickAsync("[data-nav=queue]");
        await Expect(page.Locator($"#queue tr[data-item='{id}']")).ToContainTextAsync("作者不能审核自己的内容");

        // … and a request crafted in the same browser, with the same token, is refused by the API (P5).
        var answer = await page.EvaluateAsync<System.Text.Json.JsonElement>(@"async (id) => {
            const r = await fetch(`/api/content/${id}/reviews`, { method: 'POST',
              headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sessionStorage.getItem('mg.console.token')}` },
              body: JSON.stringify({ decision: 'approve', secrecyAttested: true, comment: 'self' }) });
            return { status: r.status, detail: (await r.json()).detail };
        }", id);
        Assert.Equal(403, answer.GetProperty("status").GetInt32());
        Assert.Contains("P5", answer.GetProperty("detail").GetString());

        using var api = host.Client(GatewayTestHost.OperatorToken);
        var item = await TestData.GetAsync(api, id);
        Assert.Empty(item["reviews"]!.AsArray());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_rejected_item_returns_to_its_author_with_the_comment_and_the_revision_shows_what_changed()
    {
        var title = TestData.Unique("退回测试");
        var op = await browser.SignedInAsync(host, GatewayTestHost.OperatorToken);
        var id = await ComposeAndSubmitAsync(op, title, "第一段。\n\n活动时间待定。");

        var reviewer = await browser.SignedInAsync(host, GatewayTestHost.Reviewer1Token);
        await reviewer.GotoAsync($"console/#/item/{id}");
        await reviewer.CheckAsync("#decision-reject");
        await reviewer.FillAsync("#review-comment", "请补充具体活动时间");
        await reviewer.ClickAsync("[data-action=review-form]");
        await Expect(reviewer.Locator(".item .badge[data-status]")).ToHaveAttributeAsync("data-status", "rejected");
        await reviewer.Context.CloseAsync();

        // The author finds it among their own items, returned with the reviewer's words.
        await op.ClickAsync("[data-nav=items]");
        var row = op.Locator($"#items tr[data-item='{id}']");
        await Expect(row.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "rejected");
        await row.Locator("a").ClickAsync();
        await Expect(op.Locator("#rejection")).ToContainTextAsync("请补充具体活动时间");
        await Expect(op.Locator("#rejection")).ToContainTextAsync("赵磊");

        // Editing makes revision 2, back at 初审, and the diff shows the change.
        await op.ClickAsync("#revise");
        await op.FillAsync("#f-body", "第一段。\n\n活动时间为12月1日上午9时。");
        await op.ClickAsync("#submit");
        await Expect(op.Locator(".item .badge[data-status]")).ToHaveAttributeAsync("data-status", "inReview");
        await Expect(op.Locator(".meta")).ToContainTextAsync("2");
        await Expect(op.Locator("#diff [data-diff-field=body] del")).ToHaveTextAsync("待定");
        await Expect(op.Locator("#diff [data-diff-field=body] ins")).ToHaveTextAsync("为12月1日上午9时");
        await op.Context.CloseAsync();
    }

    [Fact]
    public async Task A_refused_session_is_back_at_sign_in_and_english_is_one_click_away()
    {
        // A session the gateway no longer accepts; this host has no OpenID provider, so the page says whom to ask.
        var page = await browser.NewPageAsync(host);
        await page.EvaluateAsync("() => sessionStorage.setItem('mg.console.token', 'not-a-real-key')");
        await page.ReloadAsync();
        await Expect(page.Locator(".signin h1")).ToHaveTextAsync("登录");
        await Expect(page.Locator(".signin")).ToContainTextAsync("未配置统一身份认证登录");
        await Expect(page.Locator("#token")).ToHaveCountAsync(0);
        await Expect(page.Locator("#sign-out")).ToBeHiddenAsync();
        await page.ClickAsync("#lang");
        await Expect(page.Locator(".signin h1")).ToHaveTextAsync("Sign in");
        await page.EvaluateAsync("token => sessionStorage.setItem('mg.console.token', token)", GatewayTestHost.OperatorToken);
        await page.ReloadAsync();
        await Expect(page.Locator("[data-nav=compose]")).ToHaveTextAsync("Compose");
        await Browser.ScreenshotAsync(page, "items-en");
        await page.Context.CloseAsync();
    }

    /// <summary>Fills the compose form (cover upload, both city accounts), waits for the live preview, submits; the new item's id.</summary>
    private static async Task<string> ComposeAndSubmitAsync(IPage page, string title, string body, bool screenshot = false)
    {
        await page.ClickAsync("[data-nav=compose]");
        await page.FillAsync("#f-title", title);
        await page.FillAsync("#f-summary", "示例市发布新举措");
        await page.FillAsync("#f-body", body);
        await page.FillAsync("#f-link", "https://www.example.gov.cn/zwgk/console.html");
        await page.SetInputFilesAsync("#f-cover", Path.Combine(RepoPaths.Config, "demo", "cover.png"));
        await Expect(page.Locator("#cover-id")).ToContainTextAsync("cover.png"); // the chosen file, its media id as tooltip
        await page.CheckAsync("[data-target=wx-city]");
        await page.CheckAsync("[data-target=wb-city]");
        // The live preview: the Weibo post as it will be sent, and the WeChat article in its frame.
        await Expect(page.Locator(".weibo-post[data-preview=wb-city]")).ToContainTextAsync($"【{title}】");
        await Expect(page.Locator(".wechat-phone[data-preview=wx-city] .wx-title")).ToHaveTextAsync(title);
        await Expect(page.FrameLocator(".wechat-phone[data-preview=wx-city] iframe.wechat-body").Locator("body")).Not.ToBeEmptyAsync();
        if (screenshot) await Browser.ScreenshotAsync(page, "compose");
        await page.ClickAsync("#submit");
        // Either the item's page or the API's refusal, which then fails the test with its words.
        await Expect(page.Locator("#item-title, #compose-problem:not([hidden])")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var problem = page.Locator("#compose-problem:not([hidden])");
        Assert.True(await problem.CountAsync() == 0, $"submission refused: {(await problem.CountAsync() > 0 ? await problem.InnerTextAsync() : "")}");
        await Expect(page.Locator("#item-title")).ToHaveTextAsync(title);
        Assert.Matches(new Regex("#/item/"), page.Url);
        return Uri.UnescapeDataString(page.Url[(page.Url.IndexOf("#/item/", StringComparison.Ordinal) + 7)..]);
    }
}
