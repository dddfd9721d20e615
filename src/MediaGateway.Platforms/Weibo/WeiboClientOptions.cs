namespace MediaGateway.Platforms.Weibo;

public sealed record WeiboClientOptions
{
    public Uri BaseUrl { get; init; } = new("https://api.weibo.com/");

    /// <summary>Per HTTP request; a timeout is reported as <see cref="PlatformException.OutcomeUnknown"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);
}
