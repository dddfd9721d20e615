using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fluid;
using MediaGateway.Accounts;
using MediaGateway.Content.Rendering;
using MediaGateway.Hosting;

namespace MediaGateway.Content;

/// <summary>The WeChat article as it will be sent, with body images still as <c>media:ID</c> references.</summary>
internal sealed record WeChatRendering(string Title, string? Author, string? Digest, string Html, string? ContentSourceUrl,
    string? CoverMediaId, IReadOnlyList<string> BodyMediaIds, string Fingerprint)
{
    /// <summary>The body's external links, listed at the end of the article as "[n] text: URL".</summary>
    public IReadOnlyList<Footnote> Footnotes { get; init; } = [];

    /// <summary>What was removed and which limits are exceeded; the blocking ones should refuse the submission.</summary>
    public IReadOnlyList<RenderingIssue> Issues { get; init; } = [];

    /// <summary>The format the body was read in.</summary>
    public BodyFormat BodyFormat { get; init; }

    /// <summary>Who may comment (decision 45): draft/add need_open_comment and only_fans_can_comment.</summary>
    public WeChatComments Comments { get; init; }

    /// <summary>draft/add need_open_comment: 1 when comments are open (to all or to followers).</summary>
    public int NeedOpenComment => Comments == WeChatComments.Closed ? 0 : 1;

    /// <summary>draft/add only_fans_can_comment: 1 when only followers may comment.</summary>
    public int OnlyFansCanComment => Comments == WeChatComments.FansOnly ? 1 : 0;

    /// <summary>The body's text as a follower reads it, one line per paragraph (<see cref="ArticleText.Of"/>), worked out on first use.</summary>
    public string ReaderText => Reader.Value;

    /// <summary>Where <see cref="ReaderText"/> comes from: the body's, shared by the item's articles for every account (<see cref="WeChatBody.ReaderText"/>).</summary>
    internal Lazy<string> Reader { get; init; } = new("");

    /// <summary>Characters a follower reads in the body (<see cref="ArticleText.Length"/>), not the HTML's length.</summary>
    public int ReaderLength => ArticleText.Length(ReaderText);

    /// <summary>
    /// <see cref="Html"/>'s length once the worker has replaced every <c>media:ID</c> with an uploaded image's URL: what
    /// WeChat's 20,000-character limit applies to (see <see cref="WeChatLimits.UploadedImageUrlAllowance"/>).
    /// </summary>
    public int EstimatedContentLength => WeChatLimits.EstimatedLength(Html);

    /// <summary>The blocking issues: one per field and reason.</summary>
    public IReadOnlyList<RenderingIssue> Errors => Issues.Where(i => i.Blocking).ToList();

    public bool IsValid => !Issues.Any(i => i.Blocking);
}

/// <summary>The Weibo post as it will be sent.</summary>
internal sealed record WeiboRendering(string Status, string? PictureMediaId, string Fingerprint)
{
    /// <summary>Characters as counted for the 140 limit (see <see cref="WeiboText.Length"/>): user-perceived characters.</summary>
    public int Length => WeiboText.Length(Status);

    /// <summary>True when the summary was cut with an ellipsis to fit.</summary>
    public bool SummaryShortened { get; init; }

    /// <summary>True when the text is the item's own Weibo text (decision 45), not "【title】summary link".</summary>
    public bool FromVariant { get; init; }

    /// <summary>Missing safe-domain link, #topic#, title and link too long (blocking); summary shortened (notice).</summary>
    public IReadOnlyList<RenderingIssue> Issues { get; init; } = [];

    public IReadOnlyList<RenderingIssue> Errors => Issues.Where(i => i.Blocking).ToList();

    public bool IsValid => !Issues.Any(i => i.Blocking);
}

/// <summary>WeChat's article limits (shared/platforms/wechat-mp.md, "Drafts"), counted in UTF-16 code units like the sandbox.</summary>
internal static class WeChatLimits
{
    public const int TitleMax = 32;
    public const int AuthorMax = 16;
    public const int DigestMax = 128;

    /// <summary>content must stay under 20,000 characters …</summary>
    public const int ContentMaxExclusive = 20_000;

    /// <summary>… and under 1 MB (UTF-8).</summary>
    public const int ContentMaxBytesExclusive = 1024 * 1024;

    /// <summary>content_source_url: at most 1 KB.</summary>
    public const int SourceUrlMaxBytes = 1024;

    /// <summary>
    /// Room reserved for each body image's URL from media/uploadimg (e.g. "http://mmbiz.qpic.cn/mmbiz_jpg/…/0?wx_fmt=jpeg",
    /// about 130 characters), which replaces the much shorter <c>media:ID</c> after approval.
    /// </summary>
    public const int UploadedImageUrlAllowance = 200;

    /// <summary>The article's length once every <c>"media:ID"</c> is an uploaded image's URL.</summary>
    public static int EstimatedLength(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var length = html.Length;
        var marker = "\"" + WeChatBodyRenderer.MediaScheme;
        for (var at = html.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = html.IndexOf(marker, at + 1, StringComparison.Ordinal))
        {
            var end = html.IndexOf('"', at + 1);
            var reference = end < 0 ? 0 : end - at - 1;
            length += Math.Max(0, UploadedImageUrlAllowance - reference);
        }

        return length;
    }

    /// <summary>Every exceeded limit of an article, named by request field.</summary>
    public static IReadOnlyList<RenderingIssue> Check(string title, string? author, string? digest, string html, string? contentSourceUrl,
        string linkField = "link")
    {
        var issues = new List<RenderingIssue>();
        void TooLong(string field, string zh, string en) =>
            issues.Add(new RenderingIssue(field, RenderingIssueCodes.TooLong, $"{zh} / {en}", Blocking: true));

        if (title.Length > TitleMax)
            TooLong("title", $"公众号标题最多 {TitleMax} 个字，现有 {title.Length} 个", $"a WeChat title has at most {TitleMax} characters; this one has {title.Length}");
        if (author is { Length: > AuthorMax })
            TooLong("author", $"作者最多 {AuthorMax} 个字，现有 {author.Length} 个", $"the author has at most {AuthorMax} characters; this one has {author.Length}");
        if (digest is { Length: > DigestMax })
            TooLong("summary", $"摘要最多 {DigestMax} 个字，现有 {digest.Length} 个", $"the summary (digest) has at most {DigestMax} characters; this one has {digest.Length}");
        var length = EstimatedLength(html);
        if (length >= ContentMaxExclusive)
            TooLong("body", $"正文排版后约 {length} 个字符，须少于 {ContentMaxExclusive}", $"the rendered article would be about {length} characters; it must stay under {ContentMaxExclusive}");
        var bytes = Encoding.UTF8.GetByteCount(html) + (length - html.Length);
        if (bytes >= ContentMaxBytesExclusive)
            TooLong("body", $"正文排版后约 {bytes} 字节，须小于 1 MB", $"the rendered article would be about {bytes} bytes; it must stay under 1 MB");
        if (contentSourceUrl is not null && Encoding.UTF8.GetByteCount(contentSourceUrl) > SourceUrlMaxBytes)
            TooLong(linkField, $"原文链接最长 {SourceUrlMaxBytes} 字节", $"the link (content_source_url) has at most {SourceUrlMaxBytes} bytes");
        return issues;
    }
}

/// <summary>
/// Renders a content item into each platform's payload through the Liquid templates in templates/,
/// and fingerprints the result. The same renderer runs at submission (approval binds to the
/// fingerprint) and in the worker right before the platform call (which refuses a different hash).
/// Markdown through Markdig, HTML through AngleSharp and HtmlSanitizer (<see cref="WeChatBodyRenderer"/>).
/// </summary>
internal sealed class ContentRenderer
{
    private static readonly JsonSerializerOptions CanonicalJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    // Escapes markup characters but leaves Chinese as it is (the default encoder would turn every
    // character into an entity and inflate the article against WeChat's 20,000-character limit).
    private static readonly HtmlEncoder ArticleEncoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    private readonly IFluidTemplate _weChatArticle;
    private readonly IFluidTemplate _weiboPost;
    private readonly TemplateOptions _options = new();

    public ContentRenderer(string templatesDirectory)
    {
        _weChatArticle = Parse(Path.Combine(templatesDirectory, "wechat", "article.liquid"));
        _weiboPost = Parse(Path.Combine(templatesDirectory, "weibo", "post.liquid"));
        _options.MemberAccessStrategy.Register<Footnote>();
    }

    /// <summary>The article for this account; the body's format is detected (<see cref="BodyFormats.Detect"/>).</summary>
    public WeChatRendering RenderWeChat(ContentItem item, Account account) => RenderWeChat(item, account, item.BodyFormat ?? BodyFormats.Detect(item.Body));

    public WeChatRendering RenderWeChat(ContentItem item, Account account, BodyFormat format)
    {
        ArgumentNullException.ThrowIfNull(item);
        return RenderWeChat(item, account, WeChatBodyRenderer.Render(item.Body, format), format);
    }

    /// <summary>
    /// The item's article for any number of accounts. The body (Markdown/HTML → sanitised HTML) is the costly part and the
    /// same for every account: it is rendered once, on first use, and each call only puts it in that account's template.
    /// </summary>
    public Func<Account, WeChatRendering> WeChatArticles(ContentItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var format = item.BodyFormat ?? BodyFormats.Detect(item.Body);
        var body = new Lazy<WeChatBody>(() => WeChatBodyRenderer.Render(item.Body, format));
        return account => RenderWeChat(item, account, body.Value, format);
    }

    private WeChatRendering RenderWeChat(ContentItem item, Account account, WeChatBody body, BodyFormat format)
    {
        ArgumentNullException.ThrowIfNull(account);
        // The "阅读原文" link: the WeChat option when given, else the item's link (decision 45).
        var sourceUrl = item.WeChat?.OriginalLink ?? item.Link;
        var context = new TemplateContext(new
        {
            title = item.Title, summary = item.Summary, body_html = body.Html, link = sourceUrl, account_name = account.Name,
            footnotes = body.Footnotes,
        }, _options);
        var html = _weChatArticle.Render(context, ArticleEncoder).Trim();
        var issues = new List<RenderingIssue>(body.Issues);
        issues.AddRange(WeChatLimits.Check(item.Title, item.Author, item.Summary, html, sourceUrl,
            item.WeChat?.OriginalLink is null ? "link" : "weChat.originalLink"));
        var comments = item.WeChat?.Comments ?? WeChatComments.Closed;
        var rendered = new WeChatRendering(item.Title, item.Author, item.Summary, html, sourceUrl, item.CoverMediaId, body.MediaIds, "")
        {
            Footnotes = body.Footnotes,
            Issues = issues,
            BodyFormat = format,
            Reader = body.ReaderText,
            Comments = comments,
        };
        var payload = new WeChatPayload(item.Title, item.Author, item.Summary, html, sourceUrl, item.CoverMediaId)
        {
            NeedOpenComment = rendered.NeedOpenComment, OnlyFansCanComment = rendered.OnlyFansCanComment,
        };
        return rendered with { Fingerprint = Fingerprint("wechat", payload) };
    }

    /// <summary>
    /// The post for this account: "【title】summary link" through the template. Too long → the summary is cut with an ellipsis
    /// (a notice); only when title and link alone exceed 140 is it an error. The link must be on the account's safe domain.
    /// </summary>
    public WeiboRendering RenderWeibo(ContentItem item, Account account)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(account);
        if (item.Weibo?.Text is { Length: > 0 } own)
        {
            return RenderWeiboVariant(item, account, own);
        }

        var issues = new List<RenderingIssue>();
        var summary = item.Summary?.Trim() ?? string.Empty;
        var text = RenderPost(item, account, summary);
        var shortened = false;
        if (WeiboText.Length(text) > WeiboText.MaxLength)
        {
            var bare = RenderPost(item, account, string.Empty);
            if (WeiboText.Length(bare) > WeiboText.MaxLength)
            {
                issues.Add(new RenderingIssue("title", RenderingIssueCodes.TooLong,
                    $"微博标题加链接已有 {WeiboText.Length(bare)} 个字，超过 {WeiboText.MaxLength}：请缩短标题 / "
                    + $"the Weibo post's title and link alone are {WeiboText.Length(bare)} characters, over {WeiboText.MaxLength}: shorten the title",
                    Blocking: true));
                text = bare;
            }
            else
            {
                text = Shorten(item, account, summary);
                shortened = true;
                issues.Add(new RenderingIssue("summary", RenderingIssueCodes.Shortened,
                    $"摘要已截短以使微博不超过 {WeiboText.MaxLength} 字 / the summary was shortened so the Weibo post fits in {WeiboText.MaxLength} characters",
                    Blocking: false));
            }
        }

        SafeDomainIssue(item, account, issues);
        if (!account.AllowsTopics && WeiboText.HasTopic(text))
        {
            var field = item.Title.Contains('#', StringComparison.Ordinal) ? "title"
                : summary.Contains('#', StringComparison.Ordinal) ? "summary" : "link";
            issues.Add(TopicIssue(field, account));
        }

        var picture = WeiboPicture(item);
        return new WeiboRendering(text, picture, Fingerprint("weibo", new WeiboPayload(text, picture)))
        {
            SummaryShortened = shortened,
            Issues = issues,
        };
    }

    /// <summary>
    /// The post from the item's own Weibo text (decision 45): sent as written, then the item's link unless the text holds it.
    /// Never shortened (the operator wrote it for Weibo): over 140 is an error on <c>weibo.text</c>, as is a #话题# the
    /// account may not post.
    /// </summary>
    private WeiboRendering RenderWeiboVariant(ContentItem item, Account account, string own)
    {
        var issues = new List<RenderingIssue>();
        var context = new TemplateContext(new
        {
            text = own, link = item.Link, append_link = item.Link is { Length: > 0 } link && !own.Contains(link, StringComparison.Ordinal),
            title = item.Title, account_name = account.Name,
        }, _options);
        var text = _weiboPost.Render(context, NullEncoder.Default).Trim();
        var length = WeiboText.Length(text);
        if (length > WeiboText.MaxLength)
        {
            issues.Add(new RenderingIssue(VariantTextField, RenderingIssueCodes.TooLong,
                $"微博正文连同链接共 {length} 字，超过 {WeiboText.MaxLength} 字：请删减 / "
                + $"the Weibo text with its link is {length} characters, over {WeiboText.MaxLength}: shorten it",
                Blocking: true));
        }

        SafeDomainIssue(item, account, issues);
        if (!account.AllowsTopics && WeiboText.HasTopic(text))
        {
            issues.Add(TopicIssue(WeiboText.HasTopic(own) ? VariantTextField : "link", account));
        }

        var picture = WeiboPicture(item);
        return new WeiboRendering(text, picture, Fingerprint("weibo", new WeiboPayload(text, picture)))
        {
            Issues = issues,
            FromVariant = true,
        };
    }

    /// <summary>The request field of the item's own Weibo text.</summary>
    public const string VariantTextField = "weibo.text";

    /// <summary>The post's picture: the variant's (none when it lists none), else the cover (decision 45).</summary>
    public static string? WeiboPicture(ContentItem item) =>
        item.Weibo?.Pictures is { } pictures ? pictures.FirstOrDefault() : item.CoverMediaId;

    private static void SafeDomainIssue(ContentItem item, Account account, List<RenderingIssue> issues)
    {
        if (!WeiboText.IsOnSafeDomain(item.Link, account.SafeDomain))
        {
            issues.Add(new RenderingIssue("link", RenderingIssueCodes.SafeDomainLinkMissing,
                $"微博须包含账号安全域名 {account.SafeDomain} 下的链接 / a Weibo post must contain a link on the account's safe domain {account.SafeDomain}",
                Blocking: true));
        }
    }

    private static RenderingIssue TopicIssue(string field, Account account) => new(field, RenderingIssueCodes.TopicNotAllowed,
        $"微博账号「{account.Name}」不能发 #话题#：statuses/share 接口不支持，且该账号未开通（AllowTopics） / "
        + $"Weibo account '{account.Id}' may not post #topic# markers: statuses/share does not take them and the account has no AllowTopics",
        Blocking: true);

    /// <summary>The fingerprint of what would be sent to this account.</summary>
    public string FingerprintFor(ContentItem item, Account account) => account.Platform switch
    {
        Platforms.Platform.WeChat => RenderWeChat(item, account).Fingerprint,
        _ => RenderWeibo(item, account).Fingerprint,
    };

    /// <summary>Uploaded media referenced from the body's images (kept after sanitising), in order of appearance, without repeats.</summary>
    public static IReadOnlyList<string> BodyMediaIds(string markdown) => BodyMediaIds(markdown, BodyFormats.Detect(markdown));

    /// <summary>As <see cref="BodyMediaIds(string)"/>, for a body of a known format.</summary>
    public static IReadOnlyList<string> BodyMediaIds(string body, BodyFormat format) => WeChatBodyRenderer.Render(body, format).MediaIds;

    public static string MediaReference(string id) => WeChatBodyRenderer.MediaScheme + id;

    private string RenderPost(ContentItem item, Account account, string summary)
    {
        var context = new TemplateContext(new
        {
            title = item.Title, summary, link = item.Link, account_name = account.Name,
        }, _options);
        return _weiboPost.Render(context, NullEncoder.Default).Trim();
    }

    /// <summary>The longest prefix of the summary (plus an ellipsis) that fits: a binary search over its characters.</summary>
    private string Shorten(ContentItem item, Account account, string summary)
    {
        var total = WeiboText.Length(summary);
        int low = 0, high = total - 1;
        var best = string.Empty;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            var candidate = RenderPost(item, account, WeiboText.Prefix(summary, mid).TrimEnd() + WeiboText.Ellipsis);
            if (WeiboText.Length(candidate) <= WeiboText.MaxLength)
            {
                low = mid;
                best = candidate;
            }
            else
            {
                high = mid - 1;
            }
        }

        // Nothing of the summary fits but the ellipsis: leave the summary out rather than post a lone "…".
        return low == 0 ? RenderPost(item, account, string.Empty) : best;
    }

    private static string Fingerprint<T>(string platform, T payload)
    {
        // Media ids are hashes of the bytes and the name (MediaStore), and stored images never change: both are covered too.
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

    /// <summary>Exactly what draft/add receives for the article (before media: references become URLs): the fingerprinted payload.</summary>
    private sealed record WeChatPayload(string Title, string? Author, string? Digest, string Content, string? ContentSourceUrl, string? Cover)
    {
        // Left out while 0 (comments closed, as every article was before decision 45), so those fingerprints stay as approved.
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public int NeedOpenComment { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public int OnlyFansCanComment { get; init; }
    }

    /// <summary>Exactly what statuses/share receives: the fingerprinted payload.</summary>
    private sealed record WeiboPayload(string Status, string? Picture);
}
