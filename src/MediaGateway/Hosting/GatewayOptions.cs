using System.ComponentModel.DataAnnotations;

namespace MediaGateway.Hosting;

internal enum GatewayMode
{
    /// <summary>Refuses to start without Redis persistence (AOF) and noeviction.</summary>
    Production,
    /// <summary>Demo and tests: warns about persistence instead of refusing.</summary>
    Development,
}

/// <summary>Section "Gateway".</summary>
internal sealed class GatewayOptions
{
    public const string Section = "Gateway";

    public GatewayMode Mode { get; set; } = GatewayMode.Production;

    /// <summary>Further JSON files (relative to the config directory) with Departments, Accounts, Users, Webhooks.</summary>
    public List<string> IncludeFiles { get; set; } = [];

    /// <summary>Where the templates live, relative to the config directory.</summary>
    [Required]
    public string TemplatesDirectory { get; set; } = "../templates";
}

/// <summary>Section "Redis".</summary>
internal sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. "127.0.0.1:6379".</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Prefix of every key the gateway writes, so several gateways can share a Redis.</summary>
    [Required, RegularExpression("^[a-z0-9-]{1,20}$", ErrorMessage = "Redis:KeyPrefix must be 1-20 lowercase letters, digits or '-'")]
    public string KeyPrefix { get; set; } = "mg";

    /// <summary>
    /// How long one Redis command may take before it fails (StackExchange.Redis syncTimeout and asyncTimeout, unless the
    /// connection string sets them). Shorter than the library's 5 s, so that when Redis hangs an API call answers 503 in
    /// about 2–3 s instead of waiting on it (issue 19, decision 26), yet long enough that a busy host does not fail
    /// commands that would have succeeded (1 s did, on a saturated 2-core CI machine); the workers simply retry.
    /// </summary>
    [Range(100, 60000)]
    public int CommandTimeoutMilliseconds { get; set; } = 2000;

    public EmbeddedRedisOptions Embedded { get; set; } = new();
}

/// <summary>Section "Redis:Embedded": a local redis-server the gateway starts itself (demo).</summary>
internal sealed class EmbeddedRedisOptions
{
    public bool Enabled { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 6390;

    /// <summary>Where AOF and RDB files live, relative to the config directory's parent (the repository).</summary>
    public string DataDirectory { get; set; } = ".data/redis";

    public string ServerPath { get; set; } = "redis-server";
}

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

/// <summary>Section "Rules": curated lists, relative to the config directory.</summary>
internal sealed class RulesOptions
{
    public const string Section = "Rules";

    [Required]
    public string ConfidentialityMarkersFile { get; set; } = "rules/confidentiality-markers.txt";

    [Required]
    public string SensitiveExpressionsFile { get; set; } = "rules/sensitive-expressions.txt";

    /// <summary>Optional (empty: none): phrases inside which nothing is reported, e.g. published hotlines.</summary>
    public string AllowListFile { get; set; } = "rules/allow-list.txt";

    /// <summary>Optional (empty: none): leader names and current titles (错敏).</summary>
    public string LeadersFile { get; set; } = "rules/leaders.txt";

    /// <summary>Optional (empty: none): wrong standard expressions and typos, "wrong =&gt; right".</summary>
    public string CorrectionsFile { get; set; } = "rules/corrections.txt";

    /// <summary>How often the list files are checked for changes (reload without restart).</summary>
    [Range(1, 3600)]
    public int ReloadCheckSeconds { get; set; } = 5;
}

/// <summary>Section "Sandbox": the built-in WeChat/Weibo simulators and demo receiver (demo only).</summary>
internal sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    public bool Enabled { get; set; }

    [Range(0, 65535)]
    public int WeChatPort { get; set; } = 5391;

    [Range(0, 65535)]
    public int WeiboPort { get; set; } = 5392;

    [Range(0, 65535)]
    public int ReceiverPort { get; set; } = 5393;

    /// <summary>The local OpenID Connect issuer (demo sign-in with JWTs).</summary>
    [Range(0, 65535)]
    public int OidcPort { get; set; } = 5394;
}
