using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Console;

/// <summary>
/// Issue 21, compose: a picture chosen for a draft that is not saved yet shows at once, in the form and in the phone
/// preview (it used to be a grey box until the item existed), and is the item's picture once submitted.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConsoleComposeImageTests(GatewayTestHost host, Browser browser) : IClassFixture<Browser>
{
    static ConsoleComposeImageTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    private const int CoverWidth = 360; // config/demo/cover.png is 360×200: an image that loaded, not a placeholder

    [Fact]
    public async Task A_picture_chosen_for_a_new_draft_shows_at_once_and_is_the_items_picture_once_submitted()
    {
        var title = TestData.Unique("草稿配图");
        var cover = Path.Combine(RepoPaths.Config, "demo", "cover.png");
        var page = await browser.SignedInAsync(host, GatewayTestHost.OperatorToken);
        try
        {
            await page.ClickAsync("[data-nav=compose]");
            await page.FillAsync("#f-title", title);
            await page.FillAsync("#f-summary", "政务公开日活动安排");
            await page.FillAsync("#f-body", "本周政务公开日活动安排如下。");
            await page.FillAsync("#f-link", "https://www.example.gov.cn/zwgk/compose-image.html");
            await page.CheckAsync("[data-target=wx-city]");
            await page.CheckAsync("[data-target=wb-city]");

            // The cover: seen at once beside its field, on the WeChat card and as the Weibo picture.
            await page.SetInputFilesAsync("#f-cover", cover);
            await Expect(page.Locator("#cover-id img")).ToHaveJSPropertyAsync("naturalWidth", CoverWidth);
            await Expect(page.Locator("#cover-id")).ToContainTextAsync("cover.png");
            await Expect(page.Locator("#cover-id")).Not.ToContainTextAsync("media:"); // the id only as a tooltip
            await Expect(page.Locator(".wechat-phone[data-preview=wx-city] img.wx-cover")).ToHaveJSPropertyAsync("naturalWidth", CoverWidth);
            await Expect(page.Locator(".weibo-card[data-preview=wb-city] img.wb-pic")).ToHaveJSPropertyAsync("naturalWidth", CoverWidth);
            var coverId = await page.Locator(".wechat-phone[data-preview=wx-city] img.wx-cover").GetAttributeAsync("data-media");

            // A picture in the body: its reference goes into the text, and the article in the phone shows it.
            await page.SetInputFilesAsync("#f-body-image", new FilePayload
            {
                Name = "body.png", MimeType = "image/png", Buffer = await File.ReadAllBytesAsync(cover),
            });
            await Expect(page.Locator("#f-body")).ToHaveValueAsync(new Regex(@"!\[body\.png\]\(media:[^)]+\)"));
            var bodyImage = page.FrameLocator(".wechat-phone[data-preview=wx-city] iframe.wechat-body").Locator("img[data-media]");
            await Expect(bodyImage).ToHaveJSPropertyAsync("naturalWidth", CoverWidth);
            var bodyId = await bodyImage.GetAttributeAsync("data-media");

            await page.ClickAsync("#submit");
            await Expect(page.Locator("#item-title, #compose-problem:not([hidden])")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            var problem = page.Locator("#compose-problem:not([hidden])");
            Assert.True(await problem.CountAsync() == 0, $"submission refused: {(await problem.CountAsync() > 0 ? await problem.InnerTextAsync() : "")}");
            await Expect(page.Locator("#item-title")).ToHaveTextAsync(title);

            // The item holds both pictures, and its page (loaded afresh, nothing kept from the compose page) shows them
            // through the item.
            var id = Uri.UnescapeDataString(page.Url[(page.Url.IndexOf("#/item/", StringComparison.Ordinal) + 7)..]);
            using var op = host.Client(GatewayTestHost.OperatorToken);
            var item = (await op.GetFromJsonAsync<JsonObject>($"api/content/{Uri.EscapeDataString(id)}"))!;
            Assert.Equal(coverId, item["coverMediaId"]!.GetValue<string>());
            Assert.Contains($"(media:{bodyId})", item["body"]!.GetValue<string>());
            await page.ReloadAsync();
            await Expect(page.Locator(".wechat-phone[data-preview=wx-city] img.wx-cover")).ToHaveJSPropertyAsync("naturalWidth", CoverWidth);
            await Expect(page.FrameLocator(".wechat-phone[data-preview=wx-city] iframe.wechat-body").Locator($"img[data-media='{bodyId}']"))
                .ToHaveJSPropertyAsync("naturalWidth", CoverWidth);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
