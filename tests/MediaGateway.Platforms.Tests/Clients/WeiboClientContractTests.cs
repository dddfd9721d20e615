using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Platforms.Tests.Clients.Support;
using MediaGateway.Platforms.Weibo;
using MediaGateway.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGateway.Platforms.Tests.Clients;

/// <summary>
/// The Weibo contract: every client call against the sandbox, each fault class, and what the client reports for it
/// (class, RetryAfter, outcome unknown, accepted without status), including reconciliation by timeline lookup.
/// The sandbox and the client share one hand-moved clock, so rate-limit windows can be crossed.
/// </summary>
public sealed class WeiboClientContractTests : IAsyncLifetime, IDisposable
{
    private const string AppKey = "3141592653";
    private const string Uid = "1404376560";
    private const string OtherUid = "1404376561";
    private const string ShortUid = "1404376562";
    private const string Token = "2.00contractTokenOfTheCityOffice";
    private const string OtherToken = "2.00contractTokenOfTheHealthBureau";
    private const string ShortToken = "2.00contractTokenExpiringTomorrow";
    private const string Link = "https://www.example.gov.cn/notice/7";
    private static readonly WeiboCredentials Creds = new(Token);
    private static readonly WeiboCredentials OtherCreds = new(OtherToken);

    // 10:20:00 UTC: 40 minutes to the end of the clock hour.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 11, 3, 10, 20, 0, TimeSpan.Zero));
    private WeiboSandbox _sandbox = null!;
    private WeiboClient _client = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var now = _clock.GetUtcNow();
        _sandbox = await WeiboSandbox.StartAsync(new WeiboSandboxOptions
        {
            Port = 0,
            TimeProvider = _clock,
            Apps = { new WeiboSandboxApp(AppKey, "www.example.gov.cn") },
            Users =
            {
                new WeiboSandboxUser(Token, Uid, "示例市发布", AppKey, now.AddDays(7)),
                new WeiboSandboxUser(OtherToken, OtherUid, "示例市卫健委", AppKey, now.AddDays(7)),
                new WeiboSandboxUser(ShortToken, ShortUid, "测试应用账号", AppKey, now.AddDays(1)),
            },
        });
        _client = NewClient(TimeSpan.FromSeconds(5));
        _http = new HttpClient { BaseAddress = _sandbox.BaseAddress };
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
    }

    private WeiboClient NewClient(TimeSpan timeout) =>
        new(new WeiboClientOptions { BaseUrl = _sandbox.BaseAddress, Timeout = timeout }, _clock, NullLogger<WeiboClient>.Instance);

    private static WeiboShareRequest Post(string text) => new(text, "203.0.113.7", null);

    private Task<WeiboStatus> ShareAsync(string text, WeiboCredentials? creds = null) =>
        _client.ShareAsync(creds ?? Creds, Post(text), CancellationToken.None);

    private Task<PlatformException> ShareFailsAsync(string text, WeiboCredentials? creds = null) =>
        Assert.ThrowsAsync<PlatformException>(() => ShareAsync(text, creds));

    private void Arm(SandboxFault fault) => _sandbox.Faults.Add(fault);

    // ---- reconciliation -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Http503AfterTheEffect_IsOutcomeUnknown_AndReconciliationFindsThePost_SoNothingIsPostedAgain()
    {
        var text = $"【通知】停水安排 {Link}";
        var sendStarted = _clock.GetUtcNow();
        Arm(new SandboxFault { Path = "/2/statuses/share.json", HttpStatus = 503, AfterEffect = true });

        var ex = await ShareFailsAsync(text);
        Assert.Equal(("http-503", PlatformErrorClass.Transient, true), (ex.Code, ex.ErrorClass, ex.OutcomeUnknown));

        var found = await _client.FindRecentPostAsync(Creds, text, sendStarted, CancellationToken.None);

        Assert.NotNull(found);
        var stored = Assert.Single(_sandbox.Statuses);
        Assert.Equal(stored.IdStr, found.IdStr);
        Assert.Equal(text, found.Text);
        Assert.Equal(Uid, found.UserIdStr);
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task Http503BeforeTheEffect_IsAlsoOutcomeUnknown_ButReconciliationFindsNothing_AndTheRetryPostsOnce()
    {
        var text = $"【通知】停电安排 {Link}";
        var sendStarted = _clock.GetUtcNow();
        Arm(new SandboxFault { Path = "/2/statuses/share.json", HttpStatus = 503 });

        var ex = await ShareFailsAsync(text);
        Assert.True(ex.OutcomeUnknown); // the client cannot tell before from after

        Assert.Null(await _client.FindRecentPostAsync(Creds, text, sendStarted, CancellationToken.None));
        var retried = await ShareAsync(text);

        Assert.Equal(Assert.Single(_sandbox.Statuses).IdStr, retried.IdStr);
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task TimeoutAfterTheEffect_IsOutcomeUnknown_AndReconciliationFindsThePost()
    {
        var text = $"【提醒】寒潮预警 {Link}";
        var sendStarted = _clock.GetUtcNow();
        using var impatient = NewClient(TimeSpan.FromMilliseconds(400));
        Arm(new SandboxFault { Path = "/2/statuses/share.json", Delay = TimeSpan.FromSeconds(3), AfterEffect = true });

        var ex = await Assert.ThrowsAsync<PlatformException>(() => impatient.ShareAsync(Creds, Post(text), CancellationToken.None));

        Assert.Equal(("timeout", PlatformErrorClass.Transient, true), (ex.Code, ex.ErrorClass, ex.OutcomeUnknown));
        var found = await _client.FindRecentPostAsync(Creds, text, sendStarted, CancellationToken.None);
        Assert.Equal(Assert.Single(_sandbox.Statuses).IdStr, found?.IdStr);
    }

    [Fact]
    public async Task IdenticalText_20019_IsARepeatRefusal_AndTheLookupListsTheEarlierPost()
    {
        var text = $"【通知】重复测试 {Link}";
        var sendStarted = _clock.GetUtcNow();
        var first = await ShareAsync(text);

        var ex = await ShareFailsAsync(text);

        Assert.Equal(("20019", PlatformErrorClass.Content, true, false), (ex.Code, ex.ErrorClass, ex.RefusedAsRepeat, ex.OutcomeUnknown));
        // The lookup lists the earlier post; whether it is the caller's own is the caller's decision (time, holder).
        var found = await _client.FindRecentPostsAsync(Creds, uid: null, text, sendStarted, maxPages: 1, CancellationToken.None);
        Assert.Equal(first.IdStr, Assert.Single(found).IdStr);
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task Reconciliation_IgnoresOtherTexts_OtherAccounts_DestroyedPosts_AndPostsBeforeTheWindow()
    {
        var text = $"【通知】窗口测试 {Link}";
        var old = await ShareAsync(text);
        await _client.DestroyAsync(Creds, old.IdStr!, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(20));
        var older = await ShareAsync(text + " 旧");
        _clock.Advance(TimeSpan.FromMinutes(10));
        var since = _clock.GetUtcNow();
        await ShareAsync(text, OtherCreds);
        await ShareAsync($"【通知】别的内容 {Link}");

        Assert.Null(await _client.FindRecentPostAsync(Creds, text, since, CancellationToken.None));
        // The window reaches back ReconcileClockSkew (5 minutes) only: "旧" was 10 minutes before.
        Assert.Null(await _client.FindRecentPostAsync(Creds, text + " 旧", since, CancellationToken.None));
        Assert.Equal(older.IdStr, (await _client.FindRecentPostAsync(Creds, text + " 旧", since.AddMinutes(-12), CancellationToken.None))?.IdStr);
        Assert.NotNull(await _client.FindRecentPostAsync(OtherCreds, text, since, CancellationToken.None));
    }

    [Fact]
    public async Task Reconciliation_ReadsFurtherPages_WhenTheFirstIsFull()
    {
        var since = _clock.GetUtcNow();
        var target = $"【通知】第一条 {Link}";
        await ShareAsync(target);
        for (var i = 0; i < WeiboClient.MaxTimelineCount; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(3)); // 20 posts an hour: under the 30-per-hour limit
            await ShareAsync($"批量 {i} {Link}");
        }

        var found = await _client.FindRecentPostAsync(Creds, target, since, CancellationToken.None);

        Assert.Equal(target, found?.Text);
    }

    [Fact]
    public async Task UserTimeline_IsNewestFirst_Paged_WithTheTotal_AndWithoutDestroyedPosts()
    {
        var a = await ShareAsync($"一 {Link}");
        _clock.Advance(TimeSpan.FromSeconds(5));
        var b = await ShareAsync($"二 {Link}");
        _clock.Advance(TimeSpan.FromSeconds(5));
        var c = await ShareAsync($"三 {Link}");
        _clock.Advance(TimeSpan.FromSeconds(5));
        var gone = await ShareAsync($"四 {Link}");
        await _client.DestroyAsync(Creds, gone.IdStr!, CancellationToken.None);

        var first = await _client.GetUserTimelineAsync(Creds, Uid, 2, 1, CancellationToken.None);
        var second = await _client.GetUserTimelineAsync(Creds, null, 2, 2, CancellationToken.None);

        Assert.Equal(3, first.TotalNumber);
        Assert.Equal([c.IdStr, b.IdStr], first.Statuses.Select(s => s.IdStr));
        Assert.Equal([a.IdStr], second.Statuses.Select(s => s.IdStr));
        Assert.Equal(a.CreatedAt, second.Statuses[0].CreatedAt);
        var other = await Assert.ThrowsAsync<PlatformException>(() => _client.GetUserTimelineAsync(Creds, OtherUid, 2, 1, CancellationToken.None));
        Assert.Equal("10017", other.Code);
    }

    // ---- success with delay / held for review -----------------------------------------------------------------------

    [Theory]
    [InlineData(20032)]
    [InlineData(20053)]
    public async Task PostExistsCodes_AreAcceptedWithoutStatus_AndThePostExists_EvenWithoutAfterEffect(int code)
    {
        var text = $"【通知】审核 {code} {Link}";
        Arm(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = code });

        var status = await ShareAsync(text);

        Assert.True(status.AcceptedWithoutStatus);
        Assert.Null(status.IdStr);
        Assert.Equal(text, status.Text);
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
        Assert.Equal(Assert.Single(_sandbox.Statuses).Text, text);
    }

    // ---- rate limits ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(10022)]
    [InlineData(10023)]
    [InlineData(10024)]
    public async Task RateLimits_WaitForTheHourlyWindow_ThenReset(int code)
    {
        var resetAt = _sandbox.ExhaustRateLimit(code, Uid);
        var limits = await _client.GetRateLimitStatusAsync(Creds, CancellationToken.None);

        var ex = await ShareFailsAsync($"限流 {Link}");

        Assert.Equal((code.ToString(System.Globalization.CultureInfo.InvariantCulture), PlatformErrorClass.RateLimited, false),
            (ex.Code, ex.ErrorClass, ex.OutcomeUnknown));
        Assert.Equal(TimeSpan.FromMinutes(40), ex.RetryAfter);
        Assert.Equal(resetAt - _clock.GetUtcNow(), ex.RetryAfter);
        Assert.Equal(2400, limits.ResetTimeInSeconds);
        if (code == 10022) Assert.Equal(0, limits.RemainingIpHits);
        if (code == 10023) Assert.Equal(0, limits.RemainingUserHits);
        ExplanationAssert.IsBilingual(ex.Explanation);
        Assert.NotNull(await ShareAsync($"别的账号不受影响 {Link}", OtherCreds));
        Assert.Equal(0, _sandbox.PostEffectCount(Uid));

        _clock.Advance(ex.RetryAfter!.Value);
        Assert.NotNull((await ShareAsync($"限流 {Link}")).IdStr);
    }

    [Fact]
    public async Task PostsPerHour_Over30_Is10024_WithTheWindowAsRetryAfter()
    {
        for (var i = 0; i < 30; i++)
        {
            await ShareAsync($"第 {i} 条 {Link}");
        }

        var ex = await ShareFailsAsync($"第 31 条 {Link}");

        Assert.Equal(("10024", PlatformErrorClass.RateLimited), (ex.Code, ex.ErrorClass));
        Assert.Equal(TimeSpan.FromMinutes(40), ex.RetryAfter);
        Assert.Equal(30, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task RateLimitControlRoute_SwitchesOneAccount_AndDeleteResets()
    {
        var armed = await _http.PostAsJsonAsync("_sandbox/ratelimits", new { code = 10023, uid = Uid });
        Assert.Equal(200, (int)armed.StatusCode);
        var body = JsonNode.Parse(await armed.Content.ReadAsStringAsync())!;
        Assert.Equal(10023, body["code"]!.GetValue<int>());

        Assert.Equal("10023", (await ShareFailsAsync($"一 {Link}")).Code);
        Assert.Equal(400, (int)(await _http.PostAsJsonAsync("_sandbox/ratelimits", new { code = 20019 })).StatusCode);

        Assert.Equal(204, (int)(await _http.DeleteAsync("_sandbox/ratelimits")).StatusCode);
        Assert.NotNull((await ShareAsync($"一 {Link}")).IdStr);
    }

    // ---- per-account faults, transient errors, latency ------------------------------------------------------------

    [Fact]
    public async Task AFaultForOneUid_LeavesTheOtherAccountsAlone()
    {
        Arm(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 10001, HttpStatus = 500, Uid = OtherUid });

        var mine = await ShareAsync($"不受影响 {Link}");
        var ex = await ShareFailsAsync($"受影响 {Link}", OtherCreds);

        Assert.NotNull(mine.IdStr);
        Assert.Equal(("10001", PlatformErrorClass.Transient, true), (ex.Code, ex.ErrorClass, ex.OutcomeUnknown));
        Assert.Equal(0, _sandbox.PostEffectCount(OtherUid));
        Assert.Empty(_sandbox.Faults.Pending);
    }

    [Fact]
    public async Task AUidFault_ArmedThroughTheControlRoute_MatchesOnlyThatAccount()
    {
        var armed = await _http.PostAsync("_sandbox/faults", new StringContent(
            $$"""{"path":"/2/statuses/share.json","weiboErrorCode":10002,"httpStatus":503,"uid":"{{OtherUid}}","times":2}""",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(204, (int)armed.StatusCode);

        await ShareAsync($"一 {Link}");
        await ShareAsync($"二 {Link}");
        var pending = Assert.Single(_sandbox.Faults.Pending);

        Assert.Equal((OtherUid, 2), (pending.Uid, pending.Times));
        Assert.Equal("10002", (await ShareFailsAsync($"三 {Link}", OtherCreds)).Code);
    }

    [Fact]
    public async Task SystemBusy_BeforeSending_IsTransient_AndTheRetrySucceeds()
    {
        Arm(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 10009 });

        var ex = await ShareFailsAsync($"繁忙 {Link}");
        var retried = await ShareAsync($"繁忙 {Link}");

        Assert.Equal(("10009", PlatformErrorClass.Transient), (ex.Code, ex.ErrorClass));
        Assert.NotNull(retried.IdStr);
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task Latency_BelowTheTimeout_IsOnlySlow()
    {
        Arm(new SandboxFault { Path = "/2/statuses/share.json", Delay = TimeSpan.FromMilliseconds(300) });
        var watch = Stopwatch.StartNew();

        var status = await ShareAsync($"慢 {Link}");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"answered after {watch.Elapsed}");
        Assert.NotNull(status.IdStr);
    }

    // ---- retraction -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task DestroyWith503AfterTheEffect_IsOutcomeUnknown_TheRetractionHappenedOnce_AndTheRetryIs20101()
    {
        var posted = await ShareAsync($"撤回 {Link}");
        Arm(new SandboxFault { Path = "/2/statuses/destroy.json", HttpStatus = 503, AfterEffect = true, Uid = Uid });

        var ex = await Assert.ThrowsAsync<PlatformException>(() => _client.DestroyAsync(Creds, posted.IdStr!, CancellationToken.None));
        var again = await Assert.ThrowsAsync<PlatformException>(() => _client.DestroyAsync(Creds, posted.IdStr!, CancellationToken.None));

        Assert.True(ex.OutcomeUnknown);
        Assert.Equal(("20101", PlatformErrorClass.Permanent), (again.Code, again.ErrorClass));
        Assert.Equal(1, _sandbox.DestroyEffectCount(Uid));
        Assert.True(Assert.Single(_sandbox.Statuses).Destroyed);
        var stats = JsonNode.Parse(await _http.GetStringAsync("_sandbox/stats"))!;
        Assert.Equal(1, stats["users"]!.AsArray().Single(u => u!["uid"]!.GetValue<string>() == Uid)!["destroyEffects"]!.GetValue<int>());
    }

    [Fact]
    public async Task DestroyingAnotherAccountsPost_Is20102_Permanent()
    {
        var posted = await ShareAsync($"别人的 {Link}");

        var ex = await Assert.ThrowsAsync<PlatformException>(() => _client.DestroyAsync(OtherCreds, posted.IdStr!, CancellationToken.None));

        Assert.Equal(("20102", PlatformErrorClass.Permanent), (ex.Code, ex.ErrorClass));
        Assert.Equal(0, _sandbox.DestroyEffectCount(OtherUid));
    }

    // ---- tokens -----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task TokenInfo_FeedsTheExpiryWarning()
    {
        var week = await _client.GetTokenInfoAsync(Creds, CancellationToken.None);
        var day = await _client.GetTokenInfoAsync(new WeiboCredentials(ShortToken), CancellationToken.None);
        var now = _clock.GetUtcNow();

        Assert.Equal((Uid, TimeSpan.FromDays(7)), (week.Uid, week.ExpiresIn));
        Assert.False(WeiboTokenExpiry.IsNearExpiry(week, WeiboTokenExpiry.DefaultWarningWindow));
        Assert.True(WeiboTokenExpiry.IsNearExpiry(day, WeiboTokenExpiry.DefaultWarningWindow));
        Assert.Equal(now.AddDays(1), WeiboTokenExpiry.Assess(day, now, WeiboTokenExpiry.DefaultWarningWindow).ExpiresAt);
    }

    [Fact]
    public async Task AnExpiredToken_Is21327_Auth_ForEveryCall()
    {
        _clock.Advance(TimeSpan.FromDays(1));
        var expired = new WeiboCredentials(ShortToken);

        var share = await ShareFailsAsync($"过期 {Link}", expired);
        var info = await Assert.ThrowsAsync<PlatformException>(() => _client.GetTokenInfoAsync(expired, CancellationToken.None));
        var timeline = await Assert.ThrowsAsync<PlatformException>(() =>
            _client.FindRecentPostAsync(expired, $"过期 {Link}", _clock.GetUtcNow(), CancellationToken.None));

        Assert.All(new[] { share, info, timeline }, e => Assert.Equal(("21327", PlatformErrorClass.Auth, false), (e.Code, e.ErrorClass, e.OutcomeUnknown)));
        Assert.Contains("重新授权", share.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInjectedTokenError_IsAuth_AndNeverOutcomeUnknown()
    {
        Arm(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 21332, HttpStatus = 401 });

        var ex = await ShareFailsAsync($"无效 {Link}");

        Assert.Equal(("21332", PlatformErrorClass.Auth, false), (ex.Code, ex.ErrorClass, ex.OutcomeUnknown));
    }
}
