using MediaGateway.Sandbox.Weibo;

namespace MediaGateway.Sandbox;

/// <summary>
/// A simulator of the Sina Weibo API (api.weibo.com) on 127.0.0.1, following shared/platforms/weibo.md.
/// Control routes: GET /_sandbox/statuses, GET /_sandbox/stats, GET|POST|DELETE /_sandbox/faults, POST|DELETE /_sandbox/ratelimits.
/// </summary>
public sealed class WeiboSandbox : IAsyncDisposable
{
    private readonly SandboxHost _host;
    private readonly WeiboPlatform _platform;

    private WeiboSandbox(SandboxHost host, WeiboPlatform platform, SandboxFaults faults)
    {
        _host = host;
        _platform = platform;
        Faults = faults;
    }

    public Uri BaseAddress => _host.BaseAddress;

    public SandboxFaults Faults { get; }

    /// <summary>Snapshot of every status ever created, destroyed ones flagged.</summary>
    public IReadOnlyList<WeiboSandboxStatus> Statuses => _platform.Statuses();

    public static async Task<WeiboSandbox> StartAsync(WeiboSandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var faults = new SandboxFaults();
        var platform = new WeiboPlatform(options);
        var host = await SandboxHost.StartAsync(options.Port, app => WeiboApi.Map(app, platform, faults), cancellationToken);
        platform.BaseAddress = host.BaseAddress;
        return new WeiboSandbox(host, platform, faults);
    }

    /// <summary>How many statuses the user's posts created (destroyed ones included): the platform effect.</summary>
    public int PostEffectCount(string uid) => _platform.PostEffectCount(uid);

    /// <summary>How many statuses/destroy calls took effect for the user (a retraction is an effect too).</summary>
    public int DestroyEffectCount(string uid) => _platform.DestroyEffectCount(uid);

    /// <summary>
    /// Uses up the rate limit <paramref name="code"/> (10022 IP, 10023 user, 10024 user for share) for one account
    /// (<paramref name="uid"/>, or every account when null) until the end of the clock hour; returns the reset time.
    /// </summary>
    public DateTimeOffset ExhaustRateLimit(int code, string? uid = null) => _platform.ExhaustLimit(code, uid);

    /// <summary>Clears every rate-limit counter and exhausted limit.</summary>
    public void ResetRateLimits() => _platform.ResetLimits();

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
