namespace MediaGateway.Content.Rendering;

/// <summary>
/// Something the renderer removed, changed or found over a platform limit, named by the request field it comes from
/// ("title", "summary", "author", "body", "link") so the host can answer 400 naming that field.
/// </summary>
/// <param name="Field">The request field the problem belongs to.</param>
/// <param name="Code">Stable machine code: see <see cref="RenderingIssueCodes"/>.</param>
/// <param name="Message">Operator's sentence, Chinese then English.</param>
/// <param name="Blocking">
/// True: the payload would be wrong or refused by the platform (a limit is exceeded, an image would be lost); the host should
/// refuse the submission. False: a notice (unsafe markup removed, summary shortened); the payload is still sound.
/// </param>
internal sealed record RenderingIssue(string Field, string Code, string Message, bool Blocking);

/// <summary>The codes a <see cref="RenderingIssue"/> carries.</summary>
internal static class RenderingIssueCodes
{
    /// <summary>A field is longer than the platform allows.</summary>
    public const string TooLong = "too-long";

    /// <summary>An image that is not an uploaded <c>media:ID</c> (http URL, data: URL, no source) was dropped.</summary>
    public const string ImageDropped = "image-dropped";

    /// <summary>Scripts, event handlers, frames, forms, unsafe URLs or styles were removed from the body.</summary>
    public const string UnsafeMarkupRemoved = "unsafe-markup-removed";

    /// <summary>Weibo: the summary was cut (with an ellipsis) to fit the post into 140 characters.</summary>
    public const string Shortened = "shortened";

    /// <summary>Weibo: the post has no link on the account's safe domain.</summary>
    public const string SafeDomainLinkMissing = "safe-domain-link-missing";

    /// <summary>Weibo: the post would contain a #topic#, which statuses/share refuses.</summary>
    public const string TopicNotAllowed = "topic-not-allowed";
}
