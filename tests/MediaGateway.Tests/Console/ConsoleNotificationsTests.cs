using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Console;

/// <summary>
/// Issue 21, "be told": the header's 通知 link shows the unread count; the notifications page lists the person's notices
/// in Chinese with names (never ids or codes), in China time, each linking to its item; following a link marks it read,
/// 全部标为已读 clears the count. On a 390 px phone, in Chromium, against the real gateway.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConsoleNotificationsTests(GatewayTestHost host, Browser browser) : IClassFixture<Browser>
{
    static ConsoleNotificationsTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    [Fact]
    public async Task A_reviewer_sees_the_waiting_item_in_the_notices_on_a_phone_and_reads_it()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var rv1 = host.Client(GatewayTestHost.Reviewer1Token);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("通知页面");
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title, ["wx-city"])))["id"]!.GetValue<string>();
        var later = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("通知页面后"), ["wx-city"])))["id"]!.GetValue<string>();
        JsonObject? notice = null, newer = null;
        async Task<JsonObject?> NoticeOf(string contentId) => (await rv1.GetFromJsonAsync<JsonObject>("api/me/notifications?take=200"))!["items"]!.AsArray()
            .Select(n => n!.AsObject()).FirstOrDefault(n => n["contentId"]!.GetValue<string>() == contentId);
        await TestData.Eventually(async () => (notice = await NoticeOf(id)) is not null && (newer = await NoticeOf(later)) is not null,
            "the reviewer is told of both items", TimeSpan.FromSeconds(30));

        var page = await browser.SignedInAsync(host, GatewayTestHost.Reviewer1Token);
        try
        {
            await page.SetViewportSizeAsync(390, 844);
            await page.ReloadAsync();
            var count = page.Locator("#notices-link #notices-unread-count");
            await Expect(count).ToBeVisibleAsync();
            await page.Locator("#notices-link").ClickAsync();
            var row = page.Locator($"li.notice[data-notice-id='{notice!["id"]!.GetValue<string>()}']");
            await Expect(row).ToBeVisibleAsync();
            await Expect(row).ToHaveAttributeAsync("data-read", "false");
            await Expect(row).ToContainTextAsync("等待你审核（初审）");
            await Expect(row).ToContainTextAsync($"《{title}》");
            await Expect(row).ToContainTextAsync("示例市发布 · 微信公众号"); // the account by name, not wx-city
            var china = DateTimeOffset.Parse(notice["at"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(8));
            await Expect(row.Locator("time")).ToContainTextAsync(china.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
            await Expect(page.Locator("#notices-unread")).ToContainTextAsync("北京时间");

            var visible = await page.Locator("#view").InnerTextAsync();
            foreach (var word in new[] { "wx-city", "reviewRequested", "rv1-zhao", "null", "undefined", "NaN" })
                Assert.DoesNotContain(word, visible, StringComparison.Ordinal);
            Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= innerWidth"), "the page scrolls sideways on a 390 px phone");
            var link = (await page.Locator("#notices-link").BoundingBoxAsync())!;
            Assert.True(link.X >= 0 && link.X + link.Width <= 390, "the 通知 link is on screen");

            // Following the notice opens the item and marks it read.
            await row.Locator("a.notice-link").ClickAsync();
            await page.WaitForURLAsync($"**/#/item/{id}");
            await TestData.Eventually(async () => (await NoticeOf(id))!["read"]!.GetValue<bool>(), "following the notice marked it read");
            await page.Locator("#notices-link").ClickAsync();
            // Read up to it: it is read, the newer notice not yet.
            await Expect(page.Locator($"li.notice[data-notice-id='{notice["id"]!.GetValue<string>()}']")).ToHaveAttributeAsync("data-read", "true");
            await Expect(page.Locator($"li.notice[data-notice-id='{newer!["id"]!.GetValue<string>()}']")).ToHaveAttributeAsync("data-read", "false");
            await Expect(count).ToBeVisibleAsync();

            await page.Locator("#notices-read-all").ClickAsync();
            await Expect(page.Locator("#notices-unread")).ToContainTextAsync("0 条未读");
            await Expect(count).ToHaveCountAsync(0);
            await Expect(page.Locator("li.notice.unread")).ToHaveCountAsync(0);
            await Browser.ScreenshotAsync(page, "notifications");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
