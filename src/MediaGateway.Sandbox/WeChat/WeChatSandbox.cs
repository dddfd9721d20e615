using MediaGateway.Sandbox.WeChat;

namespace MediaGateway.Sandbox;

/// <summary>
/// A simulator of the WeChat Official Account API (api.weixin.qq.com) on 127.0.0.1, following
/// shared/platforms/wechat-mp.md. Control routes: GET /_sandbox/published, GET /_sandbox/stats,
/// GET|POST|DELETE /_sandbox/faults, POST /_sandbox/tokens/expire?appid=, GET /_sandbox/mass, GET /_sandbox/pushes,
/// POST /_sandbox/callback?appid=.
/// </summary>
public sealed class WeChatSandbox : IAsyncDisposable
{
    private readonly SandboxHost _host;
    private readonly WeChatPlatform _platform;
    private readonly WeChatPusher _pusher;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _ticker;

    private WeChatSandbox(SandboxHost host, WeChatPlatform platform, SandboxFaults faults, WeChatPusher pusher)
    {
        _host = host;
        _platform = platform;
        _pusher = pusher;
        Faults = faults;
        _ticker = TickAsync(_stopping.Token);
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
        var pusher = new WeChatPusher(options);
        platform.AttachPusher(pusher);
        var host = await SandboxHost.StartAsync(options.Port, app => WeChatApi.Map(app, platform, faults, pusher), cancellationToken);
        platform.BaseAddress = host.BaseAddress;
        return new WeChatSandbox(host, platform, faults, pusher);
    }

    /// <summary>How many articles were published for the app (a multi-article publication counts each article).</summary>
    public int PublishEffectCount(string appId) => _platform.PublishEffectCount(appId);

    /// <summary>How many publish jobs were started (freepublish/submit took effect) for drafts whose first article has this title.</summary>
    public int SubmitCount(string title) => _platform.SubmitCount(title);

    /// <summary>Successful calls to /cgi-bin/token and /cgi-bin/stable_token for the app.</summary>
    public int TokenFetchCount(string appId) => _platform.TokenFetchCount(appId);

    /// <summary>Expires every token of the app now: the next API call with one answers 42001.</summary>
    public void ExpireTokens(string appId) => _platform.ExpireTokens(appId);

    /// <summary>Mass sends accepted for the app (msg_ids issued; a 45065 repeat adds none): proves "exactly once".</summary>
    public int MassSendEffectCount(string appId) => _platform.MassSendEffectCount(appId);

    /// <summary>Snapshot of every accepted mass send, with its current msg_status.</summary>
    public IReadOnlyList<WeChatSandboxMassSend> MassSends => _platform.MassSends();

    /// <summary>Snapshot of every freepublish/submit and accepted mass/sendall, with the draft each sent and its status now.</summary>
    public IReadOnlyList<WeChatSandboxSubmission> Submissions => _platform.Submissions();

    /// <summary>How many times freepublish/submit was accepted for this draft media_id (more than one = published twice).</summary>
    public int SubmitCountOfDraft(string draftMediaId) =>
        _platform.Submissions().Count(s => s.Kind == "freepublish" && s.DraftMediaId == draftMediaId);

    /// <summary>Snapshot of every push to a callback URL (PUBLISHJOBFINISH, MASSSENDJOBFINISH), with attempts and answers.</summary>
    public IReadOnlyList<WeChatSandboxPush> Pushes => _pusher.Snapshot();

    /// <summary>Sets an app's callback at runtime (null URL: no more pushes); an EncodingAESKey turns on safe mode.</summary>
    public void SetCallback(string appId, Uri? url, string? token, string? encodingAesKey = null) =>
        _platform.SetCallback(appId, url, token, encodingAesKey);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _ticker;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        await _pusher.DisposeAsync();
        await _host.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>Settles due publications and mass sends every 50 ms of wall clock, so their pushes leave unprompted.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            _platform.Tick();
        }
    }
}
