using MediaGateway.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaGateway.Tests.Console;

/// <summary>
/// Headless Debian Chromium driven by Playwright. The browser is the system one (<c>/usr/bin/chromium</c>, or
/// <c>MG_CHROMIUM</c>); Playwright never downloads a browser. scripts/test.sh installs the package when missing.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    public static string ExecutablePath => Environment.GetEnvironmentVariable("MG_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>When set, the browser tests save the pages they saw there, for a look while debugging (the README's pictures come from scripts/screenshots.sh).</summary>
    public static string? ScreenshotDirectory => Environment.GetEnvironmentVariable("MG_SCREENSHOTS_DIR") is { Length: > 0 } dir ? dir : null;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium not found at {ExecutablePath}: run scripts/test.sh (installs the Debian 'chromium' package) or set MG_CHROMIUM");
        }

        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Chromium's sandbox cannot run as root (CI runs as root); the pages are our own, on loopback.
            Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
            Timeout = 60_000,
        });
    }

    /// <summary>A fresh browser profile (its own session storage) on the console's sign-in page, signed in as nobody.</summary>
    public async Task<IPage> NewPageAsync(GatewayTestHost host, string locale = "zh-CN")
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString(), Locale = locale, ViewportSize = new ViewportSize { Width = 1360, Height = 900 },
        });
        context.SetDefaultTimeout(45_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("console/");
        return page;
    }

    /// <summary>
    /// A fresh browser profile signed in to the console with this bearer credential. Test-only: the credential is put
    /// where the console keeps its session (this tab's sessionStorage), as the sign-in at the OpenID provider does
    /// (ConsoleSignInTests drive that one); people never paste a token.
    /// </summary>
    public async Task<IPage> SignedInAsync(GatewayTestHost host, string token, string locale = "zh-CN")
    {
        var page = await NewPageAsync(host, locale);
        await page.EvaluateAsync("token => sessionStorage.setItem('mg.console.token', token)", token);
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#nav a");
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (ScreenshotDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = false });
        }
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
