namespace MediaGateway.Sandbox;

/// <summary>A Weibo app and its registered safe domain (e.g. ("3141592653", "www.example.gov.cn")); "" = none bound.</summary>
public sealed record WeiboSandboxApp(string AppKey, string SafeDomain)
{
    /// <summary>
    /// Not in weibo.md, which says statuses/share takes "no #topic#": an app the platform granted #topic# through share
    /// (the gateway's Accounts:{id}:AllowTopics). Off by default, as the sheet says.
    /// </summary>
    public bool TopicsAllowed { get; init; }
}

/// <summary>An authorised account: its OAuth2 token for one app. Uid is a decimal number, as on the platform.</summary>
public sealed record WeiboSandboxUser(string AccessToken, string Uid, string ScreenName, string AppKey, DateTimeOffset ExpiresAt);

public sealed class WeiboSandboxOptions
{
    /// <summary>0 = an ephemeral port on 127.0.0.1.</summary>
    public int Port { get; set; }

    public IList<WeiboSandboxApp> Apps { get; } = new List<WeiboSandboxApp>();

    public IList<WeiboSandboxUser> Users { get; } = new List<WeiboSandboxUser>();

    /// <summary>Successful posts per user per clock hour before 10024 (weibo.md: "30 posts per user per hour").</summary>
    public int PostsPerUserPerHour { get; set; } = 30;

    /// <summary>Calls per user token per clock hour before 10023 (weibo.md: "150–1000 calls per user-app per hour").</summary>
    public int CallsPerUserPerHour { get; set; } = 1000;

    /// <summary>Calls per client IP per clock hour before 10022 (weibo.md: "1,000–10,000 per IP per hour").</summary>
    public int CallsPerIpPerHour { get; set; } = 10_000;

    /// <summary>The platform's clock: token expiry, rate windows, created_at. (Fault delays are wall-clock.)</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>A status created on the sandbox (the platform effect); Destroyed once statuses/destroy removed it.</summary>
public sealed record WeiboSandboxStatus(
    long Id,
    string IdStr,
    string Mid,
    string Uid,
    string ScreenName,
    string AppKey,
    string Text,
    string? OriginalPic,
    string Url,
    string? Rip,
    DateTimeOffset CreatedAt,
    bool Destroyed);
