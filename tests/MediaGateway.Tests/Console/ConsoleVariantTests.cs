using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Console;

/// <summary>
/// Issue 22, per-platform variants (decision 45): the reviewer sees the Weibo post's own text in the Weibo card and the
/// WeChat options (author, 阅读原文, 留言) in the phone frame; the operator writes them on the compose page, in Chinese.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConsoleVariantTests(GatewayTestHost host, Browser browser) : IClassFixture<Browser>
{
    private const string Link = "https://www.example.gov.cn/zwgk/variants.html";
    private const string Original = "https://www.example.gov.cn/zwgk/2026/original.html";

    static ConsoleVariantTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    [Fact]
    public async Task The_reviewer_sees_the_weibo_text_in_the_card_and_the_wechat_options_in_the_phone()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("变体预览");
        var weiboText = TestData.Unique("微博专用：十条新举措今起实施");
        var article = TestData.Article(cover, title);
        article["link"] = Link;
        article["author"] = "王敏";
        article["weibo"] = new JsonObject { ["text"] = weiboText };
        article["weChat"] = new JsonObject { ["originalLink"] = Original, ["comments"] = "fansOnly" };
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();

        var page = await browser.SignedInAsync(host, GatewayTestHost.Reviewer1Token);
        try
        {
            await page.GotoAsync($"console/#/item/{id}");
            var weibo = page.Locator(".weibo-card[data-preview=wb-city]");
            await Expect(weibo.Locator(".weibo-post")).ToHaveTextAsync($"{weiboText} {Link}");
            await Expect(weibo.Locator(".wb-variant")).ToHaveTextAsync("微博专用文字");

            var phone = page.Locator(".wechat-phone[data-preview=wx-city]");
            await Expect(phone.Locator(".wx-author")).ToHaveTextAsync("王敏");
            await Expect(phone.Locator(".wx-source")).ToHaveTextAsync($"阅读原文 {Original}");
            await Expect(phone.Locator(".wx-comments")).ToHaveTextAsync("留言：仅粉丝可留言");
            await Browser.ScreenshotAsync(page, "review-variants");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_operator_writes_the_variants_on_the_compose_page()
    {
        var title = TestData.Unique("变体撰写");
        var weiboText = TestData.Unique("微博上这样说");
        var page = await browser.SignedInAsync(host, GatewayTestHost.OperatorToken);
        try
        {
            await page.GotoAsync("console/#/compose");
            await page.FillAsync("#f-title", title);
            await page.FillAsync("#f-summary", "公众号摘要");
            await page.FillAsync("#f-body", "正文第一段。");
            await page.FillAsync("#f-link", Link);
            await page.SetInputFilesAsync("#f-cover", Path.Combine(RepoPaths.Config, "demo", "cover.png"));
            await Expect(page.Locator("#cover-id")).ToContainTextAsync("cover.png");
            await page.CheckAsync("[data-target=wx-city]");
            await page.CheckAsync("[data-target=wb-city]");

            // The block is in Chinese and says what the platforms allow.
            await Expect(page.Locator("#weibo-variant legend")).ToHaveTextAsync("微博专用");
            await Expect(page.Locator("label[for=f-weiboText]")).ToHaveTextAsync("微博专用文字");
            await Expect(page.Locator("#weibo-variant")).ToContainTextAsync("每条只能带 1 张图片");
            await Expect(page.Locator("#wechat-options legend")).ToHaveTextAsync("公众号文章选项");

            await page.FillAsync("#f-weiboText", weiboText);
            await page.SelectOptionAsync("#f-weiboPicture", "none");
            await page.FillAsync("#f-originalLink", Original);
            await page.SelectOptionAsync("#f-comments", "open");

            // The live preview follows: the post is the Weibo text, without a picture; the phone says comments are open.
            await Expect(page.Locator(".weibo-post[data-preview=wb-city]")).ToHaveTextAsync($"{weiboText} {Link}");
            await Expect(page.Locator(".weibo-card[data-preview=wb-city] img.wb-pic")).ToHaveCountAsync(0);
            await Expect(page.Locator(".wechat-phone[data-preview=wx-city] .wx-comments")).ToHaveTextAsync("留言：开启");
            await Expect(page.Locator(".wechat-phone[data-preview=wx-city] .wx-source-url")).ToHaveTextAsync(Original);

            await page.ClickAsync("#submit");
            await Expect(page.Locator("#item-title, #compose-problem:not([hidden])")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            var problem = page.Locator("#compose-problem:not([hidden])");
            Assert.True(await problem.CountAsync() == 0, $"submission refused: {(await problem.CountAsync() > 0 ? await problem.InnerTextAsync() : "")}");
            await Expect(page.Locator("#item-title")).ToHaveTextAsync(title);
            var id = Uri.UnescapeDataString(page.Url[(page.Url.IndexOf("#/item/", StringComparison.Ordinal) + 7)..]);

            using var op = host.Client(GatewayTestHost.OperatorToken);
            var item = await TestData.GetAsync(op, id);
            Assert.Equal(weiboText, item["weibo"]!["text"]!.GetValue<string>());
            Assert.Empty(item["weibo"]!["pictures"]!.AsArray());
            Assert.Equal(Original, item["weChat"]!["originalLink"]!.GetValue<string>());
            Assert.Equal("open", item["weChat"]!["comments"]!.GetValue<string>());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_weibo_text_over_the_limit_is_refused_naming_the_field_in_chinese()
    {
        var page = await browser.SignedInAsync(host, GatewayTestHost.OperatorToken);
        try
        {
            await page.GotoAsync("console/#/compose");
            await page.FillAsync("#f-title", TestData.Unique("变体超长"));
            await page.FillAsync("#f-body", "正文。");
            await page.FillAsync("#f-link", Link);
            await page.CheckAsync("[data-target=wb-city]");
            await page.FillAsync("#f-weiboText", new string('微', 130));
            await page.ClickAsync("#submit");
            var problem = page.Locator("#compose-problem:not([hidden])");
            await Expect(problem).ToContainTextAsync("超过 140 字");
            await Expect(problem).ToContainTextAsync("微博 · 专用文字");
            await Expect(page.Locator("[data-for='weibo.text']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("invalid"));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
