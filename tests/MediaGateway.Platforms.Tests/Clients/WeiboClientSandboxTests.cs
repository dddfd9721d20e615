using MediaGateway.Platforms.Tests.Clients.Support;
using MediaGateway.Platforms.Weibo;
using MediaGateway.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGateway.Platforms.Tests.Clients;

/// <summary>The Weibo client end to end against the Weibo sandbox on loopback.</summary>
public sealed class WeiboClientSandboxTests : IAsyncLifetime, IDisposable
{
    private const string AppKey = "3141592653";
    private const string Uid = "1404376560";
    private const string Token = "2.00sandboxTokenForClientTests";
    private static readonly WeiboCredentials Creds = new(Token);

    private WeiboSandbox _sandbox = null!;
    private WeiboClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await WeiboSandbox.StartAsync(new WeiboSandboxOptions
        {
            Port = 0,
            Apps = { new WeiboSandboxApp(AppKey, "www.example.gov.cn") },
            Users = { new WeiboSandboxUser(Token, Uid, "某某发布", AppKey, DateTimeOffset.UtcNow.AddDays(7)) },
        });
        _client = new WeiboClient(new WeiboClientOptions { BaseUrl = _sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(5) },
            TimeProvider.System, NullLogger<WeiboClient>.Instance);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    public void Dispose() => _client.Dispose();

    private static WeiboShareRequest Post(string text, MediaFile? picture = null) => new(text, "203.0.113.7", picture);

    [Fact]
    public async Task Share_WithLinkAndPicture_CreatesOnePost()
    {
        const string text = "【提示】汛期注意安全 https://www.example.gov.cn/notice/1 🌧️";

        var status = await _client.ShareAsync(Creds, Post(text, TestImages.PngFile()), CancellationToken.None);

        Assert.False(status.AcceptedWithoutStatus);
        Assert.False(string.IsNullOrEmpty(status.IdStr));
        Assert.Equal(Uid, status.UserIdStr);
        Assert.False(string.IsNullOrEmpty(status.OriginalPic));
        Assert.NotNull(status.CreatedAt);
        Assert.InRange(status.CreatedAt.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
        var stored = Assert.Single(_sandbox.Statuses);
        Assert.Equal(text, stored.Text);
        Assert.Equal(status.IdStr, stored.IdStr);
        Assert.Equal("203.0.113.7", stored.Rip);
    }

    [Fact]
    public async Task IdenticalTextTwice_IsARepeatRefusal_NotAnUnknownOutcome()
    {
        const string text = "重复内容测试 https://www.example.gov.cn/a";
        await _client.ShareAsync(Creds, Post(text), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => _client.ShareAsync(Creds, Post(text), CancellationToken.None));

        Assert.Equal(("20019", PlatformErrorClass.Content), (ex.Code, ex.ErrorClass));
        Assert.True(ex.RefusedAsRepeat);
        Assert.False(ex.OutcomeUnknown); // the platform answered: nothing was posted by this call
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task HeldForReview_20053_IsAcceptedWithoutStatus()
    {
        _sandbox.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 20053, AfterEffect = true, Times = 1 });

        var status = await _client.ShareAsync(Creds, Post("审核中 https://www.example.gov.cn/b"), CancellationToken.None);

        Assert.True(status.AcceptedWithoutStatus);
        Assert.Equal("审核中 https://www.example.gov.cn/b", status.Text);
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task ServerErrorAfterTheEffect_IsOutcomeUnknown_AndThePostExistsOnce()
    {
        _sandbox.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", HttpStatus = 503, AfterEffect = true, Times = 1 });

        var ex = await Assert.ThrowsAsync<PlatformException>(() =>
            _client.ShareAsync(Creds, Post("超时测试 https://www.example.gov.cn/c"), CancellationToken.None));

        Assert.Equal(PlatformErrorClass.Transient, ex.ErrorClass);
        Assert.True(ex.OutcomeUnknown);
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task TextWithoutSafeDomainLink_IsContent()
    {
        var ex = await Assert.ThrowsAsync<PlatformException>(() =>
            _client.ShareAsync(Creds, Post("没有链接 https://elsewhere.example.com/x"), CancellationToken.None));

        Assert.Equal(("10017", PlatformErrorClass.Content), (ex.Code, ex.ErrorClass));
        Assert.Contains("安全域名", ex.Explanation, StringComparison.Ordinal);
        Assert.Equal(0, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task Destroy_RetractsThePost_AndASecondDestroyIsPermanent()
    {
        var posted = await _client.ShareAsync(Creds, Post("撤回测试 https://www.example.gov.cn/d"), CancellationToken.None);

        var destroyed = await _client.DestroyAsync(Creds, posted.IdStr!, CancellationToken.None);
        var again = await Assert.ThrowsAsync<PlatformException>(() => _client.DestroyAsync(Creds, posted.IdStr!, CancellationToken.None));

        Assert.Equal(posted.IdStr, destroyed.IdStr);
        Assert.True(Assert.Single(_sandbox.Statuses).Destroyed);
        Assert.Equal(PlatformErrorClass.Permanent, again.ErrorClass);
    }

    [Fact]
    public async Task TokenInfoAndRateLimits_DescribeTheAccount()
    {
        var info = await _client.GetTokenInfoAsync(Creds, CancellationToken.None);
        var limits = await _client.GetRateLimitStatusAsync(Creds, CancellationToken.None);

        Assert.Equal(Uid, info.Uid);
        Assert.Equal(AppKey, info.AppKey);
        Assert.InRange(info.ExpiresIn, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));
        Assert.True(limits.UserLimit > 0);
        Assert.InRange(limits.RemainingUserHits, 0, limits.UserLimit);
    }

    [Fact]
    public async Task UnknownToken_IsAnAuthFailure()
    {
        var ex = await Assert.ThrowsAsync<PlatformException>(() =>
            _client.ShareAsync(new WeiboCredentials("2.00not-a-real-token"), Post("x https://www.example.gov.cn/"), CancellationToken.None));

        Assert.Equal(PlatformErrorClass.Auth, ex.ErrorClass);
        Assert.DoesNotContain("2.00not-a-real-token", ex.ToString(), StringComparison.Ordinal);
    }
}
