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
}
