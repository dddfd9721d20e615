namespace MediaGateway.Platforms;

/// <summary>The platforms we publish to.</summary>
public enum Platform
{
    WeChat,
    Weibo,
}

/// <summary>
/// The small set of classes every platform error maps to; the publishing pipeline
/// decides what to do from the class alone (see docs/architecture.md, "Platform errors").
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
}
