using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MediaGateway.Tests.Console;

/// <summary>
/// People sign in to the console at the organisation's OpenID provider (an independent oidc-provider on Node.js),
/// never with a token: authorization code with PKCE, sign-out at the provider, a session that expires mid-form, and
/// roles from a group claim (decision 38).
/// </summary>
public sealed class ConsoleSignInTests(OidcConsoleTestHost host, Browser browser) : IClassFixture<OidcConsoleTestHost>, IClassFixture<Browser>
{
    [Fact]
    public async Task The_sign_in_page_asks_for_no_token_and_offers_no_sign_out()
    {
        var page = await browser.NewPageAsync(host);
        await Expect(page.Locator(".signin h1")).ToHaveTextAsync("登录");
        await Expect(page.Locator("#sign-out")).ToBeHiddenAsync();
        Assert.DoesNotContain("退出", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        await Expect(page.Locator("#token")).ToHaveCountAsync(0);
        await Expect(page.Locator("textarea, input")).ToHaveCountAsync(0);
        await Expect(page.Locator("#sign-in")).ToHaveTextAsync("通过统一身份认证登录");
        await Expect(page.Locator("#sign-in")).ToBeEnabledAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_reviewer_signs_in_at_the_provider_and_sees_their_name()
    {
        var page = await browser.NewPageAsync(host);
        await SignInAtProviderAsync(page, "rv1-zhao");
        await Expect(page.Locator("#who-name")).ToContainTextAsync("赵磊");
        Assert.StartsWith(host.BaseAddress + "console/", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", page.Url, StringComparison.Ordinal); // the code left the address bar
        // The session is the provider's JWT for the gateway, in this tab only; the console never showed it.
        var token = await page.EvaluateAsync<string>("() => sessionStorage.getItem('mg.console.token')");
        Assert.Equal(3, token.Split('.').Length);
        var me = await MeAsync(page);
        Assert.Equal("rv1-zhao", me.GetProperty("id").GetString());
        Assert.Contains("Reviewer", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_provider_session_so_signing_in_again_asks_again()
    {
        var page = await browser.NewPageAsync(host);
        await SignInAtProviderAsync(page, "op-li");
        await Expect(page.Locator("#sign-out")).ToHaveTextAsync("退出");
        await page.ClickAsync("#sign-out");
        // Back from the provider's end-session endpoint at the console's sign-in page, signed out.
        await Expect(page.Locator("#sign-in")).ToBeEnabledAsync();
        Assert.StartsWith(host.BaseAddress + "console/", page.Url, StringComparison.Ordinal);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('mg.console.token')"));
        await Expect(page.Locator("#sign-out")).ToBeHiddenAsync();
        // The provider asks who it is again: its session ended too.
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        Assert.StartsWith(host.Provider.Issuer.ToString(), page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_expired_session_keeps_the_half_written_compose_form()
    {
        var page = await browser.NewPageAsync(host);
        await SignInAtProviderAsync(page, "op-li");
        await page.ClickAsync("[data-nav=compose]");
        await page.FillAsync("#f-title", "半途而废的稿件标题");
        await page.FillAsync("#f-body", "第一段已经写好。");
        // The gateway stops accepting the session's token (as when it expires); the next call the page makes is refused.
        await page.EvaluateAsync("() => sessionStorage.setItem('mg.console.token', 'expired-session')");
        await page.FillAsync("#f-summary", "摘要写到一半");

        // Signed in again at the provider without a question (its session still holds), back on the compose page.
        await Expect(page.Locator("#draft-restored")).ToBeVisibleAsync();
        Assert.EndsWith("#/compose", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("#f-title")).ToHaveValueAsync("半途而废的稿件标题");
        await Expect(page.Locator("#f-body")).ToHaveValueAsync("第一段已经写好。");
        await Expect(page.Locator("#f-summary")).ToHaveValueAsync("摘要写到一半");
        await Expect(page.Locator("#who-name")).ToContainTextAsync("李娜");
        Assert.Equal(3, (await page.EvaluateAsync<string>("() => sessionStorage.getItem('mg.console.token')")).Split('.').Length);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_group_claim_makes_a_person_with_no_user_entry_a_reviewer()
    {
        // 何静 (rv-he) has no entry in Users; the provider lists her in group city-news-first-review.
        var page = await browser.NewPageAsync(host);
        await SignInAtProviderAsync(page, "rv-he");
        await Expect(page.Locator("#who-name")).ToContainTextAsync("何静");
        var me = await MeAsync(page);
        Assert.Equal("rv-he", me.GetProperty("id").GetString());
        Assert.Equal(["Reviewer"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(1, me.GetProperty("reviewLevel").GetInt32());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_person_in_no_configured_group_and_no_user_entry_is_not_signed_in()
    {
        // 陈晨 (ed-chen) is only in group city-news-editors, which this gateway does not map.
        var page = await browser.NewPageAsync(host);
        await page.ClickAsync("#sign-in");
        await page.FillAsync("#login", "ed-chen");
        await page.ClickAsync("#login-submit");
        await Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("你的账号尚未开通本系统，请联系管理员。");
        await Expect(page.Locator("#nav a")).ToHaveCountAsync(0);
        // Trying again lets another account sign in: the provider asks again.
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    private static async Task SignInAtProviderAsync(IPage page, string login)
    {
        await page.ClickAsync("#sign-in");
        await page.FillAsync("#login", login);
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#nav a");
    }

    private static async Task<JsonElement> MeAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>(
            "async () => JSON.stringify(await (await fetch('/api/me', { headers: { Authorization: 'Bearer ' + sessionStorage.getItem('mg.console.token') } })).json())");
        return JsonDocument.Parse(json).RootElement;
    }
}
