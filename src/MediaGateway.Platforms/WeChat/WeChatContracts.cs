namespace MediaGateway.Platforms.WeChat;

/// <summary>One WeChat Official Account's API identity. The secret never leaves the client (never logged, never serialised to callers).</summary>
public sealed record WeChatCredentials(string AppId, string AppSecret)
{
    /// <summary>Sets the mass-send quota period the client reports with 45028 (day for subscription, month for service).</summary>
    public WeChatAccountKind AccountKind { get; init; } = WeChatAccountKind.Subscription;

    public override string ToString() => $"WeChatCredentials {{ AppId = {AppId} }}";
}

public sealed record WeChatAccessToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Where access tokens are kept so that every gateway instance shares one token per appid.
/// The host implements it on Redis; the client calls <c>stable_token</c> only on a miss.
/// </summary>
public interface IWeChatTokenCache
{
    Task<WeChatAccessToken?> GetAsync(string appId, CancellationToken cancellationToken);

    Task SetAsync(string appId, WeChatAccessToken token, CancellationToken cancellationToken);

    /// <summary>Removes a token the platform said is invalid (40001/40014/42001).</summary>
    Task InvalidateAsync(string appId, string token, CancellationToken cancellationToken);

    /// <summary>A short lock around the refresh so that one instance fetches while others wait; null when not acquired in time.</summary>
    Task<IAsyncDisposable?> AcquireRefreshLockAsync(string appId, TimeSpan wait, CancellationToken cancellationToken);
}

public enum WeChatMaterialType
{
    Image,
    Thumb,
}

public sealed record WeChatMaterial(string MediaId, string? Url);

/// <summary>One article of a draft, in the platform's field names (see wechat-mp.md, Drafts).</summary>
public sealed record WeChatArticle
{
    public required string Title { get; init; }
    public string? Author { get; init; }
    public string? Digest { get; init; }
    public required string Content { get; init; }
    public string? ContentSourceUrl { get; init; }
    public required string ThumbMediaId { get; init; }
    public int NeedOpenComment { get; init; }
    public int OnlyFansCanComment { get; init; }
}

public sealed record WeChatPublishSubmitted(string PublishId, string? MsgDataId);

public enum WeChatPublishStatus
{
    Success = 0,
    Publishing = 1,
    OriginalityCheckFailed = 2,
    Failed = 3,
    RejectedByReview = 4,
    DeletedByUser = 5,
    BannedBySystem = 6,
}

public sealed record WeChatPublishedArticle(int Index, string ArticleUrl);

public sealed record WeChatPublishOutcome(
    string PublishId,
    WeChatPublishStatus Status,
    string? ArticleId,
    IReadOnlyList<WeChatPublishedArticle> Articles,
    IReadOnlyList<int> FailedIndexes);

/// <summary>Subscription account (订阅号: 1 mass send a day) or service account (服务号: 4 a month per follower).</summary>
public enum WeChatAccountKind
{
    Subscription,
    Service,
}

/// <summary>
/// The answer to <c>message/mass/sendall</c>. <paramref name="AlreadySent"/> is true when the platform answered 45065
/// (this clientmsgid was already sent within 24 h): the mass send exists and <paramref name="MsgId"/> is the existing one.
/// <paramref name="MsgId"/> is null only if the platform answered 45065 without naming the message.
/// </summary>
public sealed record WeChatMassSent(string? MsgId, string? MsgDataId, bool AlreadySent);

/// <summary><c>mass/get</c> msg_status.</summary>
public enum WeChatMassStatus
{
    Unknown,
    SendSuccess,
    Sending,
    SendFail,
    Deleted,
}

public sealed record WeChatMassOutcome(string MsgId, WeChatMassStatus Status, string RawStatus);

/// <summary>One article of a published item in <c>freepublish/batchget</c> (1-based <paramref name="Index"/>).</summary>
public sealed record WeChatPublishedItemArticle(int Index, string Title, string? Url, bool IsDeleted, string? Content, string? ContentSourceUrl);

/// <summary>One published item: what the pipeline matches against after a submit whose outcome is unknown.</summary>
public sealed record WeChatPublishedItem(string ArticleId, DateTimeOffset UpdateTime, IReadOnlyList<WeChatPublishedItemArticle> Articles);

public sealed record WeChatPublishedPage(int TotalCount, IReadOnlyList<WeChatPublishedItem> Items);
