using MediaGateway.Sandbox.Weibo;

namespace MediaGateway.Sandbox;

/// <summary>
/// A simulator of the Sina Weibo API (api.weibo.com) on 127.0.0.1, following shared/platforms/weibo.md.
/// Control routes: GET /_sandbox/statuses, GET /_sandbox/stats, GET|POST|DELETE /_sandbox/faults.
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

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
