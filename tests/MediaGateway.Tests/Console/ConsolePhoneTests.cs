using MediaGateway.Tests.Infrastructure;
using MediaGateway.Tests.Review;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Console;

/// <summary>
/// Issue 21, "works on a phone": every console page, walked as the people who see it, at 390×844 (nothing scrolls
/// sideways, the header fits with 退出 on screen, every table shown as labelled cards (each value under its column's
/// label, no scrolling inside the table, the row's link on screen), the reviewer's 同意/退回 within a thumb's reach).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConsolePhoneTests(GatewayTestHost host, Browser browser) : IClassFixture<Browser>
{
    private const string AdminToken = "mgdemo-admin-zhou";

    static ConsolePhoneTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    [Fact]
    public async Task Every_page_fits_a_390_px_phone_with_tables_as_labelled_cards_and_the_decision_within_a_thumbs_reach()
    {
        var (failed, waiting) = await DataAsync();
        var found = new List<string>();
        await WalkAsync(failed, waiting, "zh", Phone, async (page, where) => found.AddRange(await PhoneProblemsAsync(page, where)));
        Assert.True(found.Count == 0, "not usable on a 390 px phone:\n" + string.Join("\n", found));

        // The reviewer's decision: a bar at the bottom of the screen chooses 同意 and brings the form's send button into view.
        var reviewer = await SignedInAsync(GatewayTestHost.Reviewer1Token, "zh", Phone);
        try
        {
            await OpenAsync(reviewer, $"item/{waiting}");
            var approve = reviewer.Locator("#thumb-approve");
            await Expect(approve).ToBeVisibleAsync();
            var box = (await approve.BoundingBoxAsync())!;
            Assert.True(box.Y >= Phone.Height * 0.6 && box.Y + box.Height <= Phone.Height, $"同意 at y={box.Y}, not at the bottom of a {Phone.Height} px screen");
            Assert.True(box.Height >= 40, $"同意 is {box.Height} px high: too small for a thumb");
            await approve.ClickAsync();
            await Expect(reviewer.Locator("#decision-approve")).ToBeCheckedAsync();
            await Expect(reviewer.Locator("#review-form button[type=submit]")).ToBeInViewportAsync();
        }
        finally
        {
            await reviewer.Context.CloseAsync();
        }

    }

    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>A publication that failed (a full item page with publications) and an item waiting for 初审.</summary>
    private async Task<(string Failed, string Waiting)> DataAsync()
    {
        var (failed, _) = await StatusScenarios.PartlyPublishedAsync(host, "手机发布失败");
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var waiting = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("手机待审"))))["id"]!.GetValue<string>();
        return (failed, waiting);
    }

    /// <summary>Every page, as the people who see it.</summary>
    private async Task WalkAsync(string failed, string waiting, string lang, ViewportSize size, Func<IPage, string, Task> check)
    {
        var walks = new (string Token, string[] Paths)[]
        {
            (GatewayTestHost.OperatorToken, ["items/mine", "compose", $"item/{failed}", $"signoff/{failed}", "accounts", "calendar", "dead-letters"]),
            (GatewayTestHost.Reviewer1Token, ["queue", $"item/{waiting}", "notifications"]),
            (GatewayTestHost.DepartmentToken, ["webhooks", "reports", "items/all"]),
            (AdminToken, ["holidays", "accounts", "dead-letters"]),
        };
        foreach (var (token, paths) in walks)
        {
            var page = await SignedInAsync(token, lang, size);
            try
            {
                foreach (var path in paths)
                {
                    await OpenAsync(page, path);
                    await OpenAuditAsync(page);
                    await check(page, $"{token[..Math.Min(token.Length, 18)]} #/{path}");
                }
            }
            finally
            {
                await page.Context.CloseAsync();
            }
        }
    }

    private async Task<IPage> SignedInAsync(string token, string lang, ViewportSize size)
    {
        var page = await browser.SignedInAsync(host, token);
        await page.SetViewportSizeAsync(size.Width, size.Height);
        if (lang == "en")
        {
            await page.EvaluateAsync("() => localStorage.setItem('mg.console.lang', 'en')");
            await page.ReloadAsync();
            await page.WaitForSelectorAsync("#nav a");
        }

        return page;
    }

    private static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync($"console/#/{path}");
        await page.WaitForFunctionAsync("() => document.querySelector('#view h1, #view iframe') && !document.querySelector('#view p.muted:only-child')");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>An item page's audit record is a table too: open it so the walk sees it.</summary>
    private static async Task OpenAuditAsync(IPage page)
    {
        var audit = page.Locator("#audit");
        if (await audit.CountAsync() == 0)
        {
            return;
        }

        await audit.Locator("summary").ClickAsync();
        await Expect(audit.Locator("table tbody tr").First).ToBeVisibleAsync();
    }

    /// <summary>What keeps a page from being used on a phone, as the browser lays it out.</summary>
    private static async Task<IReadOnlyList<string>> PhoneProblemsAsync(IPage page, string where)
    {
        var problems = await page.EvaluateAsync<string[]>("""
            () => {
              const out = [];
              const w = innerWidth;
              const doc = document.scrollingElement;
              if (doc.scrollWidth > w) out.push(`scrolls sideways: ${doc.scrollWidth} px wide on a ${w} px screen`);
              const header = document.querySelector('header.top');
              if (header.scrollWidth > header.clientWidth + 1) out.push(`header overflows: ${header.scrollWidth} > ${header.clientWidth}`);
              const signOut = document.getElementById('sign-out').getBoundingClientRect();
              if (signOut.width === 0 || signOut.right > w || signOut.left < 0) out.push(`退出 is off screen (${Math.round(signOut.left)}..${Math.round(signOut.right)})`);
              // Tables become labelled cards: a row is a card as wide as its table, each value under its column's
              // header (the label shown before it), nothing scrolling inside the table's box, the row's link on screen.
              for (const table of document.querySelectorAll('#view table')) {
                if (table.getBoundingClientRect().width === 0) continue;
                if (table.scrollWidth > table.clientWidth + 1) out.push(`table scrolls inside its box: ${table.scrollWidth} px in ${table.clientWidth} px (${table.id || table.className})`);
                for (const cell of table.querySelectorAll('tbody td')) {
                  const r = cell.getBoundingClientRect();
                  if (r.width === 0 || !cell.innerText.trim()) continue;
                  const row = cell.closest('tr').getBoundingClientRect();
                  if (r.width < row.width * 0.8) out.push(`cell is a column, not a line of a card: ${Math.round(r.width)} of ${Math.round(row.width)} px: "${cell.innerText.trim().slice(0, 20)}"`);
                  const label = cell.dataset.label;
                  if (!label) { out.push(`cell without its column's label: "${cell.innerText.trim().slice(0, 20)}"`); continue; }
                  const shown = getComputedStyle(cell, '::before').content;
                  if (shown !== JSON.stringify(label)) out.push(`label "${label}" not shown before "${cell.innerText.trim().slice(0, 20)}" (${shown})`);
                }
                for (const link of table.querySelectorAll('tbody a, tbody button')) {
                  const r = link.getBoundingClientRect();
                  if (r.width > 0 && (r.left < 0 || r.right > w + 1)) out.push(`"${link.innerText.trim().slice(0, 20)}" is off screen (${Math.round(r.left)}..${Math.round(r.right)})`);
                }
              }
              for (const cell of document.querySelectorAll('#view td, #view th')) {
                const r = cell.getBoundingClientRect();
                const text = cell.innerText.trim();
                if (r.width === 0 || text.length < 3) continue;
                const line = parseFloat(getComputedStyle(cell).lineHeight) || 20;
                // A cell squeezed to a character or two per line: narrow and as many lines as characters.
                if (r.width < 56 && r.height > line * 3) out.push(`table cell squeezed to ${Math.round(r.width)} px: "${text.slice(0, 20)}"`);
              }
              return out.slice(0, 12);
            }
            """);
        return problems.Select(p => $"{where}: {p}").ToList();
    }
}
