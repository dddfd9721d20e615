using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;
using MediaGateway.Tests.Review;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Console;

/// <summary>
/// Issue 21, "accessible": axe-core finds no serious or critical violation (WCAG 2.x A/AA and best practice) on any
/// console page, in Chinese and in English, and a reviewer can go from the items list to a decision with the keyboard
/// alone. One browser page is reused for the whole walk (signed in once per role; axe is injected once per document),
/// so the walk stays short on a loaded machine.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class AccessibilityTests(GatewayTestHost host, Browser browser, ITestOutputHelper output) : IClassFixture<Browser>
{
    private const string AdminToken = "mgdemo-admin-zhou";

    static AccessibilityTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violation_on_any_page_in_either_language()
    {
        var (failed, _) = await StatusScenarios.PartlyPublishedAsync(host, "无障碍发布失败");
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var waiting = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("无障碍待审"),
            body: $"据内部人士透露，正文第一段。\n\n![配图](media:{cover})\n\n第二段。")))["id"]!.GetValue<string>();

        // Every page, as the people who see it (pages, then what must be on screen before axe looks).
        var walks = new (string Token, (string Path, string Ready)[] Pages)[]
        {
            (GatewayTestHost.OperatorToken, [("items/mine", "#items"), ("compose", "#findings h2"), ($"item/{failed}", "#publications"),
                ($"signoff/{failed}", "iframe"), ("accounts", "table"), ("calendar", $"tr[data-item='{failed}']"), ("dead-letters", "table")]),
            (GatewayTestHost.Reviewer1Token, [("queue", $"#queue tr[data-item='{waiting}']"), ($"item/{waiting}", "#review-form")]),
            (GatewayTestHost.DepartmentToken, [("webhooks", "h1"), ("reports", "#report-accounts")]),
            (AdminToken, [("holidays", "#calendar-years"), ("accounts", "#global-pause"), ("dead-letters", "table")]),
        };

        var named = walks.SelectMany(w => w.Pages).Select(p => p.Path.Split('/')[0]).ToHashSet();
        var found = new List<string>();
        var clock = Stopwatch.StartNew();
        var runs = 0;
        var page = await browser.NewPageAsync(host); // one page for the whole walk
        try
        {
            // Signed in as nobody: the sign-in page.
            foreach (var lang in new[] { "zh", "en" })
            {
                await SetLanguageAsync(page, lang);
                await page.Locator(".signin h1").WaitForAsync();
                await page.WaitForFunctionAsync("() => !document.querySelector('#sign-in')?.disabled"); // the provider's settings are in
                found.AddRange(await Axe.ViolationsAsync(page, $"{lang} sign-in"));
                runs++;
            }

            foreach (var (token, listed) in walks)
            {
                await SignInAsync(page, token);
                // A page in this person's menu that no list names is walked too (a page added later).
                var menu = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#nav a[data-nav]')].map((a) => a.dataset.nav)");
                var pages = listed.Concat(menu.Where(m => !named.Contains(m)).Select(m => (Path: m, Ready: "h1"))).ToList();
                named.UnionWith(pages.Select(p => p.Path.Split('/')[0]));
                foreach (var lang in new[] { "zh", "en" })
                {
                    await SwitchLanguageAsync(page, lang);
                    foreach (var (path, ready) in pages)
                    {
                        await OpenAsync(page, path, ready);
                        found.AddRange(await Axe.ViolationsAsync(page, $"{lang} #/{path} ({Who(token)})"));
                        runs++;
                        if (AfterActing.TryGetValue(path.Split('/')[0], out var act))
                        {
                            await act.Act(page);
                            found.AddRange(await Axe.ViolationsAsync(page, $"{lang} #/{path} ({Who(token)}, {act.What})"));
                            runs++;
                        }
                    }
                }
            }

            // The review page on a 390 px phone, where the decision bar sits at the bottom of the screen.
            await SignInAsync(page, GatewayTestHost.Reviewer1Token);
            await page.SetViewportSizeAsync(390, 844);
            foreach (var lang in new[] { "zh", "en" })
            {
                await SwitchLanguageAsync(page, lang);
                await OpenAsync(page, $"item/{waiting}", "#thumb-approve");
                found.AddRange(await Axe.ViolationsAsync(page, $"{lang} 390px #/item/{waiting} (reviewer)"));
                runs++;
            }

            // The sign-off sheet as the API renders it: in the console it sits in a frame that may not run scripts, so axe
            // looks at the same HTML as a page of its own.
            var sheet = await page.Context.NewPageAsync();
            await sheet.SetContentAsync(await op.GetStringAsync($"api/content/{failed}/signoff-sheet"));
            found.AddRange(await Axe.ViolationsAsync(sheet, "zh/en 审签单 (the API's HTML)"));
            runs++;
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        output.WriteLine($"axe: {runs} pages in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(found.Count == 0, "axe-core: serious or critical violations:\n" + string.Join("\n", found.Distinct()));
    }

    /// <summary>States a person reaches by acting on a page, checked after the page itself (operator's walk).</summary>
    private static readonly Dictionary<string, (string What, Func<IPage, Task> Act)> AfterActing = new()
    {
        ["compose"] = ("a refused submit", async page =>
        {
            await page.FillAsync("#f-title", "无障碍标题");
            await page.FillAsync("#f-body", "正文。");
            await page.ClickAsync("#submit"); // no target account: the API's 400, shown next to the fields
            await page.Locator("#compose-problem li[data-field='targets']").WaitForAsync();
        }),
        ["item"] = ("the audit record unfolded", async page =>
        {
            await page.ClickAsync("#audit summary");
            await page.Locator("#audit table").WaitForAsync();
        }),
    };

    [Fact]
    public async Task A_reviewer_finds_opens_and_approves_an_item_with_the_keyboard_alone()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("键盘审核");
        // A flagged phrase: approving needs its acknowledgement, a checkbox in the findings table.
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title, body: "据内部人士透露，新举措下月实施。")))["id"]!.GetValue<string>();

        var page = await browser.SignedInAsync(host, GatewayTestHost.Reviewer1Token);
        var path = new List<string>(); // every control focus visited, for the failure message
        try
        {
            await page.GotoAsync("console/#/items");
            await Expect(page.Locator("#items")).ToBeVisibleAsync();

            // The items list: Tab to the search box, type the title, Enter; Tab to the item's link, Enter.
            await TabToAsync(page, "input[name=q]", path);
            await page.Keyboard.TypeAsync(title);
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#items tbody tr")).ToHaveCountAsync(1);
            await TabToAsync(page, $"#items a[href='#/item/{id}']", path);
            await page.Keyboard.PressAsync("Enter");

            // The item page: focus moves to its heading, so the next Tab starts in the page, not at the top of the header.
            await Expect(page.Locator("#item-title")).ToBeFocusedAsync();
            await TabToAsync(page, "input[data-ack]", path);
            await page.Keyboard.PressAsync("Space");
            await Expect(page.Locator("input[data-ack]")).ToBeCheckedAsync();
            await TabToAsync(page, "#decision-approve", path);
            await page.Keyboard.PressAsync("Space");
            await Expect(page.Locator("#decision-approve")).ToBeCheckedAsync();
            await TabToAsync(page, "#review-comment", path);
            await page.Keyboard.TypeAsync("同意发布");
            await TabToAsync(page, "#secrecy-attested", path);
            await page.Keyboard.PressAsync("Space");
            await Expect(page.Locator("#secrecy-attested")).ToBeCheckedAsync();
            await TabToAsync(page, "#review-form button[type=submit]", path);
            await page.Keyboard.PressAsync("Enter");

            // The result: the page shows the decision, waiting for the next level, and focus is back on its heading.
            await Expect(page.Locator("#timeline li.approve")).ToContainTextAsync("同意发布");
            await Expect(page.Locator("#review-form")).ToHaveCountAsync(0);
            await Expect(page.Locator("#item-title")).ToBeFocusedAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        // The decision was really recorded.
        var item = await TestData.GetAsync(op, id);
        var review = Assert.Single(item["reviews"]!.AsArray());
        Assert.Equal("approve", review!["decision"]!.GetValue<string>());
        Assert.Equal(1, review["level"]!.GetValue<int>());
        Assert.Equal("同意发布", review["comment"]!.GetValue<string>());
        Assert.Equal(2, item["awaitingLevel"]!.GetValue<int>());
        Assert.Single(review["acknowledgedFindings"]!.AsArray());
        output.WriteLine("focus path: " + string.Join(" → ", path));
    }

    /// <summary>
    /// Presses Tab until the focused element matches the selector. Every element focus lands on on the way must be a
    /// meaningful control: visible, with a name, and with a visible focus indicator (outline or shadow).
    /// </summary>
    private static async Task TabToAsync(IPage page, string selector, List<string> path, int max = 80)
    {
        for (var i = 0; i < max; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await page.EvaluateAsync<JsonElement>("""
                (selector) => {
                  let el = document.activeElement;
                  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
                  if (!el || el === document.body) return { what: 'body', problem: 'focus is on nothing', match: false };
                  if (el.tagName === 'IFRAME') return { what: 'iframe ' + (el.title || ''), problem: el.title ? null : 'a frame without a title', match: false };
                  const r = el.getBoundingClientRect();
                  const s = getComputedStyle(el);
                  const name = (el.getAttribute('aria-label') || (el.labels && el.labels[0]?.innerText) || el.innerText || el.value
                    || el.title || el.placeholder || el.getAttribute('aria-labelledby') && document.getElementById(el.getAttribute('aria-labelledby'))?.innerText || '').trim();
                  const what = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${name.slice(0, 30)}"`;
                  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
                  const problem = r.width === 0 || r.height === 0 ? 'focus on something invisible'
                    : !name ? 'focus on a control without a name'
                    : !ring ? 'no visible focus indicator' : null;
                  return { what, problem, match: el.matches(selector) };
                }
                """, selector);
            var what = focus.GetProperty("what").GetString()!;
            path.Add(what);
            if (focus.GetProperty("problem").GetString() is { } problem)
            {
                Assert.Fail($"{problem}: {what} (looking for {selector}); path so far: {string.Join(" → ", path)}");
            }

            if (focus.TryGetProperty("match", out var match) && match.GetBoolean()) return;
        }

        Assert.Fail($"{selector} not reached with {max} Tabs; path: {string.Join(" → ", path)}");
    }

    private static string Who(string token) => token.Replace("mgdemo-", "", StringComparison.Ordinal);

    private async Task SignInAsync(IPage page, string token)
    {
        await page.SetViewportSizeAsync(1360, 900);
        await page.EvaluateAsync("token => { sessionStorage.setItem('mg.console.token', token); localStorage.setItem('mg.console.lang', 'zh'); }", token);
        await page.GotoAsync("console/#/items");
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#nav a");
    }

    private static async Task SetLanguageAsync(IPage page, string lang)
    {
        await page.EvaluateAsync("lang => localStorage.setItem('mg.console.lang', lang)", lang);
        await page.ReloadAsync();
        await ExpectLangAsync(page, lang);
    }

    /// <summary>The header's language button, as a person switches; the document's lang follows.</summary>
    private static async Task SwitchLanguageAsync(IPage page, string lang)
    {
        if (await page.EvaluateAsync<string>("() => localStorage.getItem('mg.console.lang') || 'zh'") != lang)
        {
            await page.ClickAsync("#lang");
        }

        await ExpectLangAsync(page, lang);
    }

    private static Task ExpectLangAsync(IPage page, string lang) =>
        Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang == "en" ? "en" : "zh-CN");

    /// <summary>Opens a console route in the same document and waits until the page is rendered and its content is there.</summary>
    private static async Task OpenAsync(IPage page, string path, string ready)
    {
        // A new hash renders a new page; the same hash (after a language switch) has been rendered again already.
        await page.EvaluateAsync("""
            path => { window.mgPrevious = null;
                      if (location.hash !== '#/' + path) { window.mgPrevious = document.querySelector('#view').firstElementChild; location.hash = '#/' + path; } }
            """, path);
        try
        {
            await page.WaitForFunctionAsync("""
                () => { const v = document.querySelector('#view'); const f = v.firstElementChild;
                        return f && f !== window.mgPrevious && !f.matches('p.muted') && v.querySelector('h1, iframe'); }
                """);
            await page.Locator("#view " + ready).First.WaitForAsync();
        }
        catch (TimeoutException e)
        {
            var shown = await page.EvaluateAsync<string>("() => location.hash + ': ' + document.querySelector('#view').innerHTML.slice(0, 300)");
            throw new TimeoutException($"#/{path} did not show {ready}; {shown}", e);
        }
    }
}

/// <summary>
/// axe-core in the page: axe.min.js as Deque.AxeCore.Commons ships it, evaluated once per document (the console is one
/// document; hash routes keep it), run with the WCAG 2.x A/AA and best-practice rules on the top document only (the
/// preview and sign-off frames are sandboxed without scripts, so axe cannot run inside them).
/// </summary>
internal static class Axe
{
    private static readonly Lazy<string> Source = new(() =>
    {
        using var stream = typeof(Deque.AxeCore.Commons.AxeResult).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js not found in Deque.AxeCore.Commons");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

    /// <summary>Serious and critical violations, one line each: where, impact, rule id, how many nodes, the first target.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page, string where)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Source.Value);
        }

        var violations = await page.EvaluateAsync<JsonElement>("""
            async (tags) => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, iframes: false, resultTypes: ['violations'] });
              return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({
                id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                target: v.nodes[0].target.join(' '), html: v.nodes[0].html.slice(0, 120) }));
            }
            """, Tags);
        return violations.EnumerateArray().Select(v =>
            $"{where}: {v.GetProperty("impact")} {v.GetProperty("id")} ({v.GetProperty("help")}) ×{v.GetProperty("count")} at {v.GetProperty("target")}  {v.GetProperty("html")}").ToList();
    }
}
