using System.ComponentModel.DataAnnotations;

namespace MediaGateway.Publishing;

/// <summary>Section "Platforms".</summary>
internal sealed class PlatformsOptions
{
    public const string Section = "Platforms";

    public WeChatEndpointOptions WeChat { get; set; } = new();

    public WeiboEndpointOptions Weibo { get; set; } = new();
}

internal sealed class WeChatEndpointOptions
{
    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.weixin.qq.com/");

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// How often every active WeChat account's access token is checked and, when it is near expiry (or missing, as after a
    /// start), fetched ahead of use (WeChatTokenKeeper); 0 leaves it to the first platform call.
    /// </summary>
    [Range(0, 3600)]
    public int TokenKeepSeconds { get; set; } = 60;

    /// <summary>
    /// How long an access token read from Redis is used from the gateway's memory before Redis is read again; 0 reads
    /// it for every call. A refresh by another instance is seen within this time; a token WeChat refuses is dropped at once.
    /// </summary>
    [Range(0, 240)]
    public int TokenHoldSeconds { get; set; } = 30;
}

internal sealed class WeiboEndpointOptions
{
    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.weibo.com/");

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>Where posts are seen on the web: {WebUrl}{uid}/{idstr}.</summary>
    [Required]
    public Uri WebUrl { get; set; } = new("https://weibo.com/");

    /// <summary>How often each Weibo token's remaining lifetime is checked (oauth2/get_token_info).</summary>
    [Range(1, 1440)]
    public int TokenCheckMinutes { get; set; } = 60;

    /// <summary>Warn the account's responsible person this long before a Weibo token expires (it cannot be refreshed).</summary>
    [Range(1, 60)]
    public int TokenWarningDays { get; set; } = 3;

    /// <summary>The <c>rip</c> sent with posts: the address of the gateway's operator console user (Weibo requires one).</summary>
    [Required]
    public string ClientIp { get; set; } = "127.0.0.1";
}

/// <summary>Section "Publishing".</summary>
internal sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>Parallel publisher loops in this process.</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 4;

    /// <summary>Publications each loop keeps in progress at once (platform calls overlap; one account's fan-out runs in parallel).</summary>
    [Range(1, 256)]
    public int InFlightPerWorker { get; set; } = 16;

    /// <summary>On stop, how long a platform call already in flight may still take before it is cut off (the host's shutdown timeout must be longer).</summary>
    [Range(0, 600)]
    public int DrainSeconds { get; set; } = 15;

    /// <summary>How long a worker owns a publication; after it, another worker reclaims the entry (XAUTOCLAIM).</summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>Attempts for transient failures before a publication fails.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; doubles each attempt, with jitter.</summary>
    [Range(1, 3600)]
    public int RetryBaseSeconds { get; set; } = 2;

    /// <summary>
    /// After a send whose outcome is unknown, how long the platform is searched for the post before it is sent
    /// again (an accepted WeChat submission can take a while to appear).
    /// </summary>
    [Range(1, 86400)]
    public int ReconcileWindowSeconds { get; set; } = 600;

    /// <summary>
    /// How much earlier than a publication's creation (and than another send's start) a post found on the platform may be
    /// dated and still count (the platform's clock is not ours, and Weibo dates posts to the second). Kept small: a post
    /// older than that belongs to something else, however alike its text (issue 18, decision 22).
    /// </summary>
    public int ReconcileClockSkewSeconds { get; set; } = 2;

    /// <summary>How often the outcome of a WeChat freepublish submission is asked for.</summary>
    [Range(100, 600000)]
    public int OutcomePollMilliseconds { get; set; } = 1000;

    /// <summary>Longest idle wait between polls of the queue.</summary>
    [Range(10, 10000)]
    public int IdlePollMaxMilliseconds { get; set; } = 500;

    /// <summary>While publishing is paused (or an account held), how often a parked publication looks again.</summary>
    [Range(100, 600000)]
    public int PauseRecheckMilliseconds { get; set; } = 1000;

    /// <summary>Weibo posts per account per hour the gateway allows itself (weibo.md: 30 at the normal app level).</summary>
    [Range(1, 100000)]
    public int WeiboPostsPerHour { get; set; } = 30;

    /// <summary>WeChat mass-send calls per account per minute (wechat-mp.md: 60).</summary>
    [Range(1, 100000)]
    public int WeChatMassSendsPerMinute { get; set; } = 60;
}
