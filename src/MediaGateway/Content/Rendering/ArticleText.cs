using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace MediaGateway.Content.Rendering;

/// <summary>
/// What a follower reads in a WeChat article: the text of the rendered body, without markup. WeChat's own limit
/// (shared/platforms/wechat-mp.md, "Drafts": content &lt;20,000 characters and &lt;1 MB) applies to the HTML and is checked by
/// <see cref="WeChatLimits"/>; this is the length a person means by "an 80-character article" (decision 37). Pure.
/// </summary>
internal static class ArticleText
{
    // Elements that start a new line for the reader.
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
        "blockquote", "pre", "table", "tr", "figure", "figcaption", "caption", "hr",
    };

    /// <summary>The body's text, one line per paragraph (block element or line break), whitespace inside a line collapsed.</summary>
    public static string Of(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var document = new HtmlParser().ParseDocument("<!DOCTYPE html><html><head></head><body>" + html + "</body></html>");
        var text = new StringBuilder();
        Walk(document.Body!, text, preformatted: false);
        var lines = text.ToString().Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0);
        return string.Join('\n', lines);
    }

    /// <summary>
    /// Characters as a reader counts them: one per user-perceived character (a Chinese character, a letter, a digit, a
    /// punctuation mark, an emoji), whitespace and line breaks not counted.
    /// </summary>
    public static int Length(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            if (!string.IsNullOrWhiteSpace(e.GetTextElement()))
            {
                count++;
            }
        }

        return count;
    }

    private static void Walk(INode node, StringBuilder text, bool preformatted)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Append(preformatted ? t.Data : CollapseWhitespace(t.Data));
                    break;
                case IElement { LocalName: "br" }:
                    text.Append('\n');
                    break;
                case IElement element:
                    var block = Blocks.Contains(element.LocalName);
                    if (block) text.Append('\n');
                    Walk(element, text, preformatted || element.LocalName == "pre");
                    if (block) text.Append('\n');
                    break;
            }
        }
    }

    private static string CollapseWhitespace(string s)
    {
        var builder = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!space) builder.Append(' ');
                space = true;
            }
            else
            {
                builder.Append(c);
                space = false;
            }
        }

        return builder.ToString();
    }
}
