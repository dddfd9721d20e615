namespace MediaGateway.Platforms.WeChat;

public sealed record WeChatClientOptions
{
    public Uri BaseUrl { get; init; } = new("https://api.weixin.qq.com/");

    /// <summary>Per HTTP request; a timeout is reported as <see cref="PlatformException.OutcomeUnknown"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A cached token expiring within this window is refreshed before use.</summary>
    public TimeSpan RefreshAhead { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a token read from the shared cache is used from memory before the cache is read again (zero: every call
    /// reads it). A token refreshed by another gateway instance is seen within this time; a token the platform refuses
    /// is forgotten at once. The platform keeps an old token valid for five minutes after a refresh.
    /// </summary>
    public TimeSpan LocalTokenHold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for the shared refresh lock before re-reading the cache and fetching anyway.</summary>
    public TimeSpan RefreshLockWait { get; init; } = TimeSpan.FromSeconds(10);
}
