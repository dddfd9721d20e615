using System.Net;
using MediaGateway.Platforms.Tests.Clients.Support;
using MediaGateway.Platforms.Weibo;

namespace MediaGateway.Platforms.Tests.Clients;

/// <summary>The Weibo client over real HTTP against a canned loopback server: form encoding, answers, errors, transport.</summary>
public sealed class WeiboClientTransportTests
{
    private const string Token = "2.00AbCdEfGhIjKl_secret_token";
    private static readonly WeiboCredentials Creds = new(Token);

    private const string StatusJson = """
        {"created_at":"Wed Oct 24 23:49:17 +0800 2012","id":4884500523401234567,"idstr":"4884500523401234567","mid":"4884500523401234567",
         "text":"防汛通知 https://www.example.gov.cn/a","user":{"id":1404376560,"idstr":"1404376560","screen_name":"某某发布"},
         "original_pic":"https://wx1.sinaimg.cn/large/abc.jpg"}
        """;

    private readonly ListLogger<WeiboClient> _log = new();

    private WeiboClient Client(Uri baseUrl, TimeSpan? timeout = null) =>
        new(new WeiboClientOptions { BaseUrl = baseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(5) }, TimeProvider.System, _log);

    private static WeiboShareRequest Share(MediaFile? picture = null) => new("防汛通知 https://www.example.gov.cn/a", "203.0.113.7", picture);

    [Fact]
    public async Task Share_SendsFormFields_AndReadsTheStatus()
    {
        await using var stub = await StubServer.StartAsync((_, ctx) => StubServer.Json(ctx, StatusJson));
        using var client = Client(stub.BaseAddress);

        var status = await client.ShareAsync(Creds, Share(), CancellationToken.None);

        Assert.Equal("4884500523401234567", status.IdStr);
        Assert.Equal("4884500523401234567", status.Mid);
        Assert.Equal("1404376560", status.UserIdStr);
        Assert.Equal(new DateTimeOffset(2012, 10, 24, 23, 49, 17, TimeSpan.FromHours(8)), status.CreatedAt);
        Assert.Equal("https://wx1.sinaimg.cn/large/abc.jpg", status.OriginalPic);
        Assert.False(status.AcceptedWithoutStatus);

        var request = Assert.Single(stub.RequestsTo("/2/statuses/share.json"));
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        var form = request.BodyText.Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p[1]));
        Assert.Equal(Token, form["access_token"]);
        Assert.Equal("防汛通知 https://www.example.gov.cn/a", form["status"]);
        Assert.Equal("203.0.113.7", form["rip"]);
        Assert.DoesNotContain(Token, request.Query.Values);
    }

    [Fact]
    public async Task Share_WithPicture_IsMultipartWithThePicField()
    {
        await using var stub = await StubServer.StartAsync((_, ctx) => StubServer.Json(ctx, StatusJson));
        using var client = Client(stub.BaseAddress);
        var png = TestImages.PngFile("图.png");

        await client.ShareAsync(Creds, Share(png), CancellationToken.None);

        var request = Assert.Single(stub.RequestsTo("/2/statuses/share.json"));
        Assert.StartsWith("multipart/form-data", request.ContentType, StringComparison.Ordinal);
        Assert.Matches("name=\"?pic\"?", request.BodyText);
        Assert.Matches("name=\"?rip\"?", request.BodyText);
        Assert.Contains("防汛通知", request.BodyText, StringComparison.Ordinal);
        Assert.True(request.Body.AsSpan().IndexOf(png.Content.Span) >= 0);
    }

    [Theory]
    [InlineData("图.png", "图.png")]
    [InlineData("封面", "封面.png")]
    [InlineData("cover.jpg", "cover.png")]
    [InlineData("", "image.png")]
    public async Task Share_WithPicture_NamesItInRawUtf8_WithTheBytesExtension(string name, string onTheWire)
    {
        // RFC 7578 §4.2: the filename parameter in UTF-8 as it is, no RFC 2047 encoded words, no filename*.
        await using var stub = await StubServer.StartAsync((_, ctx) => StubServer.Json(ctx, StatusJson));
        using var client = Client(stub.BaseAddress);

        await client.ShareAsync(Creds, Share(new MediaFile(name, "image/png", TestImages.Png())), CancellationToken.None);

        var request = Assert.Single(stub.RequestsTo("/2/statuses/share.json"));
        Assert.Contains($"name=\"pic\"; filename=\"{onTheWire}\"", request.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("=?utf-8?", request.BodyText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("filename*", request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorCode_AsAString_IsClassified_AndTheTokenIsMasked()
    {
        await using var stub = await StubServer.StartAsync((_, ctx) => StubServer.Json(ctx,
            $"{{\"error\":\"repeat content! access_token={Token}\",\"error_code\":\"20019\",\"request\":\"/2/statuses/share.json\"}}", 400));
        using var client = Client(stub.BaseAddress);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.ShareAsync(Creds, Share(), CancellationToken.None));

        Assert.Equal(Platform.Weibo, ex.Platform);
        Assert.Equal("20019", ex.Code);
        Assert.Equal(PlatformErrorClass.Content, ex.ErrorClass);
        Assert.True(ex.RefusedAsRepeat); // a repeat: look up whose post it is, never post again
        Assert.False(ex.OutcomeUnknown);
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, _log.AllText, StringComparison.Ordinal);
        Assert.Contains(_log.Lines, l => l.Contains("20019", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ErrorCode_InA200Body_IsStillAFailure()
    {
        await using var stub = await StubServer.StartAsync((_, ctx) => StubServer.Json(ctx,
            "{\"error\":\"expired_token\",\"error_code\":21327,\"request\":\"/2/statuses/share.json\"}"));
        using var client = Client(stub.BaseAddress);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.ShareAsync(Creds, Share(), CancellationToken.None));

        Assert.Equal(PlatformErrorClass.Auth, ex.ErrorClass);
        Assert.Equal("expired_token", ex.PlatformMessage);
    }

    [Theory]
    [InlineData(20053, 400)]
    [InlineData(20032, 200)]
    public async Task PostExistsCodes_ComeBackAsAcceptedWithoutStatus(int code, int httpStatus)
    {
        await using var stub = await StubServer.StartAsync((_, ctx) => StubServer.Json(ctx,
            $"{{\"error\":\"held\",\"error_code\":{code},\"request\":\"/2/statuses/share.json\"}}", httpStatus));
        using var client = Client(stub.BaseAddress);

        var status = await client.ShareAsync(Creds, Share(), CancellationToken.None);

        Assert.True(status.AcceptedWithoutStatus);
        Assert.Null(status.IdStr);
        Assert.Equal(Share().Status, status.Text);
    }

    [Fact]
    public async Task Http5xx_WithoutBody_IsTransientWithUnknownOutcome()
    {
        await using var stub = await StubServer.StartAsync((_, ctx) => { ctx.Response.StatusCode = 503; return Task.CompletedTask; });
        using var client = Client(stub.BaseAddress);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.ShareAsync(Creds, Share(), CancellationToken.None));

        Assert.Equal(("http-503", PlatformErrorClass.Transient, true), (ex.Code, ex.ErrorClass, ex.OutcomeUnknown));
    }

    [Fact]
    public async Task Http500_WithSystemError_IsTransientWithUnknownOutcome()
    {
        await using var stub = await StubServer.StartAsync((_, ctx) => StubServer.Json(ctx,
            "{\"error\":\"system error!\",\"error_code\":10001,\"request\":\"/2/statuses/share.json\"}", 500));
        using var client = Client(stub.BaseAddress);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.ShareAsync(Creds, Share(), CancellationToken.None));

        Assert.Equal(("10001", PlatformErrorClass.Transient, true), (ex.Code, ex.ErrorClass, ex.OutcomeUnknown));
    }

    [Fact]
    public async Task RateLimited_CarriesTheHourWindow()
    {
        await using var stub = await StubServer.StartAsync((_, ctx) => StubServer.Json(ctx,
            "{\"error\":\"User requests out of rate limit!\",\"error_code\":10023,\"request\":\"/2/statuses/share.json\"}", 403));
        using var client = Client(stub.BaseAddress);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.ShareAsync(Creds, Share(), CancellationToken.None));

        Assert.Equal(PlatformErrorClass.RateLimited, ex.ErrorClass);
        Assert.NotNull(ex.RetryAfter);
        Assert.InRange(ex.RetryAfter.Value, TimeSpan.Zero, TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task ConnectionRefused_IsTransientAndKnownNotSent()
    {
        using var client = Client(StubServer.ClosedPortAddress());

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.ShareAsync(Creds, Share(), CancellationToken.None));

        Assert.Equal(("connect-failed", PlatformErrorClass.Transient, false), (ex.Code, ex.ErrorClass, ex.OutcomeUnknown));
    }

    [Fact]
    public async Task Timeout_IsTransientWithUnknownOutcome()
    {
        await using var stub = await StubServer.StartAsync(async (_, ctx) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3), ctx.RequestAborted);
            await StubServer.Json(ctx, StatusJson);
        });
        using var client = Client(stub.BaseAddress, TimeSpan.FromMilliseconds(300));

        var ex = await Assert.ThrowsAsync<PlatformException>(() => client.ShareAsync(Creds, Share(), CancellationToken.None));

        Assert.Equal(("timeout", true), (ex.Code, ex.OutcomeUnknown));
    }

    [Fact]
    public async Task TokenInfoAndRateLimits_AreRead_NumbersMayBeStrings()
    {
        await using var stub = await StubServer.StartAsync((request, ctx) => StubServer.Json(ctx, request.Path == "/oauth2/get_token_info"
            ? "{\"uid\":1404376560,\"appkey\":\"3141592653\",\"scope\":\"\",\"create_at\":\"1735689600\",\"expire_in\":\"86400\"}"
            : "{\"ip_limit\":10000,\"limit_time_unit\":\"HOURS\",\"remaining_ip_hits\":9999,\"remaining_user_hits\":149,\"reset_time_in_seconds\":1200,\"user_limit\":150}"));
        using var client = Client(stub.BaseAddress);

        var info = await client.GetTokenInfoAsync(Creds, CancellationToken.None);
        var limits = await client.GetRateLimitStatusAsync(Creds, CancellationToken.None);

        Assert.Equal(new WeiboTokenInfo("1404376560", "3141592653", null, DateTimeOffset.FromUnixTimeSeconds(1735689600), TimeSpan.FromDays(1)), info);
        Assert.Equal(new WeiboRateLimitStatus(10000, 9999, 149, 1200, 150, "HOURS"), limits);
        Assert.Equal(Token, Assert.Single(stub.RequestsTo("/2/account/rate_limit_status.json")).Query["access_token"]);
        Assert.Equal("GET", Assert.Single(stub.RequestsTo("/2/account/rate_limit_status.json")).Method);
    }
}
