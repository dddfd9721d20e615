using MediaGateway.Platforms.Tests.Clients.Support;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGateway.Platforms.Tests.Clients;

/// <summary>The WeChat client end to end against the WeChat sandbox on loopback.</summary>
public sealed class WeChatClientSandboxTests : IAsyncLifetime, IDisposable
{
    private const string AppId = "wxa1b2c3d4e5f60718";
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private static readonly WeChatCredentials Creds = new(AppId, Secret);

    private readonly InMemoryTokenCache _cache = new();
    private WeChatSandbox _sandbox = null!;
    private WeChatClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await WeChatSandbox.StartAsync(new WeChatSandboxOptions
        {
            Port = 0,
            Apps = { new WeChatSandboxApp(AppId, Secret, "subscription") },
            PublishDelay = TimeSpan.FromMilliseconds(200),
        });
        _client = new WeChatClient(new WeChatClientOptions { BaseUrl = _sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(5) },
            _cache, TimeProvider.System, NullLogger<WeChatClient>.Instance);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    public void Dispose() => _client.Dispose();

    private async Task<string> CoverAsync() =>
        (await _client.AddMaterialAsync(Creds, WeChatMaterialType.Image, TestImages.PngFile("cover.png"), CancellationToken.None)).MediaId;

    private async Task<WeChatPublishOutcome> PollUntilDoneAsync(string publishId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var outcome = await _client.GetPublishAsync(Creds, publishId, CancellationToken.None);
            if (outcome.Status != WeChatPublishStatus.Publishing || DateTime.UtcNow > deadline)
            {
                return outcome;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Token_IsFetchedOnceAndReusedAcrossCalls()
    {
        await _client.UploadArticleImageAsync(Creds, TestImages.PngFile(), CancellationToken.None);
        await CoverAsync();
        await _client.GetAccessTokenAsync(Creds, false, CancellationToken.None);

        Assert.Equal(1, _sandbox.TokenFetchCount(AppId));
        Assert.Equal(1, _cache.Sets);
    }

    [Fact]
    public async Task UploadDraftSubmitPoll_PublishesOnceWithAnArticleUrl()
    {
        var imageUrl = await _client.UploadArticleImageAsync(Creds, TestImages.PngFile("inline.png"), CancellationToken.None);
        var cover = await CoverAsync();
        const string title = "关于汛期安全的提示🌧️";
        var article = new WeChatArticle
        {
            Title = title,
            Author = "办公室",
            Digest = "请各单位做好防范 \"重点\" 工作",
            Content = $"<p>正文：注意安全 ✅</p><p><img src=\"{imageUrl}\"></p>",
            ContentSourceUrl = "https://www.example.gov.cn/notice/1",
            ThumbMediaId = cover,
        };

        var draftId = await _client.AddDraftAsync(Creds, [article], CancellationToken.None);
        var draft = await _client.GetDraftAsync(Creds, draftId, CancellationToken.None);
        var submitted = await _client.SubmitPublishAsync(Creds, draftId, CancellationToken.None);
        var outcome = await PollUntilDoneAsync(submitted.PublishId);

        Assert.Equal(title, Assert.Single(draft).Title);
        Assert.Equal(WeChatPublishStatus.Success, outcome.Status);
        Assert.False(string.IsNullOrEmpty(outcome.ArticleId));
        var published = Assert.Single(outcome.Articles);
        Assert.StartsWith("http", published.ArticleUrl, StringComparison.Ordinal);
        Assert.Equal(1, _sandbox.PublishEffectCount(AppId));
        Assert.Equal(title, Assert.Single(_sandbox.PublishedArticles).Title);
        Assert.Equal(1, _sandbox.TokenFetchCount(AppId));
    }

    [Fact]
    public async Task TokenRefusedOnce_IsRefreshedAndTheCallRetriedOnce()
    {
        var cover = await CoverAsync();
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/draft/add", WeChatErrcode = 40001, Times = 1 });

        var draftId = await _client.AddDraftAsync(Creds, [new WeChatArticle { Title = "标题", Content = "<p>内容</p>", ThumbMediaId = cover }],
            CancellationToken.None);

        Assert.False(string.IsNullOrEmpty(draftId));
        Assert.Equal(1, _cache.Invalidations);
        Assert.Equal(2, _sandbox.TokenFetchCount(AppId));
    }

    [Theory]
    [InlineData("封面图片.png")]
    [InlineData("封面图片")]
    [InlineData("cover.gif")]
    [InlineData("")]
    [InlineData("报告\"终稿\".png")]
    public async Task Uploads_WithAnyName_GoOutWithANameWeChatTakes(string name)
    {
        // WeChat judges the type by the name's extension as sent: non-ASCII names must not become RFC 2047 encoded
        // words, and a name without the bytes' extension gets it.
        var png = new MediaFile(name, "image/png", TestImages.Png());

        var url = await _client.UploadArticleImageAsync(Creds, png, CancellationToken.None);
        var cover = await _client.AddMaterialAsync(Creds, WeChatMaterialType.Image, png, CancellationToken.None);

        Assert.StartsWith(_sandbox.BaseAddress + "mmbiz/", url, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(cover.MediaId));
    }

    [Fact]
    public async Task ExpiredToken_42001_IsRefreshedTransparently()
    {
        await CoverAsync();
        _sandbox.ExpireTokens(AppId);

        var material = await _client.AddMaterialAsync(Creds, WeChatMaterialType.Image, TestImages.PngFile(), CancellationToken.None);

        Assert.False(string.IsNullOrEmpty(material.MediaId));
        Assert.Equal(1, _cache.Invalidations);
        Assert.Equal(2, _sandbox.TokenFetchCount(AppId));
    }

    [Fact]
    public async Task ContentErrors_AreClassifiedAsContentWithAnExplanation()
    {
        var cover = await CoverAsync();

        var tooLong = await Assert.ThrowsAsync<PlatformException>(() => _client.AddDraftAsync(Creds,
            [new WeChatArticle { Title = new string('标', 40), Content = "<p>内容</p>", ThumbMediaId = cover }], CancellationToken.None));
        var pngThumb = await Assert.ThrowsAsync<PlatformException>(() =>
            _client.AddMaterialAsync(Creds, WeChatMaterialType.Thumb, TestImages.PngFile(), CancellationToken.None));
        var badCover = await Assert.ThrowsAsync<PlatformException>(() => _client.AddDraftAsync(Creds,
            [new WeChatArticle { Title = "标题", Content = "<p>内容</p>", ThumbMediaId = "no-such-media" }], CancellationToken.None));

        Assert.Equal(("45003", PlatformErrorClass.Content), (tooLong.Code, tooLong.ErrorClass));
        Assert.Contains("32", tooLong.Explanation, StringComparison.Ordinal);
        Assert.Equal(("40005", PlatformErrorClass.Content), (pngThumb.Code, pngThumb.ErrorClass));
        Assert.Equal(("40007", PlatformErrorClass.Content), (badCover.Code, badCover.ErrorClass));
        Assert.Equal(0, _sandbox.PublishEffectCount(AppId));
    }

    [Fact]
    public async Task ServerErrorAfterTheEffect_IsOutcomeUnknown_AndThePublicationHappenedOnce()
    {
        var cover = await CoverAsync();
        var draftId = await _client.AddDraftAsync(Creds, [new WeChatArticle { Title = "标题", Content = "<p>内容</p>", ThumbMediaId = cover }],
            CancellationToken.None);
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", HttpStatus = 502, AfterEffect = true, Times = 1 });

        var ex = await Assert.ThrowsAsync<PlatformException>(() => _client.SubmitPublishAsync(Creds, draftId, CancellationToken.None));

        Assert.Equal(PlatformErrorClass.Transient, ex.ErrorClass);
        Assert.True(ex.OutcomeUnknown);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_sandbox.PublishEffectCount(AppId) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, _sandbox.PublishEffectCount(AppId));
    }

    [Fact]
    public async Task WrongSecret_IsAnAuthFailure()
    {
        var ex = await Assert.ThrowsAsync<PlatformException>(() =>
            _client.GetAccessTokenAsync(new WeChatCredentials(AppId, "wrong-secret"), false, CancellationToken.None));

        Assert.Equal(PlatformErrorClass.Auth, ex.ErrorClass);
        Assert.Null(_cache.Peek(AppId));
    }

    [Fact]
    public async Task PublishedArticle_CanBeRetracted()
    {
        var cover = await CoverAsync();
        var draftId = await _client.AddDraftAsync(Creds, [new WeChatArticle { Title = "撤回测试", Content = "<p>内容</p>", ThumbMediaId = cover }],
            CancellationToken.None);
        var submitted = await _client.SubmitPublishAsync(Creds, draftId, CancellationToken.None);
        var outcome = await PollUntilDoneAsync(submitted.PublishId);

        await _client.DeletePublishedAsync(Creds, outcome.ArticleId!, 0, CancellationToken.None);

        Assert.True(Assert.Single(_sandbox.PublishedArticles).Deleted);
        var again = await Assert.ThrowsAsync<PlatformException>(() => _client.GetPublishAsync(Creds, "999999999", CancellationToken.None));
        Assert.Equal(PlatformErrorClass.Permanent, again.ErrorClass);
    }
}
