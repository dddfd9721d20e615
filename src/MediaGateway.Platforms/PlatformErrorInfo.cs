namespace MediaGateway.Platforms;

/// <summary>What a platform error code means for the pipeline: its class, an operator's explanation, and when to retry.</summary>
/// <param name="ErrorClass">The class the pipeline acts on.</param>
/// <param name="Explanation">Chinese first, then English: "标题超过 32 个字 / The title is longer than 32 characters".</param>
/// <param name="RetryAfter">When the platform's window reopens, where the sheet gives one.</param>
public sealed record PlatformErrorInfo(PlatformErrorClass ErrorClass, string Explanation, TimeSpan? RetryAfter = null)
{
    /// <summary>
    /// The platform hints that the effect may already exist (Weibo 20017/20019/20111, "possible duplicate"):
    /// look for it on the platform before retrying or failing. Raised as <see cref="PlatformException.OutcomeUnknown"/>.
    /// </summary>
    public bool ReconcileFirst { get; init; }
}
