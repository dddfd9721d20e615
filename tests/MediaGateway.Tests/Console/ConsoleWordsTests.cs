using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaGateway.Tests.Infrastructure;
using MediaGateway.Tests.Review;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Console;

/// <summary>
/// Issue 21, "Chinese first, names not ids": every console page, walked in Chinese as the people who see it, shows no
/// internal identifier. The deny-list is built from the demo data and the API's enums (account, person and unit ids,
/// rule-list ids, enum names in both spellings, i18n keys left untranslated) plus "null", "undefined" and "NaN"; ids may sit in tooltips
/// (title attributes), never in the visible text. The data includes a failed and a retracted publication.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class ConsoleWordsTests(GatewayTestHost host, Browser browser, ITestOutputHelper output) : IClassFixture<Browser>
{
    private const string AdminToken = "mgdemo-admin-zhou";

    static ConsoleWordsTests() => SetDefaultExpectTimeout(45_000); // generous: the machine is shared and loaded

    /// <summary>Enums whose names the API sends; none may be shown as such.</summary>
    private static readonly Type[] Enums =
    [
        typeof(global::MediaGateway.Auth.Role), typeof(global::MediaGateway.Content.ContentCategory), typeof(global::MediaGateway.Content.ContentStatus), typeof(global::MediaGateway.Content.ReviewDecision),
        typeof(global::MediaGateway.Content.RetractionStatus), typeof(global::MediaGateway.Publishing.PublicationState), typeof(global::MediaGateway.Publishing.DisplayStatus), typeof(global::MediaGateway.Publishing.WaitKind),
        typeof(global::MediaGateway.Publishing.DecisionKind), typeof(global::MediaGateway.Publishing.PublishLane), typeof(global::MediaGateway.Publishing.RetractionState), typeof(global::MediaGateway.Accounts.AccountKind),
        typeof(global::MediaGateway.Accounts.PublishMode), typeof(global::MediaGateway.Accounts.AccountStatus), typeof(global::MediaGateway.Rules.Severity), typeof(global::MediaGateway.Platforms.Platform),
        typeof(global::MediaGateway.Platforms.PlatformErrorClass), typeof(global::MediaGateway.Deadlines.DeadlineState),
        typeof(global::MediaGateway.Scheduling.HolidayBehaviour), typeof(global::MediaGateway.Scheduling.SlotChoice),
    ];

    [Fact]
    public async Task Every_page_in_Chinese_shows_names_and_words_never_ids_enum_names_or_null()
    {
        var (retracted, _) = await StatusScenarios.RetractedAsync(host, "用语撤回");
        var (failed, _) = await StatusScenarios.PartlyPublishedAsync(host, "用语发布失败");
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var waiting = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("用语待审"))))["id"]!.GetValue<string>();
        var deny = await DenyListAsync();
        var found = new List<string>();

        // Operator: lists, an empty compose page, both item pages with their audit record, sign-off sheet, accounts, calendar, dead letters.
        await WalkAsync(GatewayTestHost.OperatorToken, deny, found, async page =>
        {
            await VisitAsync(page, "items/mine", deny, found);
            await VisitAsync(page, "items/all", deny, found);
            await VisitAsync(page, "compose", deny, found, "#findings h2");
            await ExpectTranslatedProblemAsync(page, found);
            Check("compose (refused)", await VisibleTextAsync(page), deny, found);
            foreach (var id in new[] { retracted, failed })
            {
                await VisitAsync(page, $"item/{id}", deny, found, "#publications");
                await page.ClickAsync("#audit summary");
                await Expect(page.Locator("#audit table")).ToBeVisibleAsync();
                Check($"item/{id} (audit)", await VisibleTextAsync(page), deny, found);
            }

            await VisitAsync(page, $"signoff/{failed}", deny, found);
            await VisitAsync(page, "accounts", deny, found);
            var history = page.Locator("details[data-history='wx-city']");
            await history.Locator("summary").ClickAsync();
            await history.Locator("li").First.WaitForAsync();
            Check("accounts (history)", await VisibleTextAsync(page), deny, found);
            await VisitAsync(page, "calendar", deny, found, $"[data-calendar-account] tr[data-item='{failed}']");
            await VisitAsync(page, "dead-letters", deny, found);
            await VisitAsync(page, "schedule/wb-city", deny, found, "#slot-settings");
        });

        // Reviewer (初审): the queue and the item waiting there.
        await WalkAsync(GatewayTestHost.Reviewer1Token, deny, found, async page =>
        {
            await VisitAsync(page, "queue", deny, found, $"#queue tr[data-item='{waiting}']");
            await VisitAsync(page, $"item/{waiting}", deny, found);
            await VisitAsync(page, "notifications", deny, found, $"li.notice a[href='#/item/{waiting}']"); // notify: the notices in words
        });

        // Department: webhooks, reports, accounts.
        await WalkAsync(GatewayTestHost.DepartmentToken, deny, found, async page =>
        {
            await VisitAsync(page, "webhooks", deny, found);
            await VisitAsync(page, "reports", deny, found, "#report-accounts");
            await VisitAsync(page, "items/all", deny, found);
        });

        // Administrator: holiday notices, accounts (global switch), reports, dead letters.
        await WalkAsync(AdminToken, deny, found, async page =>
        {
            await VisitAsync(page, "holidays", deny, found, "#calendar-years");
            await VisitAsync(page, "accounts", deny, found);
            await VisitAsync(page, "dead-letters", deny, found);
            await VisitAsync(page, "calendar", deny, found);
        });

        // Other Latin words on the pages (not ids, but worth a look: codes, units of measure), for a person to judge.
        output.WriteLine("Latin words seen: " + string.Join(" ", Seen.Order(StringComparer.Ordinal)));
        Assert.True(found.Count == 0, "internal words visible in the Chinese console:\n" + string.Join("\n", found.Distinct()));
    }

    /// <summary>A 400 on submit shows the Chinese half with the field's Chinese label, not the API's field path.</summary>
    private static async Task ExpectTranslatedProblemAsync(IPage page, List<string> found)
    {
        await page.FillAsync("#f-title", "用语测试标题");
        await page.FillAsync("#f-body", "正文。");
        await page.ClickAsync("#submit"); // no target account: 400 naming targets
        var field = page.Locator("#compose-problem li[data-field='targets']");
        await Expect(field).ToBeVisibleAsync();
        var text = await field.InnerTextAsync();
        if (!text.Contains("发布账号", StringComparison.Ordinal) || text.Contains("targets", StringComparison.Ordinal) || Regex.IsMatch(text, "[A-Za-z]{3,}"))
        {
            found.Add($"compose: a refusal reads \"{text}\" (wanted the field's Chinese label and the Chinese half of the reason)");
        }
    }

    private async Task WalkAsync(string token, IReadOnlyList<(string Word, Regex Pattern)> deny, List<string> found, Func<IPage, Task> walk)
    {
        var page = await browser.SignedInAsync(host, token);
        try
        {
            Check($"{token}: header", await page.Locator("header").InnerTextAsync(), deny, found);
            await walk(page);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task VisitAsync(IPage page, string path, IReadOnlyList<(string Word, Regex Pattern)> deny, List<string> found, string? ready = null)
    {
        await page.GotoAsync($"console/#/{path}");
        await page.WaitForFunctionAsync("() => document.querySelector('#view h1, #view iframe') && !document.querySelector('#view').innerText.includes('加载中')");
        if (ready is not null) await page.Locator(ready).First.WaitForAsync();
        Check(path, await VisibleTextAsync(page), deny, found);
    }

    private static Task<string> VisibleTextAsync(IPage page) => page.EvaluateAsync<string>("() => document.body.innerText");

    private static void Check(string where, string text, IReadOnlyList<(string Word, Regex Pattern)> deny, List<string> found)
    {
        var shown = Url().Replace(text, " "); // a URL is shown as it is (webhook receivers, links)
        lock (Seen) Seen.UnionWith(Latin().Matches(shown).Select(m => m.Value));
        foreach (var (word, pattern) in deny)
        {
            foreach (Match m in pattern.Matches(shown))
            {
                var from = Math.Max(0, m.Index - 30);
                var line = shown.Substring(from, Math.Min(shown.Length - from, m.Length + 60)).ReplaceLineEndings(" ");
                found.Add($"{where}: \"{word}\" in …{line}…");
            }
        }
    }

    /// <summary>Account, person and unit ids from the demo data and the test host, rule-list ids, enum names, null/undefined/NaN.</summary>
    private async Task<IReadOnlyList<(string Word, Regex Pattern)>> DenyListAsync()
    {
        using var admin = host.Client(AdminToken);
        var words = new HashSet<string>(StringComparer.Ordinal) { "null", "undefined", "NaN" };
        foreach (var a in (await admin.GetFromJsonAsync<JsonArray>("api/accounts"))!) words.Add(a!["id"]!.GetValue<string>());
        foreach (var file in new[] { "users.json", "departments.json", "accounts.json" })
        {
            var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Config, "demo", file)))!.AsObject();
            foreach (var (_, section) in root)
            {
                foreach (var (id, _) in section!.AsObject()) words.Add(id);
            }
        }

        words.UnionWith(["test-op-rv", "test-rv4"]);
        foreach (var list in Directory.GetFiles(Path.Combine(RepoPaths.Config, "rules"), "*.txt")) words.Add(Path.GetFileNameWithoutExtension(list));
        foreach (var name in Enums.SelectMany(Enum.GetNames))
        {
            words.Add(name);
            words.Add(char.ToLowerInvariant(name[0]) + name[1..]);
        }

        var deny = words.Select(w => (w, new Regex($@"(?<![A-Za-z0-9_\-]){Regex.Escape(w)}(?![A-Za-z0-9_\-])", RegexOptions.CultureInvariant))).ToList();
        // An i18n key shown as such (t() answers the key when it has no text for it): a word missing from i18n.js.
        deny.Add(("an i18n key", new Regex(@"(?<![A-Za-z0-9_\-])(?:st|ps|wait|rs|ev|evt|cat|lane|dec|dl|stage|cal|nf|role|pf|kind|mode|acct|ec|rl|fld|out|sev)_[A-Za-z_]+", RegexOptions.CultureInvariant)));
        return deny;
    }

    private static readonly HashSet<string> Seen = new(StringComparer.Ordinal);

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9_.:\-]+")]
    private static partial Regex Latin();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Url();
}
