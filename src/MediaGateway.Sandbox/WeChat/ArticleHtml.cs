using System.Net;
using System.Text.RegularExpressions;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>
/// What the platform does to article HTML: scripts removed, images kept only when they point at the platform's own
/// image host (here: the sandbox's "mmbiz/" URLs, as returned by uploadimg / add_material).
/// </summary>
internal static partial class ArticleHtml
{
    public static string Sanitize(string html, string imageHostPrefix)
    {
        var withoutScripts = ScriptBlock().Replace(html, string.Empty);
        withoutScripts = ScriptTag().Replace(withoutScripts, string.Empty);
        return ImgTag().Replace(withoutScripts, m =>
        {
            var src = ImgSrc().Match(m.Value);
            var url = src.Success ? src.Groups["v"].Value : string.Empty;
            return url.StartsWith(imageHostPrefix, StringComparison.OrdinalIgnoreCase) ? m.Value : string.Empty;
        });
    }

    /// <summary>The automatic digest of a single-article draft without one: the first 54 characters of the text.</summary>
    public static string AutoDigest(string html)
    {
        var text = WebUtility.HtmlDecode(AnyTag().Replace(html, string.Empty));
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length <= 54 ? text : text[..54];
    }

    [GeneratedRegex(@"<script\b[^>]*>.*?</script\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();

    [GeneratedRegex(@"</?script\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"<img\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ImgTag();

    [GeneratedRegex(@"\bsrc\s*=\s*(?:""(?<v>[^""]*)""|'(?<v>[^']*)'|(?<v>[^\s>]+))", RegexOptions.IgnoreCase)]
    private static partial Regex ImgSrc();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
