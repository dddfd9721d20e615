// The console as people see it, for README.md and docs/console.md: a running demo (scripts/screenshots.sh starts it
// as scripts/run.sh does), the demo people signed in at the console's OpenID provider, headless Debian Chromium at
// 1280 px (a desk) and 390 px (a phone). Data is made through the console like a person would, plus two more items
// through the API so the lists are not empty.
//
//   dotnet MediaGateway.Screenshots.dll [gateway base URL] [output directory] [repository root]
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

var baseUrl = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5380/");
var output = Path.GetFullPath(args.Length > 1 ? args[1] : "docs/images");
var root = Path.GetFullPath(args.Length > 2 ? args[2] : ".");
var cover = Path.Combine(root, "config", "demo", "cover.png");
var chromium = Environment.GetEnvironmentVariable("MG_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
Directory.CreateDirectory(output);
SetDefaultExpectTimeout(90_000);

var desk = new ViewportSize { Width = 1280, Height = 800 };
var phone = new ViewportSize { Width = 390, Height = 844 };

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = chromium,
    Headless = true,
    Args = Environment.UserName == "root" ? ["--no-sandbox"] : [], // Chromium's sandbox cannot run as root
});

// Two items already waiting, so the queue and the list show more than one card.
using (var api = new HttpClient { BaseAddress = baseUrl })
{
    api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "mgdemo-operator-li"); // config/demo/tokens.md
    using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(cover)), "file", "cover.png" } };
    var media = await (await api.PostAsync("api/media", form)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<Media>();
    foreach (var (title, category) in new[] { ("示例市2026年民生实事项目征集启事", "LivelihoodActivity"), ("示例市公共图书馆春节期间开放安排", "News") })
    {
        (await api.PostAsJsonAsync("api/content", new
        {
            title, summary = "欢迎市民提出意见建议", body = $"{title}。\n\n详情请见市政府门户网站。", link = "https://www.example.gov.cn/zwgk/2026/notice.html",
            coverMediaId = media!.Id, targets = Targets, category,
            activityEndsAt = category == "LivelihoodActivity" ? DateTimeOffset.UtcNow.AddDays(20) : (DateTimeOffset?)null,
        })).EnsureSuccessStatusCode();
    }
}

// The operator composes an article with a cover: the live preview, the rule findings.
var op = await SignInAsync("op-li", desk);
await op.ClickAsync("[data-nav=compose]");
const string Title = "示例市优化营商环境十条新举措发布";
await op.FillAsync("#f-title", Title);
await op.FillAsync("#f-summary", "市政府发布优化营商环境十条新举措");
await op.FillAsync("#f-author", "市政府办公室");
await op.FillAsync("#f-body", "市政府今日发布**优化营商环境**十条新举措，涵盖市场准入、政务服务、要素保障等方面。\n\n据内部人士透露，细则将于下月公布。");
await op.FillAsync("#f-link", "https://www.example.gov.cn/zwgk/2026/yshj.html");
await op.SetInputFilesAsync("#f-cover", cover);
await op.CheckAsync("[data-target=wx-city]");
await op.CheckAsync("[data-target=wb-city]");
await Expect(op.Locator(".wechat-phone[data-preview=wx-city] img.wx-cover")).ToHaveJSPropertyAsync("naturalWidth", 360);
await Expect(op.Locator("#findings mark.sev-flag").First).ToBeVisibleAsync();
await ShotAsync(op, "compose");
await op.ClickAsync("#submit");
await Expect(op.Locator("#item-title")).ToHaveTextAsync(Title);
var item = Uri.UnescapeDataString(op.Url[(op.Url.IndexOf("#/item/", StringComparison.Ordinal) + 7)..]);

// 初审 on a phone: the queue as cards, the article in its phone frame, 同意 / 退回 at the bottom.
var first = await SignInAsync("rv1-zhao", phone);
await first.ClickAsync("[data-nav=queue]");
await Expect(first.Locator($"#queue tr[data-item='{item}']")).ToBeVisibleAsync();
await ShotAsync(first, "queue-phone");
await first.Locator($"#queue tr[data-item='{item}'] a").First.ClickAsync();
await Expect(first.Locator("#thumb-approve")).ToBeVisibleAsync();
await ShotAsync(first, "review-phone");
await ApproveAsync(first, thumb: true);

// 审核 and 审发 at a desk.
foreach (var login in new[] { "rv2-qian", "rv3-sun" })
{
    var reviewer = await SignInAsync(login, desk);
    await reviewer.GotoAsync($"console/#/item/{Uri.EscapeDataString(item)}");
    await Expect(reviewer.Locator("#review-form")).ToBeVisibleAsync();
    if (login == "rv2-qian") await ShotAsync(reviewer, "review");
    await ApproveAsync(reviewer, thumb: false);
    await reviewer.Context.CloseAsync();
}

// The operator's page follows the publications to published, with the platforms' links; the sign-off sheet (审签单).
await op.ReloadAsync();
foreach (var account in new[] { "wx-city", "wb-city" })
{
    await Expect(op.Locator($"#publications tr[data-publication='{account}']")).ToHaveAttributeAsync("data-state", "published");
}

await ShotAsync(op, "published");
await op.ClickAsync("#signoff-link");
await Expect(op.FrameLocator("#signoff-frame").Locator("body")).ToContainTextAsync(Title);
await ShotAsync(op, "signoff-sheet");

// The same lists on a phone: each row a card, each value under its column's name.
await op.SetViewportSizeAsync(phone.Width, phone.Height);
await op.GotoAsync("console/#/items/mine");
await Expect(op.Locator($"#items tr[data-item='{item}']")).ToBeVisibleAsync();
await op.Locator("#item-results").EvaluateAsync("el => el.scrollIntoView({ block: 'start' })");
await ShotAsync(op, "items-phone", top: false);
await op.ClickAsync("[data-nav=accounts]");
await Expect(op.Locator("#accounts tr[data-account='wx-city']")).ToBeVisibleAsync();
await ShotAsync(op, "accounts-phone");
Console.WriteLine($"screenshots in {output}");
return 0;

async Task<IPage> SignInAsync(string login, ViewportSize size)
{
    var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = baseUrl.ToString(), Locale = "zh-CN", TimezoneId = "Asia/Shanghai", ViewportSize = size, DeviceScaleFactor = 1,
    });
    context.SetDefaultTimeout(90_000);
    var page = await context.NewPageAsync();
    await page.GotoAsync("console/");
    await page.ClickAsync("#sign-in");
    await page.FillAsync("#login", login); // the demo provider asks for the login name only
    await page.ClickAsync("#login-submit");
    await page.WaitForSelectorAsync("#nav a");
    return page;
}

async Task ApproveAsync(IPage page, bool thumb)
{
    if (thumb) await page.ClickAsync("#thumb-approve"); else await page.CheckAsync("#decision-approve");
    await page.CheckAsync("#secrecy-attested");
    foreach (var ack in await page.Locator("input[data-ack]").AllAsync()) await ack.CheckAsync(); // the flagged phrase
    await page.FillAsync("#review-comment", "同意");
    await page.ClickAsync("[data-action=review-form]");
    await Expect(page.Locator("#review-form")).ToHaveCountAsync(0);
}

async Task ShotAsync(IPage page, string name, bool top = true)
{
    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    await page.WaitForFunctionAsync("() => [...document.images].every((i) => i.complete)");
    if (top) await page.EvaluateAsync("() => window.scrollTo(0, 0)");
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, name + ".png") });
    Console.WriteLine($"{name}.png");
}

internal sealed record Media(string Id);

internal static partial class Program
{
    private static readonly string[] Targets = ["wx-city", "wb-city"];
}
