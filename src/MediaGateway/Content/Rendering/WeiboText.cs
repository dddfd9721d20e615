using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MediaGateway.Content.Rendering;

/// <summary>
/// Weibo's text rules (shared/platforms/weibo.md, "status (≤140 characters, no #topic#, must contain at least one URL on the
/// app's registered safe domain)").
/// </summary>
internal static partial class WeiboText
{
    /// <summary>weibo.md: "status (≤140 characters …)".</summary>
    public const int MaxLength = 140;

    /// <summary>
    /// Pictures one post may carry through the API in use: statuses/share takes "optional pic (one image, multipart …)"
    /// (weibo.md). Nine would need another endpoint the fact sheet does not describe (decision 45).
    /// </summary>
    public const int PicturesPerPost = 1;

    /// <summary>Put where a summary was cut.</summary>
    public const string Ellipsis = "…";

    /// <summary>
    /// Characters as counted here: one per user-perceived character (Unicode text element), so a Chinese character, a Latin
    /// letter and an emoji with its modifiers each count 1. The platform's own counter is said to weigh a half-width
    /// character ½ and a link as its short link; counting every character whole and every link in full is never less than
    /// that, so a text within 140 here is within 140 there. The sandbox counts the same way.
    /// </summary>
    public static int Length(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new StringInfo(text).LengthInTextElements;
    }

    /// <summary>True when the text holds a "#…#" pair, which statuses/share refuses (weibo.md: "no #topic#").</summary>
    public static bool HasTopic(string text) => Topic().IsMatch(text);

    /// <summary>True when <paramref name="link"/> is an absolute http(s) URL on <paramref name="safeDomain"/> or a subdomain of it.</summary>
    public static bool IsOnSafeDomain(string? link, string? safeDomain)
    {
        if (string.IsNullOrWhiteSpace(link) || string.IsNullOrWhiteSpace(safeDomain)
            || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        var domain = safeDomain.Trim().TrimEnd('.');
        return uri.Host.Equals(domain, StringComparison.OrdinalIgnoreCase)
               || uri.Host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The first <paramref name="elements"/> text elements of <paramref name="text"/>, never splitting a character.</summary>
    public static string Prefix(string text, int elements)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder();
        var e = StringInfo.GetTextElementEnumerator(text);
        for (var i = 0; i < elements && e.MoveNext(); i++)
        {
            builder.Append(e.GetTextElement());
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"#[^#\r\n]+#")]
    private static partial Regex Topic();
}
