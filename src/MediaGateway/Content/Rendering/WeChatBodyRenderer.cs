using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Css.Dom;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Ganss.Xss;
using Markdig;

namespace MediaGateway.Content.Rendering;

/// <summary>An external link of the body, moved out of the text into the list at the end of the article.</summary>
/// <param name="Number">"[n]" in the text, from 1, in order of first appearance (one number per distinct URL).</param>
/// <param name="Text">The link's text (the URL when the link had none).</param>
/// <param name="Url">The absolute http(s) URL.</param>
internal sealed record Footnote(int Number, string Text, string Url);

/// <summary>The article body as WeChat will receive it (before the template wraps it).</summary>
/// <param name="Html">Sanitised HTML; body images as <c>src="media:ID"</c>, external links as text + <c>[n]</c>.</param>
/// <param name="MediaIds">Media referenced by the kept images, in order, without repeats.</param>
/// <param name="Footnotes">The external links, numbered.</param>
/// <param name="Issues">What was removed, with the reason.</param>
internal sealed record WeChatBody(string Html, IReadOnlyList<string> MediaIds, IReadOnlyList<Footnote> Footnotes, IReadOnlyList<RenderingIssue> Issues)
{
    /// <summary>
    /// The body's text as a follower reads it (<see cref="ArticleText.Of"/>), worked out on first use: only the review
    /// preview reads it, so publishing never pays for it, and an item's articles for many accounts share one.
    /// </summary>
    public Lazy<string> ReaderText { get; } = new(() => ArticleText.Of(Html));
}

/// <summary>
/// Markdown (Markdig) or HTML → the body of a WeChat article: parsed with AngleSharp, sanitised with HtmlSanitizer against a
/// WeChat allow-list, then body images kept only as uploaded <c>media:ID</c> references and external links turned into
/// footnotes (WeChat articles may not link anywhere but to other WeChat articles). Pure and thread-safe.
/// </summary>
internal static partial class WeChatBodyRenderer
{
    /// <summary>The scheme of a body image that the worker re-hosts through <c>media/uploadimg</c>.</summary>
    public const string MediaScheme = "media:";

    /// <summary>Links to other WeChat articles are the only links an article may keep.</summary>
    public static readonly IReadOnlyList<string> LinkableHosts = ["mp.weixin.qq.com"];

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseSoftlineBreakAsHardlineBreak().Build();

    // Removed with everything inside them, before the allow-list runs: executable, embedded, interactive or invisible.
    private static readonly string[] DroppedWithContent =
    [
        "script", "noscript", "style", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
        "input", "button", "select", "textarea", "option", "svg", "math", "canvas", "audio", "video", "source", "track",
        "link", "meta", "base", "title", "dialog",
    ];

    private static readonly string[] AllowedTags =
    [
        "p", "br", "hr", "span", "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr", "cite",
        "q", "blockquote", "pre", "code", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
        "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "img", "a", "section", "figure",
        "figcaption", "div",
    ];

    private static readonly string[] AllowedAttributes =
        ["src", "alt", "title", "href", "width", "height", "colspan", "rowspan", "align", "valign", "start", "span", "style"];

    // Layout and colour only: nothing that positions, hides, overlays or loads anything.
    private static readonly string[] AllowedCss =
    [
        "color", "background-color", "font-size", "font-weight", "font-style", "font-family", "text-align", "text-decoration",
        "text-indent", "line-height", "letter-spacing", "word-spacing", "vertical-align", "white-space", "word-break",
        "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
        "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
        "border", "border-top", "border-right", "border-bottom", "border-left", "border-color", "border-style", "border-width",
        "border-radius", "border-collapse", "border-spacing", "width", "max-width", "min-width", "height", "max-height",
        "min-height", "list-style-type", "box-sizing",
    ];

    /// <summary>Markdown or HTML body → WeChat article body.</summary>
    public static WeChatBody Render(string body, BodyFormat format)
    {
        ArgumentNullException.ThrowIfNull(body);
        var html = format == BodyFormat.Markdown ? Markdig.Markdown.ToHtml(body, Markdown) : body;
        var issues = new Collector();
        var sanitizer = CreateSanitizer(issues);

        var document = sanitizer.HtmlParserFactory()
            .ParseDocument("<!DOCTYPE html><html><head></head><body>" + html + "</body></html>");
        var root = document.Body!;
        foreach (var element in root.QuerySelectorAll(string.Join(',', DroppedWithContent)).ToList())
        {
            issues.Removed($"<{element.LocalName}>");
            element.Remove();
        }

        foreach (var comment in root.Descendants<IComment>().ToList())
        {
            comment.Remove();
        }

        // Images first, so each dropped one is reported with its own source; the kept ones are media: references only.
        var mediaIds = KeepUploadedImagesOnly(root, issues);
        sanitizer.SanitizeDom(document, root);
        RemoveInvisibleText(root, issues);
        var footnotes = LinksToFootnotes(document, root);

        var result = new List<RenderingIssue>(issues.Images);
        if (issues.RemovedMarkup.Count > 0)
        {
            var what = string.Join(", ", issues.RemovedMarkup);
            result.Add(new RenderingIssue("body", RenderingIssueCodes.UnsafeMarkupRemoved,
                $"正文中不安全或公众号不支持的内容已删除：{what} / Unsafe or unsupported markup was removed from the body: {what}", Blocking: false));
        }

        return new WeChatBody(root.InnerHtml.Trim(), mediaIds, footnotes, result);
    }

    private static HtmlSanitizer CreateSanitizer(Collector issues)
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(AllowedTags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(AllowedAttributes, StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(AllowedCss, StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto", "media"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["src", "href"], StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<CssRuleType>(),
            AllowedClasses = new HashSet<string>(),
            AllowDataAttributes = false,
        };
        var sanitizer = new HtmlSanitizer(options)
        {
            // Unknown but harmless wrappers (<font>, <center>, <article>…) go; their text stays. Dangerous containers were
            // removed with their content before.
            KeepChildNodes = true,
            DisallowCssPropertyValue = UnsafeCssValue(),
        };
        sanitizer.RemovingTag += (_, e) => issues.Removed($"<{e.Tag.LocalName}>");
        sanitizer.RemovingAttribute += (_, e) => issues.Removed(e.Reason == RemoveReason.NotAllowedUrlValue
            ? $"{e.Attribute.Name}=\"{Scheme(e.Attribute.Value)}\""
            : e.Attribute.Name);
        sanitizer.RemovingStyle += (_, e) => issues.Removed($"style {e.Style.Name}: {e.Style.Value}");
        return sanitizer;
    }

    /// <summary>font-size 0 hides text from the reader while it stays in the article: removed with the reason.</summary>
    private static void RemoveInvisibleText(IElement root, Collector issues)
    {
        foreach (var element in root.QuerySelectorAll("[style]"))
        {
            var style = element.GetStyle();
            var size = style.GetPropertyValue("font-size");
            if (size.Length > 0 && ZeroLength().IsMatch(size))
            {
                style.RemoveProperty("font-size");
                issues.Removed($"style font-size: {size}");
                var css = style.CssText;
                if (string.IsNullOrWhiteSpace(css))
                {
                    element.RemoveAttribute("style");
                }
                else
                {
                    element.SetAttribute("style", css);
                }
            }
        }
    }

    private static List<string> KeepUploadedImagesOnly(IElement root, Collector issues)
    {
        var ids = new List<string>();
        foreach (var image in root.QuerySelectorAll("img").ToList())
        {
            var src = image.GetAttribute("src") ?? string.Empty;
            if (src.StartsWith(MediaScheme, StringComparison.Ordinal) && MediaId().IsMatch(src[MediaScheme.Length..]))
            {
                var id = src[MediaScheme.Length..];
                if (!ids.Contains(id, StringComparer.Ordinal))
                {
                    ids.Add(id);
                }

                continue;
            }

            image.Remove();
            if (Uri.TryCreate(src, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                issues.Images.Add(new RenderingIssue("body", RenderingIssueCodes.ImageDropped,
                    $"外部图片 {src} 已删除：公众号正文只显示经平台上传的图片，请先上传并以 media:ID 引用 / "
                    + $"The external image {src} was removed: WeChat articles show only uploaded images; upload it and reference it as media:ID",
                    Blocking: true));
            }
            else
            {
                var shown = src.Length == 0 ? "(none)" : src.Length > 60 ? src[..60] + "…" : src;

                issues.Images.Add(new RenderingIssue("body", RenderingIssueCodes.ImageDropped,
                    $"图片来源 {shown} 不可用，已删除；请上传图片并以 media:ID 引用 / "
                    + $"The image source {shown} cannot be used and the image was removed; upload the image and reference it as media:ID",
                    Blocking: true));
            }
        }

        return ids;
    }

    private static List<Footnote> LinksToFootnotes(IHtmlDocument document, IElement root)
    {
        var footnotes = new List<Footnote>();
        foreach (var link in root.QuerySelectorAll("a").ToList())
        {
            var href = link.GetAttribute("href") ?? string.Empty;
            var web = Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
            if (web && LinkableHosts.Contains(uri!.Host, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var after = link.NextSibling;
            var parent = link.ParentElement;
            var children = link.ChildNodes.ToList();
            var text = Whitespace().Replace(link.TextContent, " ").Trim();
            foreach (var child in children)
            {
                parent!.InsertBefore(child, link);
            }

            link.Remove();
            if (!web)
            {
                continue; // mailto:, relative or empty: the text stays, the link goes
            }

            var url = uri!.AbsoluteUri;
            var note = footnotes.Find(f => f.Url == url);
            if (note is null)
            {
                note = new Footnote(footnotes.Count + 1, text.Length > 0 ? text : url, url);
                footnotes.Add(note);
            }

            var marker = document.CreateElement("sup");
            marker.TextContent = "[" + note.Number.ToString(CultureInfo.InvariantCulture) + "]";
            parent!.InsertBefore(marker, after);
        }

        return footnotes;
    }

    private static string Scheme(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < 20 ? url[..(colon + 1)].Trim().ToLowerInvariant() + "…" : "…";
    }

    // Loads (url(), image-set()), scripts (expression(), javascript:), markup, invisible colours, off-screen offsets.
    [GeneratedRegex(@"[<>]|url\s*\(|image-set|expression\s*\(|javascript:|behavior|binding|transparent|rgba\s*\([^)]*,\s*0?\.?0+\s*\)|-\s*\d{3,}", RegexOptions.IgnoreCase)]
    private static partial Regex UnsafeCssValue();

    [GeneratedRegex(@"\A\s*[+-]?0*\.?0+\s*[a-z%]*\s*\z", RegexOptions.IgnoreCase)]
    private static partial Regex ZeroLength();

    [GeneratedRegex(@"\A[A-Za-z0-9_-]{1,128}\z")]
    private static partial Regex MediaId();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private sealed class Collector
    {
        public List<RenderingIssue> Images { get; } = [];

        public SortedSet<string> RemovedMarkup { get; } = new(StringComparer.Ordinal);

        public void Removed(string what) => RemovedMarkup.Add(what);
    }
}
