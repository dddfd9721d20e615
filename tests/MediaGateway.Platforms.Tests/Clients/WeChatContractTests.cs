using System.Diagnostics;
using System.Net.Http.Json;
using MediaGateway.Platforms.Tests.Clients.Support;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGateway.Platforms.Tests.Clients;

/// <summary>
/// The WeChat contract suite: every client call against the sandbox, each fault class, and what the client does
/// (retry once on token errors, classification, 45065 as success with the same msg_id, quota with RetryAfter,
/// publishing for N polls). The sandbox runs on a hand-moved clock; the client on the system clock.
/// </summary>
public sealed class WeChatContractTests : IAsyncLifetime, IDisposable
{
    private const string ServiceApp = "wxc0ffee0000000001";
    private const string SubscriptionApp = "wxc0ffee0000000002";
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private static readonly WeChatCredentials Service = new(ServiceApp, Secret) { AccountKind = WeChatAccountKind.Service };
    private static readonly WeChatCredentials Subscription = new(SubscriptionApp, Secret);

    private readonly InMemoryTokenCache _cache = new();
    private readonly FakeTimeProvider _sandboxTime = new(new DateTimeOffset(2025, 10, 24, 2, 0, 0, TimeSpan.Zero));
    private WeChatSandbox _sandbox = null!;
    private WeChatClient _client = null!;

    public async Task InitializeAsync()
    {
        var options = new WeChatSandboxOptions { TimeProvider = _sandboxTime, PublishDelay = TimeSpan.FromSeconds(5) };
        options.Apps.Add(new WeChatSandboxApp(ServiceApp, Secret, "service"));
        options.Apps.Add(new WeChatSandboxApp(SubscriptionApp, Secret, "subscription"));
        _sandbox = await WeChatSandbox.StartAsync(options);
        _client = new WeChatClient(new WeChatClientOptions { BaseUrl = _sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(2) },
            _cache, TimeProvider.System, NullLogger<WeChatClient>.Instance);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    public void Dispose() => _client.Dispose();

    private static CancellationToken None => CancellationToken.None;

    private async Task<string> DraftAsync(WeChatCredentials creds, string title = "通知公告", int articles = 1)
    {
        var cover = (await _client.AddMaterialAsync(creds, WeChatMaterialType.Thumb,
            new MediaFile("cover.jpg", "image/jpeg", Sandbox.TestImages.Jpeg()), None)).MediaId;
        var list = Enumerable.Range(0, articles)
            .Select(i => new WeChatArticle { Title = i == 0 ? title : $"{title}{i}", Content = "<p>正文</p>", ThumbMediaId = cover })
            .ToList();
        return await _client.AddDraftAsync(creds, list, None);
    }

    // ------------------------------------------------------------------ mass send

    [Fact]
    public void ClientMsgIdFor_IsStable_32Bytes_AndDiffersPerPublication()
    {
        var a = WeChatClient.ClientMsgIdFor("pub-0001");

        Assert.Equal(a, WeChatClient.ClientMsgIdFor("pub-0001"));
        Assert.NotEqual(a, WeChatClient.ClientMsgIdFor("pub-0002"));
        Assert.Equal(32, System.Text.Encoding.UTF8.GetByteCount(a));
        Assert.Matches("^[0-9a-f]{32}$", a);
    }

    [Fact]
    public async Task SendMass_GetShowsSendingThenSuccess_AndTheDraftIsGone()
    {
        var draft = await DraftAsync(Service, "群发一次");

        var sent = await _client.SendMassAsync(Service, draft, WeChatClient.ClientMsgIdFor("p1"), sendIgnoreReprint: false, None);
        var sending = await _client.GetMassAsync(Service, sent.MsgId!, None);
        _sandboxTime.Advance(TimeSpan.FromSeconds(5));
        var done = await _client.GetMassAsync(Service, sent.MsgId!, None);

        Assert.False(sent.AlreadySent);
        Assert.NotNull(sent.MsgDataId);
        Assert.Equal(WeChatMassStatus.Sending, sending.Status);
        Assert.Equal((WeChatMassStatus.SendSuccess, sent.MsgId), (done.Status, done.MsgId));
        var gone = await Assert.ThrowsAsync<PlatformException>(() => _client.GetDraftAsync(Service, draft, None));
        Assert.Equal("40007", gone.Code);
        Assert.Equal(1, _sandbox.MassSendEffectCount(ServiceApp));
    }

    [Fact]
    public async Task SendMass_5xxAfterTheEffect_IsOutcomeUnknown_ThenTheSameIdGives45065AndTheSameMsgId()
    {
        var draft = await DraftAsync(Service);
        var id = WeChatClient.ClientMsgIdFor("p-5xx");
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/message/mass/sendall", HttpStatus = 502, AfterEffect = true });

        var lost = await Assert.ThrowsAsync<PlatformException>(() => _client.SendMassAsync(Service, draft, id, false, None));
        var again = await _client.SendMassAsync(Service, draft, id, false, None);

        Assert.True(lost.OutcomeUnknown);
        Assert.Equal(PlatformErrorClass.Transient, lost.ErrorClass);
        Assert.True(again.AlreadySent);
        Assert.Equal(_sandbox.MassSends.Single().MsgId.ToString(System.Globalization.CultureInfo.InvariantCulture), again.MsgId);
        Assert.Equal(1, _sandbox.MassSendEffectCount(ServiceApp));
    }

    [Fact]
    public async Task SendMass_TimeoutAfterTheEffect_ThenRetry_ExactlyOneSend()
    {
        var draft = await DraftAsync(Service);
        var id = WeChatClient.ClientMsgIdFor("p-timeout");
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/message/mass/sendall", AfterEffect = true, Delay = TimeSpan.FromSeconds(4) });

        var timedOut = await Assert.ThrowsAsync<PlatformException>(() => _client.SendMassAsync(Service, draft, id, false, None));
        var again = await _client.SendMassAsync(Service, draft, id, false, None);

        Assert.Equal(("timeout", true), (timedOut.Code, timedOut.OutcomeUnknown));
        Assert.True(again.AlreadySent);
        Assert.False(string.IsNullOrEmpty(again.MsgId));
        Assert.Equal(1, _sandbox.MassSendEffectCount(ServiceApp));
    }

    [Fact]
    public async Task SendMass_SubscriptionQuota_IsQuotaUntilTheNextChinaDay_ThenQuickRepeatIsRateLimited60s()
    {
        await _client.SendMassAsync(Subscription, await DraftAsync(Subscription, "今天第一篇"), "first", false, None);
        var second = await DraftAsync(Subscription, "今天第二篇");

        var quota = await Assert.ThrowsAsync<PlatformException>(() => _client.SendMassAsync(Subscription, second, "second", false, None));
        var tooSoon = await Assert.ThrowsAsync<PlatformException>(() => _client.SendMassAsync(Subscription, second, "second", false, None));

        Assert.Equal(("45028", PlatformErrorClass.Quota), (quota.Code, quota.ErrorClass));
        var expected = WeChatMassQuota.NextPeriodStart(WeChatAccountKind.Subscription, DateTimeOffset.UtcNow) - DateTimeOffset.UtcNow;
        Assert.InRange(quota.RetryAfter!.Value, expected - TimeSpan.FromSeconds(30), expected + TimeSpan.FromSeconds(1));
        Assert.Equal(("45066", PlatformErrorClass.RateLimited, TimeSpan.FromSeconds(60)), (tooSoon.Code, tooSoon.ErrorClass, tooSoon.RetryAfter));
        Assert.Equal(1, _sandbox.MassSendEffectCount(SubscriptionApp));
    }

    [Fact]
    public async Task SendMass_ServiceQuotaFault_RetryAfterRunsToTheNextChinaMonth()
    {
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/message/mass/sendall", WeChatErrcode = 45028, AppId = ServiceApp });
        var draft = await DraftAsync(Service);

        var quota = await Assert.ThrowsAsync<PlatformException>(() => _client.SendMassAsync(Service, draft, "q", false, None));

        var expected = WeChatMassQuota.NextPeriodStart(WeChatAccountKind.Service, DateTimeOffset.UtcNow) - DateTimeOffset.UtcNow;
        Assert.Equal(PlatformErrorClass.Quota, quota.ErrorClass);
        Assert.InRange(quota.RetryAfter!.Value, expected - TimeSpan.FromSeconds(30), expected + TimeSpan.FromSeconds(1));
        Assert.Equal(0, _sandbox.MassSendEffectCount(ServiceApp));
    }

    [Fact]
    public async Task DeleteMass_RetractsEveryArticle()
    {
        var sent = await _client.SendMassAsync(Service, await DraftAsync(Service, articles: 2), "del", false, None);
        _sandboxTime.Advance(TimeSpan.FromSeconds(5));

        await _client.DeleteMassAsync(Service, sent.MsgId!, 0, None);

        Assert.Equal(WeChatMassStatus.Deleted, (await _client.GetMassAsync(Service, sent.MsgId!, None)).Status);
        Assert.All(_sandbox.MassSends.Single().Deleted, Assert.True);
        var unknown = await Assert.ThrowsAsync<PlatformException>(() => _client.DeleteMassAsync(Service, "1", 0, None));
        Assert.Equal(PlatformErrorClass.Permanent, unknown.ErrorClass);
    }

    [Fact]
    public async Task SendMass_TokenRefusedOnce_IsRefreshedAndRetriedOnce_OneEffect()
    {
        var draft = await DraftAsync(Service);
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/message/mass/sendall", WeChatErrcode = 40014 });

        var sent = await _client.SendMassAsync(Service, draft, "tok", false, None);

        Assert.False(sent.AlreadySent);
        Assert.Equal(1, _cache.Invalidations);
        Assert.Equal(2, _sandbox.TokenFetchCount(ServiceApp));
        Assert.Equal(1, _sandbox.MassSendEffectCount(ServiceApp));
    }

    [Fact]
    public async Task TokenRefusedTwice_IsRetriedOnlyOnce_ThenAuth()
    {
        var draft = await DraftAsync(Service);
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/message/mass/sendall", WeChatErrcode = 40001, Times = 2 });

        var ex = await Assert.ThrowsAsync<PlatformException>(() => _client.SendMassAsync(Service, draft, "tok2", false, None));

        Assert.Equal(("40001", PlatformErrorClass.Auth), (ex.Code, ex.ErrorClass));
        Assert.Equal(1, _cache.Invalidations);
        Assert.Equal(0, _sandbox.MassSendEffectCount(ServiceApp));
    }

    [Fact]
    public async Task ExpiredTokens_OnMassGet_AreRefreshedTransparently()
    {
        var sent = await _client.SendMassAsync(Service, await DraftAsync(Service), "exp", false, None);
        _sandbox.ExpireTokens(ServiceApp);

        var outcome = await _client.GetMassAsync(Service, sent.MsgId!, None);

        Assert.Equal(WeChatMassStatus.Sending, outcome.Status);
        Assert.Equal(2, _sandbox.TokenFetchCount(ServiceApp));
    }

    // ------------------------------------------------------------------ fault classes

    [Fact]
    public async Task IpNotWhitelisted_ForOneAccount_IsConfiguration_OtherAccountsUnaffected()
    {
        _sandbox.Faults.Add(new SandboxFault { Path = "*", WeChatErrcode = 40164, AppId = SubscriptionApp, Times = 100 });

        var ex = await Assert.ThrowsAsync<PlatformException>(() => _client.GetAccessTokenAsync(Subscription, false, None));
        var draft = await DraftAsync(Service);

        Assert.Equal(("40164", PlatformErrorClass.Configuration), (ex.Code, ex.ErrorClass));
        Assert.Contains("白名单", ex.Explanation, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(draft));
        Assert.Equal(99, _sandbox.Faults.Pending.Single().Times);
    }

    [Fact]
    public async Task DailyQuota45009_IsQuota_RetryAfterTheNextChinaDay()
    {
        await _client.GetAccessTokenAsync(Service, false, None);
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/draft/add", WeChatErrcode = 45009, AppId = ServiceApp });

        var ex = await Assert.ThrowsAsync<PlatformException>(() => DraftAsync(Service));

        Assert.Equal(PlatformErrorClass.Quota, ex.ErrorClass);
        Assert.InRange(ex.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task PerMinute45011_IsRateLimited_RetryAfterWithinAMinute()
    {
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/batchget", WeChatErrcode = 45011, AppId = ServiceApp });

        var ex = await Assert.ThrowsAsync<PlatformException>(() => _client.BatchGetPublishedAsync(Service, 0, 20, true, None));

        Assert.Equal(PlatformErrorClass.RateLimited, ex.ErrorClass);
        Assert.InRange(ex.RetryAfter!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task SystemBusy_AndBare503_AreTransient_OnlyTheBare5xxIsOutcomeUnknown()
    {
        var draft = await DraftAsync(Service);
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", WeChatErrcode = -1 });
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", HttpStatus = 503 });

        var busy = await Assert.ThrowsAsync<PlatformException>(() => _client.SubmitPublishAsync(Service, draft, None));
        var bare = await Assert.ThrowsAsync<PlatformException>(() => _client.SubmitPublishAsync(Service, draft, None));

        Assert.Equal(("-1", PlatformErrorClass.Transient, false), (busy.Code, busy.ErrorClass, busy.OutcomeUnknown));
        Assert.Equal(("http-503", PlatformErrorClass.Transient, true), (bare.Code, bare.ErrorClass, bare.OutcomeUnknown));
        _sandboxTime.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, _sandbox.PublishEffectCount(ServiceApp));
    }

    [Fact]
    public async Task Latency_BelowTheTimeout_IsJustSlow()
    {
        var draft = await DraftAsync(Service);
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/draft/get", Delay = TimeSpan.FromMilliseconds(400) });

        var watch = Stopwatch.StartNew();
        var articles = await _client.GetDraftAsync(Service, draft, None);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(350), $"took {watch.Elapsed}");
        Assert.Equal("通知公告", Assert.Single(articles).Title);
    }

    [Fact]
    public async Task FaultsPostedToTheControlEndpoint_WithAppIdAndWildcard_Apply()
    {
        using var http = new HttpClient { BaseAddress = _sandbox.BaseAddress };
        var posted = await http.PostAsJsonAsync("_sandbox/faults",
            new { path = "*", appId = ServiceApp, weChatErrcode = 48001, times = 1 });

        var ex = await Assert.ThrowsAsync<PlatformException>(() => _client.GetAccessTokenAsync(Service, false, None));
        var other = await _client.GetAccessTokenAsync(Subscription, false, None);

        Assert.Equal(204, (int)posted.StatusCode);
        Assert.Equal(("48001", PlatformErrorClass.Auth), (ex.Code, ex.ErrorClass));
        Assert.False(string.IsNullOrEmpty(other.Token));
    }

    // ------------------------------------------------------------------ publishing outcomes and reconciliation

    [Fact]
    public async Task PublishingForThreePolls_ThenSuccess()
    {
        var draft = await DraftAsync(Service, "三次轮询");
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", PublishingPolls = 3 });
        var submitted = await _client.SubmitPublishAsync(Service, draft, None);
        _sandboxTime.Advance(TimeSpan.FromMinutes(1));

        var statuses = new List<WeChatPublishStatus>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await _client.GetPublishAsync(Service, submitted.PublishId, None)).Status);
        }

        Assert.Equal([WeChatPublishStatus.Publishing, WeChatPublishStatus.Publishing, WeChatPublishStatus.Publishing, WeChatPublishStatus.Success], statuses);
        Assert.Equal(1, _sandbox.PublishEffectCount(ServiceApp));
    }

    [Theory]
    [InlineData(4, WeChatPublishStatus.RejectedByReview)]
    [InlineData(2, WeChatPublishStatus.OriginalityCheckFailed)]
    public async Task AsynchronousFailure_ReportsTheStatusAndFailedIndexes_NothingPublished(int status, WeChatPublishStatus expected)
    {
        var draft = await DraftAsync(Service, "未通过", articles: 2);
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", PublishStatus = status, AppId = ServiceApp });
        var submitted = await _client.SubmitPublishAsync(Service, draft, None);
        _sandboxTime.Advance(TimeSpan.FromSeconds(5));

        var outcome = await _client.GetPublishAsync(Service, submitted.PublishId, None);

        Assert.Equal(expected, outcome.Status);
        Assert.Equal([1, 2], outcome.FailedIndexes);
        Assert.Null(outcome.ArticleId);
        Assert.Equal(0, _sandbox.PublishEffectCount(ServiceApp));
        Assert.Equal(2, (await _client.GetDraftAsync(Service, draft, None)).Count);
    }

    [Fact]
    public async Task UnknownSubmitOutcome_IsReconciledThroughBatchGet()
    {
        var draft = await DraftAsync(Service, "对账文章");
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", HttpStatus = 502, AfterEffect = true });
        var before = _sandboxTime.GetUtcNow();

        var lost = await Assert.ThrowsAsync<PlatformException>(() => _client.SubmitPublishAsync(Service, draft, None));
        _sandboxTime.Advance(TimeSpan.FromSeconds(5));
        var page = await _client.BatchGetPublishedAsync(Service, 0, 20, noContent: false, None);
        var found = await _client.FindPublishedAsync(Service,
            i => i.Articles.Any(a => a.Title == "对账文章"), before, maxPages: 3, None);
        var absent = await _client.FindPublishedAsync(Service,
            i => i.Articles.Any(a => a.Title == "不存在"), before, maxPages: 3, None);

        Assert.True(lost.OutcomeUnknown);
        var item = Assert.Single(page.Items);
        Assert.Equal(1, page.TotalCount);
        Assert.Equal("对账文章", item.Articles.Single().Title);
        Assert.Equal("<p>正文</p>", item.Articles.Single().Content);
        Assert.StartsWith(_sandbox.BaseAddress.ToString(), item.Articles.Single().Url, StringComparison.Ordinal);
        Assert.True(item.UpdateTime >= before.AddSeconds(-1));
        Assert.Equal(item.ArticleId, found?.ArticleId);
        Assert.Null(absent);
        Assert.Equal(_sandbox.PublishedArticles.Single().ArticleId, item.ArticleId);
    }

    [Fact]
    public async Task UpdateDraft_ReplacesTheArticle_AndBadIndexIsPermanent()
    {
        var draft = await DraftAsync(Service, "旧标题");
        var cover = (await _client.GetDraftAsync(Service, draft, None)).Single().ThumbMediaId;

        await _client.UpdateDraftAsync(Service, draft, 0, new WeChatArticle { Title = "新标题", Content = "<p>新正文</p>", ThumbMediaId = cover }, None);
        var bad = await Assert.ThrowsAsync<PlatformException>(() =>
            _client.UpdateDraftAsync(Service, draft, 3, new WeChatArticle { Title = "x", Content = "<p>x</p>", ThumbMediaId = cover }, None));

        var updated = (await _client.GetDraftAsync(Service, draft, None)).Single();
        Assert.Equal(("新标题", "<p>新正文</p>"), (updated.Title, updated.Content));
        Assert.Equal(("40035", PlatformErrorClass.Permanent), (bad.Code, bad.ErrorClass));
    }
}
