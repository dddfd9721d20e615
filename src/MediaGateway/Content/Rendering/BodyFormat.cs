using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace MediaGateway.Content.Rendering;

/// <summary>How a content item's body is written.</summary>
internal enum BodyFormat
{
    /// <summary>CommonMark; inline HTML in it is kept and sanitised like an HTML body. Images as <c>![alt](media:ID)</c>.</summary>
    Markdown,

    /// <summary>An HTML fragment (e.g. from a rich-text editor). Images as <c>&lt;img src="media:ID"&gt;</c>.</summary>
    Html,
}

internal static partial class BodyFormats
{
    /// <summary>
    /// The format of a body that does not say: HTML when its first non-blank character opens an element or a comment
    /// (<c>&lt;p&gt;</c>, <c>&lt;section style=…&gt;</c>, <c>&lt;!-- --&gt;</c>) and, parsed as HTML (AngleSharp), no
    /// text stands outside the top-level elements; Markdown otherwise. So "&lt;p&gt;…&lt;/p&gt;&lt;p&gt;…&lt;/p&gt;" is
    /// HTML, while "&lt;div&gt;…&lt;/div&gt;\n\n# 标题" and "&lt;b&gt;粗&lt;/b&gt;体" are Markdown (whose inline HTML is kept
    /// and sanitised alike). The host should still store the format explicitly (see the report on a <c>BodyFormat</c> field).
    /// </summary>
    public static BodyFormat Detect(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!LeadingTag().IsMatch(body))
        {
            return BodyFormat.Markdown;
        }

        var document = new HtmlParser().ParseDocument("<!DOCTYPE html><html><head></head><body>" + body + "</body></html>");
        var looseText = document.Body!.ChildNodes.Any(n => n.NodeType == NodeType.Text && !string.IsNullOrWhiteSpace(n.TextContent));
        return looseText ? BodyFormat.Markdown : BodyFormat.Html;
    }

    // "<tag" followed by whitespace, ">" or "/"; or "<!". A Markdown autolink "<https://…>" does not match.
    [GeneratedRegex(@"\A\s*<(?:!|[A-Za-z][A-Za-z0-9-]*[\s/>])")]
    private static partial Regex LeadingTag();
}
