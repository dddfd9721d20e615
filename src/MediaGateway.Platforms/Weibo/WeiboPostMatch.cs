using System.Text.RegularExpressions;

namespace MediaGateway.Platforms.Weibo;

/// <summary>
/// Whether a status found on the timeline is the post we sent (weibo.md: "No idempotency key … look for the post
/// (by text fingerprint) before posting again").
/// </summary>
public static partial class WeiboPostMatch
{
    /// <summary>
    /// True when <paramref name="found"/> is <paramref name="sent"/>: the same text exactly (what the sandbox stores), or the
    /// same text once every link is set aside. The real platform shows links rewritten as short links (t.cn), so the link
    /// itself cannot be compared; the rest of the text must still be identical, character for character, whitespace
    /// runs aside.
    /// </summary>
    public static bool SameText(string sent, string found)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(found);
        if (string.Equals(sent, found, StringComparison.Ordinal))
        {
            return true;
        }

        // Links set aside, some text must remain: two bare links never match each other.
        var a = WithoutLinks(sent);
        return a.Any(c => c != LinkMark && c != ' ') && string.Equals(a, WithoutLinks(found), StringComparison.Ordinal);
    }

    private const char LinkMark = '\u0001';

    private static string WithoutLinks(string text) =>
        Whitespace().Replace(Link().Replace(text, LinkMark.ToString()), " ").Trim();

    [GeneratedRegex(@"https?://\S+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Link();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
