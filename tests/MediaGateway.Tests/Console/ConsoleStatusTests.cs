using MediaGateway.Tests.Infrastructure;
using MediaGateway.Tests.Review;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Console;

/// <summary>
/// Issue 18 in the browser: the items list, the calendar and the item page say what happened to the posts — a
/// retracted item is 已撤回 (not 已审发, no platform link, the time it went), an item with one failed and one
/// published publication is 部分发布（1/2）, a published item is 已发布 in the calendar (not 待发布), and a post
/// published on a retry carries no error of the attempt before.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConsoleStatusTests(GatewayTestHost host, Browser browser) : IClassFixture<Browser>
{
    static ConsoleStatusTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    [Fact]
    public async Task The_list_the_calendar_and_the_item_page_tell_retracted_partly_published_and_published_apart()
    {
        var (retracted, _) = await StatusScenarios.RetractedAsync(host, "控制台撤回");
        var (partly, _) = await StatusScenarios.PartlyPublishedAsync(host, "控制台部分发布");
        var (retried, _) = await StatusScenarios.PublishedAfterARetryAsync(host, "控制台重试");

        var page = await browser.SignedInAsync(host, GatewayTestHost.OperatorToken);
        try
        {
            await page.GotoAsync("console/#/items/all");
            var retractedRow = page.Locator($"#items tr[data-item='{retracted}']");
            await Expect(retractedRow).ToContainTextAsync("已撤回");
            await Expect(retractedRow).Not.ToContainTextAsync("已审发");
            var partlyRow = page.Locator($"#items tr[data-item='{partly}']");
            await Expect(partlyRow).ToContainTextAsync("部分发布（1/2）");
            await Expect(partlyRow).ToContainTextAsync("发布失败");
            await Expect(partlyRow).Not.ToContainTextAsync("已审发");

            await page.ClickAsync("[data-nav=calendar]");
            var onWeChat = page.Locator($"[data-calendar-account='wx-city'] tr[data-item='{partly}']");
            await Expect(onWeChat).ToContainTextAsync("已发布");
            await Expect(onWeChat).Not.ToContainTextAsync("待发布");
            var onWeibo = page.Locator($"[data-calendar-account='wb-city'] tr[data-item='{partly}']");
            await Expect(onWeibo).ToContainTextAsync("发布失败");
            await Expect(onWeibo).Not.ToContainTextAsync("已发布");
            await Expect(page.Locator($"[data-calendar-account='wx-city'] tr[data-item='{retracted}']")).ToContainTextAsync("已撤回");

            await page.GotoAsync($"console/#/item/{retracted}");
            foreach (var account in new[] { "wx-city", "wb-city" })
            {
                var row = page.Locator($"#publications tr[data-publication='{account}']");
                await Expect(row).ToHaveAttributeAsync("data-status", "retracted");
                await Expect(row).ToContainTextAsync("已撤回");
                await Expect(row).ToContainTextAsync("撤回于");
                await Expect(row.Locator("a.platform-link")).ToHaveCountAsync(0);
            }

            await Expect(page.Locator("#publication-status")).ToContainTextAsync("已撤回");

            await page.GotoAsync($"console/#/item/{retried}");
            var weibo = page.Locator("#publications tr[data-publication='wb-city']");
            await Expect(weibo).ToHaveAttributeAsync("data-status", "published");
            await Expect(weibo.Locator("a.platform-link")).ToBeVisibleAsync();
            await Expect(weibo.Locator(".failure")).ToHaveCountAsync(0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
