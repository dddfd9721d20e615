namespace MediaGateway.Platforms.Weibo;

/// <summary>A Weibo account's OAuth2 access token. Never logged, never serialised to callers.</summary>
public sealed record WeiboCredentials(string AccessToken)
{
    public override string ToString() => "WeiboCredentials { AccessToken = *** }";
}

/// <summary>A post to send with <c>statuses/share</c>.</summary>
public sealed record WeiboShareRequest(string Status, string ClientIp, MediaFile? Picture);

/// <summary>The Status the platform answered; ids as strings (<c>idstr</c>). <see cref="IdStr"/> is null only when <see cref="AcceptedWithoutStatus"/> and the body carried no id.</summary>
public sealed record WeiboStatus(string? IdStr, string? Mid, string Text, DateTimeOffset? CreatedAt, string? UserIdStr, string? OriginalPic)
{
    /// <summary>True when the platform answered 20032/20053: the post exists but the body carried no Status.</summary>
    public bool AcceptedWithoutStatus { get; init; }
}

public sealed record WeiboTokenInfo(string Uid, string AppKey, string? Scope, DateTimeOffset? CreatedAt, TimeSpan ExpiresIn);

public sealed record WeiboRateLimitStatus(int IpLimit, int RemainingIpHits, int RemainingUserHits, int ResetTimeInSeconds, int UserLimit, string? LimitTimeUnit);

/// <summary>One page of <c>statuses/user_timeline</c>: statuses newest first, and how many the user has in all.</summary>
public sealed record WeiboTimelinePage(IReadOnlyList<WeiboStatus> Statuses, long TotalNumber);
