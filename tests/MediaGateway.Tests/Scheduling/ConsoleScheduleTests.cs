using System.Globalization;
using MediaGateway.Tests.Console;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Scheduling;

/// <summary>
/// The console, in Chinese at 390 px: the compose page warns while the operator picks a time and offers the next free
/// slot; the item page shows the times each account got; the schedule page lists the account's queue by name, in China time.
/// </summary>
[Collection(SchedulingCollection.Name)]
public sealed class ConsoleScheduleTests(SchedulingTestHost host, Browser browser) : IClassFixture<Browser>
{
    static ConsoleScheduleTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    [Fact]
    public async Task Compose_warns_offers_the_next_free_slot_and_the_queue_shows_the_item_on_a_phone()
    {
        // China's zone, as the console's users have it (docs: console conventions), on a 390 px phone.
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString(), Locale = "zh-CN", TimezoneId = "Asia/Shanghai", ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        context.SetDefaultTimeout(45_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("console/");
        await page.EvaluateAsync("token => sessionStorage.setItem('mg.console.token', token)", GatewayTestHost.OperatorToken);
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#nav a");
        try
        {
            await page.GotoAsync("console/#/compose");
            await page.Locator("#f-title").FillAsync("排期测试" + Guid.NewGuid().ToString("N")[..6]);
            await page.Locator("#f-body").FillAsync("正文第一段。");
            await page.Locator("#f-link").FillAsync("https://www.example.gov.cn/zwgk/slot.html");
            await page.Locator("input[data-target='wb-city']").CheckAsync();

            // Seven minutes past a slot, China time (the input is read in the browser's zone, China's here).
            var china = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Date.AddDays(21);
            while (china.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || china.Month is 1 or 2 or 4 or 5 or 6 or 9 or 10) china = china.AddDays(1);
            await page.Locator("#f-publishAt").FillAsync(china.ToString("yyyy-MM-dd'T'08:37", CultureInfo.InvariantCulture));
            var offSlot = page.Locator("#schedule-warnings li[data-warning='offSlot']");
            await Expect(offSlot).ToContainTextAsync("不在本账号的发布时段（08:30、12:00、17:30）");

            // Asking for the next free slot instead: the time input is set aside and the slot shows by account name.
            await page.Locator("#f-slot").CheckAsync();
            await Expect(page.Locator("#f-publishAt")).ToBeDisabledAsync();
            await Expect(page.Locator("#slot-plan li[data-account='wb-city']")).ToContainTextAsync("示例市发布 · 微博");
            await Expect(page.Locator("#slot-plan li[data-account='wb-city']")).ToContainTextAsync("下一个空闲时段");
            await Expect(offSlot).ToHaveCountAsync(0);

            await page.Locator("#submit").ClickAsync();
            // The console routes by the hash: the item page is a same-document navigation, with no load event to wait for.
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/#/item/[^/]+$"));
            var itemId = Uri.UnescapeDataString(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
            await Expect(page.Locator("#slot-times [data-slot-account='wb-city']")).ToContainTextAsync("示例市发布 · 微博");

            await page.GotoAsync("console/#/schedule/wb-city");
            var row = page.Locator($"#schedule-queue tr[data-item='{itemId}']");
            await Expect(row).ToContainTextAsync("待初审");
            await Expect(page.Locator("#slot-settings")).ToContainTextAsync("工作日 08:30、12:00、17:30，休息日不发");
            await Expect(page.Locator($"#schedule-slots tr[data-free='false'] a[href='#/item/{itemId}']")).ToHaveCountAsync(1);
            var text = await page.Locator("#view").InnerTextAsync();
            foreach (var id in new[] { "wb-city", "inReview", "Skip", "null", "undefined", "NaN" }) Assert.DoesNotContain(id, text, StringComparison.Ordinal);
            var sideways = await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth > innerWidth");
            Assert.False(sideways, "the schedule page scrolls sideways on a 390 px phone");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
