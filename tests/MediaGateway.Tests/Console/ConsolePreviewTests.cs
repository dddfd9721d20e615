using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Console;

/// <summary>
/// Issue 21, "review what will be published": the reviewer sees the WeChat article as a follower will (rendered, in a
/// 375 px phone with cover, title, digest and author, findings marked in place), the Weibo post as a card with its
/// picture and the length Weibo counts, the changes since the previous revision word by word, and chooses the decision
/// themselves; the sign-off sheet is one click away.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConsolePreviewTests(GatewayTestHost host, Browser browser) : IClassFixture<Browser>
{
    // 80 characters a follower reads: 6 in bold, a flagged phrase ("据内部人士透露") in the middle.
    private const string Body = "**优化营商环境**新举措。据内部人士透露，细则将另行公布。"
        + "市民可通过政务服务网站办理相关业务。市民可通过政务服务网站办理相关业务。市民可通过政务服务网站办理相关业务。";

    private const string Link = "https://www.example.gov.cn/zwgk/preview.html";

    static ConsolePreviewTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    [Fact]
    public async Task The_reviewer_sees_the_article_in_a_phone_frame_and_the_weibo_card_with_platform_counts_and_must_choose_a_decision()
    {
        Assert.Equal(80, new StringInfo(Body.Replace("**", "", StringComparison.Ordinal)).LengthInTextElements);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("预览测试");
        var article = Article(cover, title, Body + $"\n\n![配图](media:{cover})");
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();

        var page = await browser.SignedInAsync(host, GatewayTestHost.Reviewer1Token);
        try
        {
            await page.GotoAsync($"console/#/item/{id}");
            await Expect(page.Locator("#review-form")).ToBeVisibleAsync();

            // No decision is chosen for the reviewer; sending without one says so and sends nothing.
            await Expect(page.Locator("#decision-approve")).Not.ToBeCheckedAsync();
            await Expect(page.Locator("#decision-reject")).Not.ToBeCheckedAsync();
            await page.ClickAsync("[data-action=review-form]");
            await Expect(page.Locator("#review-form .error")).ToContainTextAsync("请先选择“同意”或“退回”");
            Assert.Empty((await TestData.GetAsync(op, id))["reviews"]!.AsArray());

            // The WeChat article as a follower sees it: a 375 px phone, cover, title, digest, author, rendered body.
            var phone = page.Locator(".wechat-phone[data-preview=wx-city]");
            var screen = await phone.Locator(".phone-screen").BoundingBoxAsync();
            Assert.NotNull(screen);
            Assert.Equal(375, screen.Width, 1.0);
            await Expect(phone.Locator(".wx-card-title")).ToHaveTextAsync(title);
            await Expect(phone.Locator(".wx-digest")).ToHaveTextAsync("营商环境新举措");
            await Expect(phone.Locator(".wx-title")).ToHaveTextAsync(title);
            await Expect(phone.Locator(".wx-author")).ToHaveTextAsync("市政府办公室");
            await Expect(phone.Locator("img.wx-cover")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
            Assert.True(await phone.Locator("img.wx-cover").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))") > 0,
                "the cover is loaded from the gateway's media endpoint");
            var articleBody = page.FrameLocator(".wechat-phone[data-preview=wx-city] iframe.wechat-body");
            await Expect(articleBody.Locator("strong")).ToHaveTextAsync("优化营商环境");
            await Expect(articleBody.Locator("body")).Not.ToContainTextAsync("**");
            Assert.True(await articleBody.Locator("img[data-media]").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))") > 0,
                "the body image is loaded from the gateway's media endpoint");
            // The flagged finding is marked where it is in the rendered article.
            await Expect(articleBody.Locator("mark.sev-flag")).ToHaveTextAsync("据内部人士透露");

            // The length a follower reads (80), not the HTML's; the HTML's length beside it against WeChat's limit.
            await Expect(phone.Locator(".wx-count")).ToHaveTextAsync("正文 80 字");
            await Expect(phone.Locator(".wx-html-count")).ToContainTextAsync("/ 19999 字符");

            // The Weibo post as a card, its picture, and its length as weibo.md counts it (every character one, at most 140).
            var post = $"【{title}】营商环境新举措 {Link}";
            var weibo = page.Locator(".weibo-card[data-preview=wb-city]");
            await Expect(weibo.Locator(".weibo-post")).ToHaveTextAsync(post);
            await Expect(weibo.Locator(".wb-count")).ToHaveTextAsync($"{new StringInfo(post).LengthInTextElements} / 140 字（按微博计）");
            await Expect(weibo.Locator("img.wb-pic")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
            await Browser.ScreenshotAsync(page, "review-preview");

            // On a 390 px phone the frame and the card fit the screen: nothing of them scrolls sideways.
            await page.SetViewportSizeAsync(390, 844);
            foreach (var preview in new[] { phone, weibo })
            {
                var box = await preview.BoundingBoxAsync();
                Assert.NotNull(box);
                Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"preview spans {box.X}..{box.X + box.Width} on a 390 px screen");
            }

            await page.SetViewportSizeAsync(1360, 900);

            // The sign-off sheet is one click away.
            await page.ClickAsync("#review-signoff");
            await Expect(page.FrameLocator("#signoff-frame").Locator("body")).ToContainTextAsync(title);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_second_revision_highlights_the_changed_words_in_the_text_as_published()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var reviewer = host.Client(GatewayTestHost.Reviewer1Token);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("修订对比");
        var id = (await TestData.SubmitAsync(op, Article(cover, title, "第一段**保持不变**。\n\n活动时间待定。")))["id"]!.GetValue<string>();
        using (var rejected = await TestData.ReviewAsync(reviewer, id, "reject", comment: "请补充活动时间"))
        {
            Assert.True(rejected.IsSuccessStatusCode, await rejected.Content.ReadAsStringAsync());
        }

        using (var revised = await op.PutAsJsonAsync($"api/content/{id}", Article(cover, title, "第一段**保持不变**。\n\n活动时间为十二月一日上午。")))
        {
            Assert.True(revised.IsSuccessStatusCode, await revised.Content.ReadAsStringAsync());
        }

        var page = await browser.SignedInAsync(host, GatewayTestHost.Reviewer1Token);
        try
        {
            await page.GotoAsync($"console/#/item/{id}");
            var body = page.Locator("#diff [data-diff-field=body]");
            await Expect(body.Locator("ins")).ToHaveTextAsync("为十二月一日上午");
            await Expect(body.Locator("del")).ToHaveTextAsync("待定");
            // The rendered text is compared: no Markdown markup in it, and the unchanged words are not marked.
            await Expect(body).Not.ToContainTextAsync("**");
            await Expect(body).ToContainTextAsync("第一段保持不变。");
            await Expect(page.Locator("#diff [data-diff-field=title]")).ToHaveCountAsync(0);
            await Expect(page.Locator("#diff")).ToContainTextAsync("未改动：标题");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_preview_route_counts_what_a_follower_reads_and_serves_only_the_items_own_images_to_who_may_see_it()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var other = (await TestData.UploadAsync(op, TestData.Gif(), "other.gif"))["id"]!.GetValue<string>();
        var id = (await TestData.SubmitAsync(op, Article(cover, TestData.Unique("预览接口"), Body)))["id"]!.GetValue<string>();

        var preview = (await op.GetFromJsonAsync<JsonObject>($"api/content/{id}/preview"))!;
        var weChat = preview["weChat"]![0]!;
        Assert.Equal(80, weChat["readerLength"]!.GetValue<int>());
        Assert.True(weChat["estimatedLength"]!.GetValue<int>() > 80, "the HTML is longer than what a follower reads");
        Assert.DoesNotContain("**", weChat["readerText"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(cover, weChat["coverMediaId"]!.GetValue<string>());
        Assert.Equal(140, preview["weibo"]![0]!["maxLength"]!.GetValue<int>());

        using (var image = await op.GetAsync($"api/content/{id}/media/{cover}"))
        {
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        }

        // An image the item does not show, and an item the caller may not see, are both "not found".
        using (var notShown = await op.GetAsync($"api/content/{id}/media/{other}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, notShown.StatusCode);
        }

        using var health = host.Client(GatewayTestHost.HealthOperatorToken);
        using (var notVisible = await health.GetAsync($"api/content/{id}/media/{cover}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, notVisible.StatusCode);
        }

        using (var previewNotVisible = await health.GetAsync($"api/content/{id}/preview"))
        {
            Assert.Equal(HttpStatusCode.NotFound, previewNotVisible.StatusCode);
        }

        using var anonymous = host.Client(null);
        using (var noToken = await anonymous.GetAsync($"api/content/{id}/media/{cover}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        }
    }

    private static JsonObject Article(string cover, string title, string body)
    {
        var article = TestData.Article(cover, title, body: body);
        article["link"] = Link;
        article["author"] = "市政府办公室";
        return article;
    }
}
