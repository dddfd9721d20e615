namespace MediaGateway.Platforms;

/// <summary>What a platform error code means for the pipeline: its class, an operator's explanation, and when to retry.</summary>
/// <param name="ErrorClass">The class the pipeline acts on.</param>
/// <param name="Explanation">Chinese first, then English: "标题超过 32 个字 / The title is longer than 32 characters".</param>
/// <param name="RetryAfter">When the platform's window reopens, where the sheet gives one.</param>
public sealed record PlatformErrorInfo(PlatformErrorClass ErrorClass, string Explanation, TimeSpan? RetryAfter = null)
{
    /// <summary>
    /// The platform refuses the content as a repeat of a post it already has (Weibo 20017/20019/20111). That post may be
    /// this publication's own earlier send, or another's: look for it, never post again. Raised as <see cref="PlatformException.RefusedAsRepeat"/>.
    /// </summary>
    public bool RefusedAsRepeat { get; init; }

    /// <summary>A limit of the whole account, not of one request (<see cref="PlatformException.LimitsAccount"/>).</summary>
    public bool LimitsAccount { get; init; } = ErrorClass is PlatformErrorClass.RateLimited or PlatformErrorClass.Quota;

    /// <summary>What the call names is not on the platform (<see cref="PlatformException.TargetGone"/>).</summary>
    public bool TargetGone { get; init; }

    /// <summary>The error as raised to the caller, with this classification and its flags.</summary>
    public PlatformException ToException(Platform platform, string code, string platformMessage, bool outcomeUnknown = false) =>
        new(platform, code, platformMessage, ErrorClass, Explanation, RetryAfter, outcomeUnknown)
        {
            RefusedAsRepeat = RefusedAsRepeat, LimitsAccount = LimitsAccount, TargetGone = TargetGone,
        };
}
