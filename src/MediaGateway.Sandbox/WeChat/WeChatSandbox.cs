using MediaGateway.Sandbox.WeChat;

namespace MediaGateway.Sandbox;

/// <summary>
/// A simulator of the WeChat Official Account API (api.weixin.qq.com) on 127.0.0.1, following
/// shared/platforms/wechat-mp.md. Control routes: GET /_sandbox/published, GET /_sandbox/stats,
/// GET|POST|DELETE /_sandbox/faults, POST /_sandbox/tokens/expire?appid=.
/// </summary>
public sealed class WeChatSandbox : IAsyncDisposable
{
    private readonly SandboxHost _host;
    private readonly WeChatPlatform _platform;

    private WeChatSandbox(SandboxHost host, WeChatPlatform platform, SandboxFaults faults)
    {
        _host = host;
        _platform = platform;
        Faults = faults;
    }

    public Uri BaseAddress => _host.BaseAddress;

    public SandboxFaults Faults { get; }

    /// <summary>Snapshot of every article that reached "published" (deleted ones included, flagged).</summary>
    public IReadOnlyList<WeChatSandboxArticle> PublishedArticles => _platform.PublishedArticles();

    public static async Task<WeChatSandbox> StartAsync(WeChatSandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var faults = new SandboxFaults();
        var platform = new WeChatPlatform(options, faults);
        var host = await SandboxHost.StartAsync(options.Port, app => WeChatApi.Map(app, platform, faults), cancellationToken);
        platform.BaseAddress = host.BaseAddress;
        return new WeChatSandbox(host, platform, faults);
    }

    /// <summary>How many articles were published for the app (a multi-article publication counts each article).</summary>
    public int PublishEffectCount(string appId) => _platform.PublishEffectCount(appId);

    /// <summary>Successful calls to /cgi-bin/token and /cgi-bin/stable_token for the app.</summary>
    public int TokenFetchCount(string appId) => _platform.TokenFetchCount(appId);

    /// <summary>Expires every token of the app now: the next API call with one answers 42001.</summary>
    public void ExpireTokens(string appId) => _platform.ExpireTokens(appId);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
