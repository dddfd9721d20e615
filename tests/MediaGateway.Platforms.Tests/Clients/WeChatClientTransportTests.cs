using System.Text;
using System.Text.Json;
using MediaGateway.Platforms.Tests.Clients.Support;
using MediaGateway.Platforms.WeChat;
using Microsoft.AspNetCore.Http;

namespace MediaGateway.Platforms.Tests.Clients;

/// <summary>The WeChat client over real HTTP against a canned loopback server: token handling, wire format, transport failures.</summary>
public sealed class WeChatClientTransportTests
{
    private const string AppId = "wx0123456789abcdef";
    private const string Secret = "s3cr3t-app-secret-value";
    private static readonly WeChatCredentials Creds = new(AppId, Secret);
    private static readonly DateTimeOffset Start = new(2025, 6, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryTokenCache _cache = new();
    private readonly ListLogger<WeChatClient> _log = new();

    private static WeChatArticle Article(string title = "通知") => new() { Title = title, Content = "<p>正文</p>", ThumbMediaId = "thumb-1" };

    private WeChatClient Client(Uri baseUrl, TimeSpan? timeout = null) =>
        new(new WeChatClientOptions { BaseUrl = baseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(5) }, _cache, _time, _log);

    /// <summary>stable_token answers TOKEN-1, TOKEN-2, …; every other path answers <paramref name="api"/>.</summary>
    private static Task<StubServer> StartWeChatStub(Func<StubRequest, HttpContext, Task> api)
    {
        var tokens = 0;
        return StubServer.StartAsync((request, ctx) =>
            request.Path == "/cgi-bin/stable_token"
                ? StubServer.Json(ctx, $"{{\"access_token\":\"TOKEN-{Interlocked.Increment(ref tokens)}\",\"expires_in\":7200}}")
                : api(request, ctx));
    }

    [Fact]
    public async Task Token_IsFetchedOnceThenReusedFromTheCache()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "{\"media_id\":\"DRAFT-1\"}"));
        using var client = Client(stub.BaseAddress);

        await client.AddDraftAsync(Creds, [Article()], CancellationToken.None);
        await client.AddDraftAsync(Creds, [Article()], CancellationToken.None);

        var fetch = Assert.Single(stub.RequestsTo("/cgi-bin/stable_token"));
        using var body = JsonDocument.Parse(fetch.Body);
        Assert.Equal("client_credential", body.RootElement.GetProperty("grant_type").GetString());
        Assert.Equal(AppId, body.RootElement.GetProperty("appid").GetString());
        Assert.Equal(Secret, body.RootElement.GetProperty("secret").GetString());
        Assert.False(body.RootElement.GetProperty("force_refresh").GetBoolean());
        Assert.All(stub.RequestsTo("/cgi-bin/draft/add"), r => Assert.Equal("TOKEN-1", r.Query["access_token"]));
        Assert.Equal(new WeChatAccessToken("TOKEN-1", Start.AddSeconds(7200)), _cache.Peek(AppId));
    }

    [Fact]
    public async Task Token_ExpiringWithinRefreshAhead_IsRefreshed_OtherwiseKept()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "{}"));
        using var client = Client(stub.BaseAddress);

        _cache.Put(AppId, new WeChatAccessToken("OLD", Start.AddMinutes(6)));
        Assert.Equal("OLD", (await client.GetAccessTokenAsync(Creds, false, CancellationToken.None)).Token);

        _time.Advance(TimeSpan.FromMinutes(2)); // 4 minutes left: inside the 5-minute window
        Assert.Equal("TOKEN-1", (await client.GetAccessTokenAsync(Creds, false, CancellationToken.None)).Token);
        Assert.Single(stub.RequestsTo("/cgi-bin/stable_token"));
    }

    [Fact]
    public async Task Token_ForceRefresh_AsksThePlatformForANewOne()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "{}"));
        using var client = Client(stub.BaseAddress);
        _cache.Put(AppId, new WeChatAccessToken("OLD", Start.AddHours(1)));

        var token = await client.GetAccessTokenAsync(Creds, true, CancellationToken.None);

        Assert.Equal("TOKEN-1", token.Token);
        using var body = JsonDocument.Parse(Assert.Single(stub.RequestsTo("/cgi-bin/stable_token")).Body);
        Assert.True(body.RootElement.GetProperty("force_refresh").GetBoolean());
    }

    [Fact]
    public async Task Token_LockNotAcquired_TakesTheTokenAnotherInstanceStored()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "{}"));
        using var client = Client(stub.BaseAddress);
        _cache.LockAvailable = false;
        _cache.OnLockTimeout = () => _cache.Put(AppId, new WeChatAccessToken("FROM-OTHER-INSTANCE", Start.AddHours(2)));

        var token = await client.GetAccessTokenAsync(Creds, false, CancellationToken.None);

        Assert.Equal("FROM-OTHER-INSTANCE", token.Token);
        Assert.Empty(stub.RequestsTo("/cgi-bin/stable_token"));
    }

    [Fact]
    public async Task Token_LockNotAcquiredAndCacheStillEmpty_FetchesAnyway()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "{}"));
        using var client = Client(stub.BaseAddress);
        _cache.LockAvailable = false;

        var token = await client.GetAccessTokenAsync(Creds, false, CancellationToken.None);

        Assert.Equal("TOKEN-1", token.Token);
        Assert.Equal(1, _cache.Sets);
        Assert.Contains(_log.Lines, l => l.Contains("lock", StringComparison.OrdinalIgnoreCase) && l.Contains(AppId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Token_ConcurrentCallers_FetchOnce()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "{}"));
        using var client = Client(stub.BaseAddress);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => client.GetAccessTokenAsync(Creds, false, CancellationToken.None)));

        Assert.All(tokens, t => Assert.Equal("TOKEN-1", t.Token));
        Assert.Single(stub.RequestsTo("/cgi-bin/stable_token"));
    }

    [Fact]
    public async Task Token_RefreshAheadFailsTransiently_TheStillValidTokenIsUsed()
    {
        await using var stub = await StubServer.StartAsync((_, ctx) => { ctx.Response.StatusCode = 503; return Task.CompletedTask; });
        using var client = Client(stub.BaseAddress);
        _cache.Put(AppId, new WeChatAccessToken("STILL-VALID", Start.AddMinutes(2)));

        var token = await client.GetAccessTokenAsync(Creds, false, CancellationToken.None);

        Assert.Equal("STILL-VALID", token.Token);
        Assert.Single(stub.RequestsTo("/cgi-bin/stable_token"));
    }

    [Fact]
    public async Task Token_BadSecret_IsAnAuthFailureAndTheSecretIsNeverLogged()
    {
        await using var stub = await StubServer.StartAsync((_, ctx) =>
            StubServer.Json(ctx, $"{{\"errcode\":40125,\"errmsg\":\"invalid appsecret {Secret} rid: 1\"}}"));
        using var client = Client(stub.BaseAddress);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.GetAccessTokenAsync(Creds, false, CancellationToken.None));

        Assert.Equal(PlatformErrorClass.Auth, ex.ErrorClass);
        Assert.Equal("40125", ex.Code);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, _log.AllText, StringComparison.Ordinal);
        Assert.Contains(AppId, _log.AllText, StringComparison.Ordinal);
        Assert.Null(_cache.Peek(AppId));
    }

    [Fact]
    public async Task Call_TokenRejected_InvalidatesRefreshesAndRetriesOnce()
    {
        var drafts = 0;
        await using var stub = await StartWeChatStub((_, ctx) => Interlocked.Increment(ref drafts) == 1
            ? StubServer.Json(ctx, "{\"errcode\":40001,\"errmsg\":\"invalid credential rid: 1\"}")
            : StubServer.Json(ctx, "{\"errcode\":0,\"media_id\":\"DRAFT-2\"}"));
        using var client = Client(stub.BaseAddress);

        var mediaId = await client.AddDraftAsync(Creds, [Article()], CancellationToken.None);

        Assert.Equal("DRAFT-2", mediaId);
        Assert.Equal(["TOKEN-1", "TOKEN-2"], stub.RequestsTo("/cgi-bin/draft/add").Select(r => r.Query["access_token"]));
        Assert.Equal(1, _cache.Invalidations);
        Assert.Equal("TOKEN-2", _cache.Peek(AppId)!.Token);
        Assert.DoesNotContain("TOKEN-", _log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_IsHeldInMemoryForTheHold_ThenTheSharedCacheIsReadAgain()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "{}"));
        using var client = Client(stub.BaseAddress);
        _cache.Put(AppId, new WeChatAccessToken("FIRST", Start.AddHours(2)));

        Assert.Equal("FIRST", (await client.GetAccessTokenAsync(Creds, false, CancellationToken.None)).Token);
        _cache.Put(AppId, new WeChatAccessToken("FROM-OTHER-INSTANCE", Start.AddHours(2)));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("FIRST", (await client.GetAccessTokenAsync(Creds, false, CancellationToken.None)).Token);
        Assert.Equal(1, _cache.Gets);

        _time.Advance(TimeSpan.FromSeconds(2)); // past the 30 s hold: another instance's refresh is seen
        Assert.Equal("FROM-OTHER-INSTANCE", (await client.GetAccessTokenAsync(Creds, false, CancellationToken.None)).Token);
        Assert.Equal(2, _cache.Gets);
        Assert.Empty(stub.RequestsTo("/cgi-bin/stable_token"));
    }

    [Fact]
    public async Task Token_HeldAndRefused_IsDroppedAtOnce_AndTheSharedCachesNewerTokenIsUsed()
    {
        await using var stub = await StartWeChatStub((request, ctx) => request.Query["access_token"] == "HELD"
            ? StubServer.Json(ctx, "{\"errcode\":40001,\"errmsg\":\"invalid credential rid: 1\"}")
            : StubServer.Json(ctx, "{\"errcode\":0,\"media_id\":\"DRAFT-1\"}"));
        using var client = Client(stub.BaseAddress);
        _cache.Put(AppId, new WeChatAccessToken("HELD", Start.AddHours(2)));
        await client.GetAccessTokenAsync(Creds, false, CancellationToken.None);
        _cache.Put(AppId, new WeChatAccessToken("NEWER", Start.AddHours(2))); // another instance refreshed

        var mediaId = await client.AddDraftAsync(Creds, [Article()], CancellationToken.None);

        Assert.Equal("DRAFT-1", mediaId);
        Assert.Equal(["HELD", "NEWER"], stub.RequestsTo("/cgi-bin/draft/add").Select(r => r.Query["access_token"]));
        Assert.Empty(stub.RequestsTo("/cgi-bin/stable_token"));
        Assert.Equal("NEWER", (await client.GetAccessTokenAsync(Creds, false, CancellationToken.None)).Token);
    }

    [Fact]
    public async Task KeepToken_ReadsTheSharedCache_NotTheHeldCopy_AndFetchesWhatIsMissing()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "{}"));
        using var client = Client(stub.BaseAddress);
        _cache.Put(AppId, new WeChatAccessToken("HELD", Start.AddHours(2)));
        await client.GetAccessTokenAsync(Creds, false, CancellationToken.None);
        await _cache.InvalidateAsync(AppId, "HELD", CancellationToken.None); // e.g. Redis lost the key

        var kept = await client.KeepAccessTokenAsync(Creds, CancellationToken.None);

        Assert.Equal("TOKEN-1", kept.Token);
        Assert.Equal("TOKEN-1", _cache.Peek(AppId)!.Token);
        Assert.Equal("TOKEN-1", (await client.GetAccessTokenAsync(Creds, false, CancellationToken.None)).Token);
    }

    [Fact]
    public async Task Call_TokenRejectedAgainAfterTheRetry_IsAnAuthFailure_NoThirdAttempt()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "{\"errcode\":42001,\"errmsg\":\"access_token expired rid: 1\"}"));
        using var client = Client(stub.BaseAddress);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.SubmitPublishAsync(Creds, "DRAFT-1", CancellationToken.None));

        Assert.Equal(PlatformErrorClass.Auth, ex.ErrorClass);
        Assert.Equal("42001", ex.Code);
        Assert.Equal(2, stub.RequestsTo("/cgi-bin/freepublish/submit").Count());
    }

    [Fact]
    public async Task RequestBody_OnTheWire_IsUtf8WithRawChineseAndEmoji()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "{\"media_id\":\"D\"}"));
        using var client = Client(stub.BaseAddress);
        var title = "防汛通知🌧️\"重要\"";

        await client.AddDraftAsync(Creds, [Article(title) with { Author = "办公室", Digest = "摘要 \\ 反斜杠" }], CancellationToken.None);

        var request = Assert.Single(stub.RequestsTo("/cgi-bin/draft/add"));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", request.BodyText, StringComparison.Ordinal);
        Assert.Contains("防汛通知🌧️", request.BodyText, StringComparison.Ordinal);
        Assert.Equal(request.Body, Encoding.UTF8.GetBytes(request.BodyText)); // valid UTF-8
        using var body = JsonDocument.Parse(request.Body);
        var article = body.RootElement.GetProperty("articles")[0];
        Assert.Equal(title, article.GetProperty("title").GetString());
        Assert.Equal("摘要 \\ 反斜杠", article.GetProperty("digest").GetString());
        Assert.Equal("thumb-1", article.GetProperty("thumb_media_id").GetString());
        Assert.Equal(0, article.GetProperty("need_open_comment").GetInt32());
        Assert.False(article.TryGetProperty("content_source_url", out _));
    }

    [Fact]
    public async Task Upload_IsMultipartWithTheMediaField()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx,
            ctx.Request.Path == "/cgi-bin/media/uploadimg"
                ? "{\"url\":\"http://mmbiz.qpic.cn/a.png\"}"
                : "{\"media_id\":98765,\"url\":\"http://mmbiz.qpic.cn/b.png\"}"));
        using var client = Client(stub.BaseAddress);
        var png = TestImages.PngFile();

        var url = await client.UploadArticleImageAsync(Creds, png, CancellationToken.None);
        var thumb = await client.AddMaterialAsync(Creds, WeChatMaterialType.Thumb, png, CancellationToken.None);

        Assert.Equal("http://mmbiz.qpic.cn/a.png", url);
        Assert.Equal(new WeChatMaterial("98765", "http://mmbiz.qpic.cn/b.png"), thumb);
        var upload = Assert.Single(stub.RequestsTo("/cgi-bin/media/uploadimg"));
        Assert.StartsWith("multipart/form-data", upload.ContentType, StringComparison.Ordinal);
        Assert.Matches("name=\"?media\"?", upload.BodyText);
        Assert.True(upload.Body.AsSpan().IndexOf(png.Content.Span) >= 0);
        Assert.Equal("thumb", Assert.Single(stub.RequestsTo("/cgi-bin/material/add_material")).Query["type"]);
    }

    [Fact]
    public async Task Publish_IdsAsNumbersOrStrings_AreRead()
    {
        await using var stub = await StartWeChatStub((request, ctx) => StubServer.Json(ctx, request.Path switch
        {
            "/cgi-bin/freepublish/submit" => "{\"errcode\":0,\"errmsg\":\"ok\",\"publish_id\":2247483647,\"msg_data_id\":\"2247483648\"}",
            _ => "{\"publish_id\":\"2247483647\",\"publish_status\":0,\"article_id\":\"ART_1\","
                + "\"article_detail\":{\"count\":2,\"item\":[{\"idx\":1,\"article_url\":\"https://mp/s/1\"},{\"idx\":2,\"article_url\":\"https://mp/s/2\"}]},\"fail_idx\":[]}",
        }));
        using var client = Client(stub.BaseAddress);

        var submitted = await client.SubmitPublishAsync(Creds, "DRAFT-1", CancellationToken.None);
        var outcome = await client.GetPublishAsync(Creds, submitted.PublishId, CancellationToken.None);

        Assert.Equal(new WeChatPublishSubmitted("2247483647", "2247483648"), submitted);
        Assert.Equal(WeChatPublishStatus.Success, outcome.Status);
        Assert.Equal("ART_1", outcome.ArticleId);
        Assert.Equal([new WeChatPublishedArticle(1, "https://mp/s/1"), new WeChatPublishedArticle(2, "https://mp/s/2")], outcome.Articles);
        using var getBody = JsonDocument.Parse(Assert.Single(stub.RequestsTo("/cgi-bin/freepublish/get")).Body);
        Assert.Equal("2247483647", getBody.RootElement.GetProperty("publish_id").GetString());
    }

    [Fact]
    public async Task Errcode_InHttp200_IsClassified_AndTheTokenIsMaskedEverywhere()
    {
        await using var stub = await StartWeChatStub((request, ctx) => StubServer.Json(ctx,
            $"{{\"errcode\":45003,\"errmsg\":\"title size out of limit, access_token={request.Query["access_token"]} rid: 6f2a\"}}"));
        using var client = Client(stub.BaseAddress);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.AddDraftAsync(Creds, [Article(new string('长', 40))], CancellationToken.None));

        Assert.Equal(Platform.WeChat, ex.Platform);
        Assert.Equal("45003", ex.Code);
        Assert.Equal(PlatformErrorClass.Content, ex.ErrorClass);
        Assert.Equal("标题超过 32 个字 / The title is longer than 32 characters", ex.Explanation);
        Assert.False(ex.OutcomeUnknown);
        Assert.DoesNotContain("TOKEN-1", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("access_token=***", ex.PlatformMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("TOKEN-1", _log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, _log.AllText, StringComparison.Ordinal);
        Assert.Contains(_log.Lines, l => l.Contains("45003", StringComparison.Ordinal) && l.Contains("draft/add", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transport_ConnectionRefused_IsTransientAndKnownNotSent()
    {
        _cache.Put(AppId, new WeChatAccessToken("CACHED", Start.AddHours(1)));
        using var client = Client(StubServer.ClosedPortAddress());

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.SubmitPublishAsync(Creds, "DRAFT-1", CancellationToken.None));

        Assert.Equal(PlatformErrorClass.Transient, ex.ErrorClass);
        Assert.Equal("connect-failed", ex.Code);
        Assert.False(ex.OutcomeUnknown);
        Assert.DoesNotContain("CACHED", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transport_Timeout_IsTransientWithUnknownOutcome()
    {
        await using var stub = await StartWeChatStub(async (_, ctx) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3), ctx.RequestAborted);
            await StubServer.Json(ctx, "{\"publish_id\":\"1\"}");
        });
        using var client = Client(stub.BaseAddress, TimeSpan.FromMilliseconds(300));

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.SubmitPublishAsync(Creds, "DRAFT-1", CancellationToken.None));

        Assert.Equal(PlatformErrorClass.Transient, ex.ErrorClass);
        Assert.Equal("timeout", ex.Code);
        Assert.True(ex.OutcomeUnknown);
    }

    [Fact]
    public async Task Transport_Http5xx_IsTransientWithUnknownOutcome()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "<html>bad gateway</html>", 502));
        using var client = Client(stub.BaseAddress);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.SubmitPublishAsync(Creds, "DRAFT-1", CancellationToken.None));

        Assert.Equal(PlatformErrorClass.Transient, ex.ErrorClass);
        Assert.Equal("http-502", ex.Code);
        Assert.True(ex.OutcomeUnknown);
    }

    [Fact]
    public async Task Transport_Success_WithUnreadableBody_IsOutcomeUnknown()
    {
        await using var stub = await StartWeChatStub((_, ctx) => StubServer.Json(ctx, "not json"));
        using var client = Client(stub.BaseAddress);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.SubmitPublishAsync(Creds, "DRAFT-1", CancellationToken.None));

        Assert.Equal("bad-response", ex.Code);
        Assert.True(ex.OutcomeUnknown);
    }

    [Fact]
    public async Task CallerCancellation_IsNotDisguisedAsAPlatformError()
    {
        await using var stub = await StartWeChatStub(async (_, ctx) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3), ctx.RequestAborted);
            await StubServer.Json(ctx, "{}");
        });
        using var client = Client(stub.BaseAddress);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.DeleteDraftAsync(Creds, "DRAFT-1", cts.Token));
    }
}
