using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fluid;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using MediaGateway.Accounts;
using MediaGateway.Hosting;

namespace MediaGateway.Content;

/// <summary>The WeChat article as it will be sent, with body images still as <c>media:ID</c> references.</summary>
public sealed record WeChatRendering(string Title, string? Author, string? Digest, string Html, string? ContentSourceUrl,
    string? CoverMediaId, IReadOnlyList<string> BodyMediaIds, string Fingerprint);

/// <summary>The Weibo post as it will be sent.</summary>
public sealed record WeiboRendering(string Status, string? PictureMediaId, string Fingerprint)
{
    /// <summary>Characters as Weibo counts them here: user-perceived characters (text elements).</summary>
    public int Length => new StringInfo(Status).LengthInTextElements;
}

/// <summary>
/// Renders a content item into each platform's payload through the Liquid templates in templates/,
/// and fingerprints the result. The same renderer runs at submission (approval binds to the
/// fingerprint) and in the worker right before the platform call (which refuses a different hash).
/// </summary>
public sealed class ContentRenderer
{
    private const string MediaScheme = "media:";
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().DisableHtml().UseSoftlineBreakAsHardlineBreak().Build();
    private static readonly JsonSerializerOptions CanonicalJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly IFluidTemplate _weChatArticle;
    private readonly IFluidTemplate _weiboPost;
    private readonly TemplateOptions _options = new();

    // Escapes markup characters but leaves Chinese as it is (the default encoder would turn every
    // character into an entity and inflate the article against WeChat's 20,000-character limit).
    private static readonly HtmlEncoder ArticleEncoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public ContentRenderer(string templatesDirectory)
    {
        _weChatArticle = Parse(Path.Combine(templatesDirectory, "wechat", "article.liquid"));
        _weiboPost = Parse(Path.Combine(templatesDirectory, "weibo", "post.liquid"));
    }

    public WeChatRendering RenderWeChat(ContentItem item, Account account)
    {
        var document = Markdig.Markdown.Parse(item.Body, Markdown);
        var mediaIds = BodyMediaIds(document);
        var body = document.ToHtml(Markdown);
        var context = new TemplateContext(new
        {
            title = item.Title, summary = item.Summary, body_html = body, link = item.Link, account_name = account.Name,
        }, _options);
        var html = _weChatArticle.Render(context, ArticleEncoder).Trim();
        var rendering = new WeChatRendering(item.Title, item.Author, item.Summary, html, item.Link, item.CoverMediaId, mediaIds, "");
        return rendering with { Fingerprint = Fingerprint("wechat", rendering with { Fingerprint = "" }) };
    }

    public WeiboRendering RenderWeibo(ContentItem item, Account account)
    {
        var context = new TemplateContext(new
        {
            title = item.Title, summary = item.Summary, link = item.Link, account_name = account.Name,
        }, _options);
        var text = _weiboPost.Render(context, NullEncoder.Default).Trim();
        var rendering = new WeiboRendering(text, item.CoverMediaId, "");
        return rendering with { Fingerprint = Fingerprint("weibo", rendering with { Fingerprint = "" }) };
    }

    /// <summary>The fingerprint of what would be sent to this account.</summary>
    public string FingerprintFor(ContentItem item, Account account) => account.Platform switch
    {
        Platforms.Platform.WeChat => RenderWeChat(item, account).Fingerprint,
        _ => RenderWeibo(item, account).Fingerprint,
    };

    /// <summary>Media referenced from the body, in order of appearance, without repeats.</summary>
    public static IReadOnlyList<string> BodyMediaIds(string markdown) => BodyMediaIds(Markdig.Markdown.Parse(markdown, Markdown));

    private static List<string> BodyMediaIds(MarkdownDocument document) =>
        document.Descendants<LinkInline>()
            .Where(l => l.IsImage && l.Url is not null && l.Url.StartsWith(MediaScheme, StringComparison.Ordinal))
            .Select(l => l.Url![MediaScheme.Length..])
            .Distinct(StringComparer.Ordinal)
            .ToList();

    public static string MediaReference(string id) => MediaScheme + id;

    private static string Fingerprint<T>(string platform, T payload)
    {
        // Media ids are content hashes (MediaStore), so the bytes of every image are covered too.
        var json = JsonSerializer.Serialize(payload, CanonicalJson);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(platform + "\n" + json));
        return "sha256:" + Convert.ToHexStringLower(hash);
    }

    private static IFluidTemplate Parse(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException("Gateway:TemplatesDirectory", $"template '{path}' is missing");
        }

        var parser = new FluidParser();
        return parser.TryParse(File.ReadAllText(path), out var template, out var error)
            ? template
            : throw new ConfigurationException("Gateway:TemplatesDirectory", $"template '{path}' does not parse: {error}");
    }
}
