namespace MediaGateway.Platforms;

/// <summary>The platforms we publish to.</summary>
public enum Platform
{
    WeChat,
    Weibo,
}

/// <summary>
/// The small set of classes every platform error maps to; the publishing pipeline decides what to do from the class
/// and the flags of <see cref="PlatformException"/> alone, never from a platform's code (see docs/architecture.md,
/// "Platform errors", and decision 33).
/// </summary>
public enum PlatformErrorClass
{
    /// <summary>Busy, 5xx, timeouts before send: back off and retry.</summary>
    Transient,
    /// <summary>Per-minute / per-hour limits: retry when the window reopens (<see cref="PlatformException.RetryAfter"/>).</summary>
    RateLimited,
    /// <summary>Daily or per-period quotas: pause the account until the next period.</summary>
    Quota,
    /// <summary>Token, credentials or account state: stop and alert the account's responsible person.</summary>
    Auth,
    /// <summary>IP whitelist, missing safe domain, app permissions: stop and alert the administrators.</summary>
    Configuration,
    /// <summary>The content itself is refused (too long, bad media, illegal content): permanent, tell the operator.</summary>
    Content,
    /// <summary>The platform says the effect already happened (45065, 20032, 20053): treat as success.</summary>
    DuplicateOrSuccess,
    /// <summary>Anything else that will not get better by retrying (malformed request, unknown id): permanent.</summary>
    Permanent,
}

/// <summary>An error answered by (or on the way to) a platform, already classified.</summary>
public sealed class PlatformException : Exception
{
    public PlatformException(Platform platform, string code, string platformMessage, PlatformErrorClass errorClass,
        string explanation, TimeSpan? retryAfter = null, bool outcomeUnknown = false, Exception? inner = null)
        : base($"{platform} error {code} ({errorClass}): {platformMessage}", inner)
    {
        Platform = platform;
        Code = code;
        PlatformMessage = platformMessage;
        ErrorClass = errorClass;
        Explanation = explanation;
        RetryAfter = retryAfter;
        OutcomeUnknown = outcomeUnknown;
        LimitsAccount = errorClass is PlatformErrorClass.RateLimited or PlatformErrorClass.Quota;
    }

    public Platform Platform { get; }

    /// <summary>The platform's own code: WeChat <c>errcode</c>, Weibo <c>error_code</c>, or "http-503", "timeout".</summary>
    public string Code { get; }

    /// <summary>The platform's message as sent (WeChat <c>errmsg</c>, Weibo <c>error</c>).</summary>
    public string PlatformMessage { get; }

    public PlatformErrorClass ErrorClass { get; }

    /// <summary>A sentence an operator understands (bilingual), e.g. "标题超过 32 字 / Title longer than 32 characters".</summary>
    public string Explanation { get; }

    /// <summary>When the platform's window reopens, where known.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// True when the request may have reached the platform and taken effect (timeout or 5xx after send):
    /// the caller must reconcile with the platform before any retry.
    /// </summary>
    public bool OutcomeUnknown { get; }

    /// <summary>
    /// The platform refused the content as a repeat of a post it already has (Weibo 20017/20019/20111): nothing was posted
    /// now. The earlier post may be this publication's own (an earlier send whose answer was lost) or another's; only a
    /// lookup can tell, and posting again never helps.
    /// </summary>
    public bool RefusedAsRepeat { get; init; }

    /// <summary>
    /// A rate limit or quota (<see cref="PlatformErrorClass.RateLimited"/>, <see cref="PlatformErrorClass.Quota"/>) of the
    /// whole account (or of its app or address): every call for the account is refused until the window reopens
    /// (<see cref="ReopensAt"/>). Set for those classes unless the code says otherwise: WeChat 45066 (the same
    /// <c>clientmsgid</c> retried within a minute) limits that one request, not the account.
    /// </summary>
    public bool LimitsAccount { get; init; }

    /// <summary>
    /// What the call names is not on the platform (WeChat 53600 invalid article_id, Weibo 20101 no such post). For a
    /// delete that means the post is gone already, whoever removed it. Not set for Weibo 20102 (the post exists but is
    /// another account's).
    /// </summary>
    public bool TargetGone { get; init; }

    /// <summary>
    /// When the closed window reopens: after <see cref="RetryAfter"/> when the platform (or its error sheet) gives it;
    /// otherwise the platform's usual window for the class: a daily quota at the next China midnight, a WeChat per-minute
    /// limit at the next minute, a Weibo rate limit at the next hour.
    /// </summary>
    public DateTimeOffset ReopensAt(DateTimeOffset now)
    {
        if (RetryAfter is { } wait)
        {
            return now + wait;
        }

        var china = now.ToOffset(TimeSpan.FromHours(8));
        return (Platform, ErrorClass) switch
        {
            (_, PlatformErrorClass.Quota) => new DateTimeOffset(china.Date.AddDays(1), china.Offset),
            (Platform.WeChat, _) => new DateTimeOffset(china.Year, china.Month, china.Day, china.Hour, china.Minute, 0, china.Offset).AddMinutes(1),
            _ => new DateTimeOffset(china.Year, china.Month, china.Day, china.Hour, 0, 0, china.Offset).AddHours(1),
        };
    }
}
