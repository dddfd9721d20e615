using MediaGateway.Accounts;
using MediaGateway.Content;
using MediaGateway.Content.Rendering;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Unit;

/// <summary>The renderer, pure: Markdown/HTML → sanitised WeChat article with footnotes and limits; Weibo text ≤140.</summary>
public sealed class ContentRendererTests
{
    private const string Image = "0123456789abcdef01234567";
    private static readonly ContentRenderer Renderer = new(Path.Combine(RepoPaths.Root, "templates"));

    private static ContentItem Item(string body = "正文 ![图](media:0123456789abcdef01234567)", string? summary = "摘要", string title = "标题",
        string? link = "https://www.example.gov.cn/a", string? author = null, string? cover = "cover") => new()
    {
        Id = "c1", Revision = 1, Title = title, Summary = summary, Author = author, Body = body, Link = link,
        CoverMediaId = cover, Targets = ["x"], Category = ContentCategory.News, CreatedBy = "u", Department = "d",
        CreatedAt = DateTimeOffset.UnixEpoch, Status = ContentStatus.InReview, Fingerprints = new Dictionary<string, string>(),
        Findings = [], RulesVersion = "v",
    };

    private static Account WeChat() => new("wx", MediaGateway.Platforms.Platform.WeChat, AccountKind.WeChatSubscription, "示例市发布",
        AccountStatus.Active, new OwnershipRecord(), "wxid", null, null, [], "secret");

    private static Account Weibo() => new("wb", MediaGateway.Platforms.Platform.Weibo, AccountKind.Weibo, "示例市发布",
        AccountStatus.Active, new OwnershipRecord(), null, "1", "www.example.gov.cn", ["www.example.gov.cn"], "token");

    private static WeChatRendering Article(string body, BodyFormat? format = null) => format is { } f
        ? Renderer.RenderWeChat(Item(body: body), WeChat(), f)
        : Renderer.RenderWeChat(Item(body: body), WeChat());

    // ---- fingerprints ---------------------------------------------------------------------------------------------

    [Fact]
    public void TheSameItem_HasTheSameFingerprint_AndAnyChangeChangesIt()
    {
        var a = Renderer.RenderWeChat(Item(), WeChat());
        Assert.Equal(a.Fingerprint, Renderer.RenderWeChat(Item(), WeChat()).Fingerprint);
        Assert.StartsWith("sha256:", a.Fingerprint, StringComparison.Ordinal);
        Assert.Equal(71, a.Fingerprint.Length);

        string[] variants =
        [
            Renderer.RenderWeChat(Item(body: "正文。"), WeChat()).Fingerprint,
            Renderer.RenderWeChat(Item(title: "标题2"), WeChat()).Fingerprint,
            Renderer.RenderWeChat(Item(summary: "摘要2"), WeChat()).Fingerprint,
            Renderer.RenderWeChat(Item(author: "王敏"), WeChat()).Fingerprint,
            Renderer.RenderWeChat(Item(link: "https://www.example.gov.cn/b"), WeChat()).Fingerprint,
            Renderer.RenderWeChat(Item(cover: "cover2"), WeChat()).Fingerprint,
            Renderer.RenderWeChat(Item(body: "正文 ![图](media:0123456789abcdef01234568)"), WeChat()).Fingerprint,
            Renderer.RenderWeibo(Item(), Weibo()).Fingerprint,
        ];
        Assert.DoesNotContain(a.Fingerprint, variants);
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }

    [Fact]
    public void WeiboFingerprint_FollowsTheTextAndThePicture_NotTheBody()
    {
        var a = Renderer.RenderWeibo(Item(), Weibo());
        Assert.Equal(a.Fingerprint, Renderer.RenderWeibo(Item(), Weibo()).Fingerprint);
        Assert.Equal(a.Fingerprint, Renderer.RenderWeibo(Item(body: "别的正文"), Weibo()).Fingerprint); // the body is not posted
        Assert.NotEqual(a.Fingerprint, Renderer.RenderWeibo(Item(summary: "摘要。"), Weibo()).Fingerprint);
        Assert.NotEqual(a.Fingerprint, Renderer.RenderWeibo(Item(cover: "other"), Weibo()).Fingerprint);
        Assert.NotEqual(a.Fingerprint, Renderer.RenderWeibo(Item(cover: null), Weibo()).Fingerprint);
    }

    // ---- sanitising -----------------------------------------------------------------------------------------------

    [Fact]
    public void WeChatArticle_KeepsImageReferences_ForUploadLater_AndDropsScripts()
    {
        var rendered = Renderer.RenderWeChat(Item(body: $"<script>alert(1)</script>\n\n![图](media:{Image})"), WeChat());
        Assert.Equal([Image], rendered.BodyMediaIds);
        Assert.Contains($"src=\"media:{Image}\"", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", rendered.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("来源：示例市发布", rendered.Html, StringComparison.Ordinal);
        var notice = Assert.Single(rendered.Issues, i => i.Code == RenderingIssueCodes.UnsafeMarkupRemoved);
        Assert.Equal("body", notice.Field);
        Assert.False(notice.Blocking);
        Assert.Contains("<script>", notice.Message, StringComparison.Ordinal);
        Assert.True(rendered.IsValid);
    }

    [Theory]
    [InlineData(nameof(BodyFormat.Html))]
    [InlineData(nameof(BodyFormat.Markdown))]
    public void EventHandlers_JavascriptLinks_Iframes_Forms_AndStyles_AreRemoved(string formatName)
    {
        const string body = """
            <p onclick="steal()">点我 <a href="javascript:alert(1)">链接</a> <a href="JaVaScRiPt:alert(2)">二</a></p>
            <img src="media:0123456789abcdef01234567" onerror="alert(3)" onload="alert(4)">
            <iframe src="https://evil.example/"></iframe><form action="https://evil.example/"><input name="x"><button>提交</button></form>
            <style>p { display:none }</style><object data="x.swf"></object><embed src="x.swf"><svg onload="alert(5)"><script>alert(6)</script></svg>
            <p style="position:fixed;top:0;color:red;background-image:url(https://evil.example/t.png)">样式</p>
            <p style="font-size:0">隐藏文字</p><p style="text-indent:-9999px">移出屏幕</p><p style="color:transparent">透明</p>
            <div class="x" id="y" data-track="1">块</div>
            """;

        var rendered = Article(body, Enum.Parse<BodyFormat>(formatName));
        var html = rendered.Html;

        foreach (var bad in new[] { "onclick", "onerror", "onload", "javascript", "alert", "<iframe", "<form", "<input", "<button",
                     "<style", "<object", "<embed", "<svg", "position", "url(", "font-size:0", "font-size: 0", "-9999", "class=", "id=", "data-track" })
        {
            Assert.DoesNotContain(bad, html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("<p>点我 链接 二</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p>隐藏文字</p><p>移出屏幕</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p style=\"color: rgba(255, 0, 0, 1)\">样式</p>", html, StringComparison.Ordinal); // the safe part of a style stays
        Assert.Contains("<p>透明</p>", html, StringComparison.Ordinal);
        Assert.Contains("块", html, StringComparison.Ordinal);
        Assert.Contains($"src=\"media:{Image}\"", html, StringComparison.Ordinal);
        Assert.Equal([Image], rendered.BodyMediaIds);
        var notice = Assert.Single(rendered.Issues, i => i.Code == RenderingIssueCodes.UnsafeMarkupRemoved);
        foreach (var named in new[] { "<iframe>", "<form>", "<script>", "onerror", "onclick", "href=\"javascript:…\"", "position" })
        {
            Assert.Contains(named, notice.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ADataUrlImage_AndAnImageWithoutSource_AreDroppedWithAReason()
    {
        var rendered = Article("<p>甲<img src=\"data:image/png;base64,AAAA\">乙<img alt=\"无\"></p>");

        Assert.DoesNotContain("<img", rendered.Html, StringComparison.Ordinal);
        Assert.Equal(2, rendered.Issues.Count(i => i.Code == RenderingIssueCodes.ImageDropped && i.Blocking && i.Field == "body"));
        Assert.Contains(rendered.Errors, i => i.Message.Contains("data:image/png", StringComparison.Ordinal));
        Assert.False(rendered.IsValid);
    }

    // ---- images -----------------------------------------------------------------------------------------------------

    [Fact]
    public void ExternalImages_AreDropped_WithABlockingReasonNamingTheUrl()
    {
        var rendered = Article("![外链](https://cdn.example.com/a.png)\n\n![本地](media:0123456789abcdef01234567)\n\n<img src=\"http://x.example/b.jpg\">");

        Assert.DoesNotContain("cdn.example.com", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("x.example", rendered.Html, StringComparison.Ordinal);
        Assert.Equal([Image], rendered.BodyMediaIds);
        var dropped = rendered.Errors.Where(i => i.Code == RenderingIssueCodes.ImageDropped).ToList();
        Assert.Equal(2, dropped.Count);
        Assert.Contains("https://cdn.example.com/a.png", dropped[0].Message, StringComparison.Ordinal);
        Assert.Contains("http://x.example/b.jpg", dropped[1].Message, StringComparison.Ordinal);
        Assert.All(dropped, d => Assert.Contains("media:ID", d.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void BodyMediaIds_ReadsMarkdownAndHtml_InOrder_WithoutRepeats_IgnoringDroppedImages()
    {
        Assert.Equal(["b1", "a2"], ContentRenderer.BodyMediaIds("![x](media:b1) ![y](media:a2) ![z](media:b1) ![w](https://e.example/i.png)"));
        Assert.Equal(["b1", "a2"], ContentRenderer.BodyMediaIds("<p><img src=\"media:b1\"><script><img src=\"media:zz\"></script><img src=\"media:a2\"></p>"));
        Assert.Empty(ContentRenderer.BodyMediaIds("<p>无图</p>"));
        Assert.Equal("media:b1", ContentRenderer.MediaReference("b1"));
    }

    [Fact]
    public void EveryKeptImage_IsADoubleQuotedMediaReference_TheWorkerCanReplace()
    {
        var rendered = Article("<p><img src='media:0123456789abcdef01234567' alt='图'></p>");

        var replaced = rendered.Html.Replace($"\"{ContentRenderer.MediaReference(Image)}\"", "\"http://mmbiz.qpic.cn/x/0\"", StringComparison.Ordinal);

        Assert.Contains("src=\"http://mmbiz.qpic.cn/x/0\"", replaced, StringComparison.Ordinal);
        Assert.DoesNotContain("media:", replaced, StringComparison.Ordinal);
    }

    // ---- links -> footnotes -----------------------------------------------------------------------------------------

    [Fact]
    public void ExternalLinks_BecomeNumberedFootnotes_ListedAtTheEnd()
    {
        const string body = "见[通知](https://www.example.gov.cn/n/1)和[细则](https://other.example.com/r)，再看[通知](https://www.example.gov.cn/n/1)。"
                            + "\n\n邮件[联系我们](mailto:a@example.gov.cn)，<a href=\"/relative\">相对</a>，<https://www.example.gov.cn/n/2>";

        var rendered = Article(body);
        var html = rendered.Html;

        Assert.DoesNotContain("<a ", html, StringComparison.Ordinal);
        Assert.Equal(
            [new Footnote(1, "通知", "https://www.example.gov.cn/n/1"), new Footnote(2, "细则", "https://other.example.com/r"),
             new Footnote(3, "https://www.example.gov.cn/n/2", "https://www.example.gov.cn/n/2")],
            rendered.Footnotes);
        Assert.Contains("见通知<sup>[1]</sup>和细则<sup>[2]</sup>，再看通知<sup>[1]</sup>。", html, StringComparison.Ordinal);
        Assert.Contains("联系我们", html, StringComparison.Ordinal);
        Assert.Contains("相对", html, StringComparison.Ordinal);
        var notes = html.IndexOf("注释 / Notes", StringComparison.Ordinal);
        Assert.True(notes > html.IndexOf("再看通知", StringComparison.Ordinal));
        Assert.Contains("[1] 通知：https://www.example.gov.cn/n/1", html[notes..], StringComparison.Ordinal);
        Assert.Contains("[2] 细则：https://other.example.com/r", html[notes..], StringComparison.Ordinal);
        Assert.Equal("https://www.example.gov.cn/a", rendered.ContentSourceUrl);
    }

    [Fact]
    public void LinksToOtherWeChatArticles_StayLinks_AndABodyWithoutLinksHasNoNotes()
    {
        var rendered = Article("<p>往期：<a href=\"https://mp.weixin.qq.com/s/abc\" target=\"_blank\">上一篇</a></p>");
        Assert.Contains("<a href=\"https://mp.weixin.qq.com/s/abc\">上一篇</a>", rendered.Html, StringComparison.Ordinal);
        Assert.Empty(rendered.Footnotes);
        Assert.DoesNotContain("注释", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void FootnoteText_IsEscaped_InTheList()
    {
        var rendered = Article("<p><a href=\"https://e.example/?a=1&amp;b=2\">A &lt;b&gt; 与 C</a></p>");
        Assert.Equal("A <b> 与 C", Assert.Single(rendered.Footnotes).Text);
        Assert.Contains("A &lt;b&gt; 与 C", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", rendered.Html, StringComparison.Ordinal);
    }

    // ---- HTML bodies ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("<p>段落</p>", nameof(BodyFormat.Html))]
    [InlineData("  \n<section style=\"a\">x</section>", nameof(BodyFormat.Html))]
    [InlineData("<!-- 注释 --><p>x</p>", nameof(BodyFormat.Html))]
    [InlineData("# 标题\n\n<p>x</p>", nameof(BodyFormat.Markdown))]
    [InlineData("<https://www.example.gov.cn/> 自动链接", nameof(BodyFormat.Markdown))]
    [InlineData("正文 ![图](media:x)", nameof(BodyFormat.Markdown))]
    public void BodyFormat_IsDetected(string body, string expected) => Assert.Equal(Enum.Parse<BodyFormat>(expected), BodyFormats.Detect(body));

    [Fact]
    public void AnHtmlBody_KeepsItsStructure_AndIsNotReadAsMarkdown()
    {
        const string body = "<h2>一、背景</h2>\n<p>第一段 *不是强调*</p>\n\n    <p>缩进的段落</p>\n<table><tr><td colspan=\"2\">表</td></tr></table>";

        var rendered = Article(body);

        Assert.Equal(BodyFormat.Html, rendered.BodyFormat);
        Assert.Contains("<h2>一、背景</h2>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("*不是强调*", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<p>缩进的段落</p>", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<pre>", rendered.Html, StringComparison.Ordinal); // Markdown would make an indented code block
        Assert.Contains("colspan=\"2\"", rendered.Html, StringComparison.Ordinal);
        Assert.Equal(BodyFormat.Markdown, Article(body, BodyFormat.Markdown).BodyFormat);
    }

    [Fact]
    public void TemplateVariables_AreEscaped()
    {
        var rendered = Renderer.RenderWeChat(Item(), new Account("wx", MediaGateway.Platforms.Platform.WeChat, AccountKind.WeChatSubscription,
            "<b>示例</b>", AccountStatus.Active, new OwnershipRecord(), "wxid", null, null, [], "secret"));
        Assert.Contains("来源：&lt;b&gt;示例&lt;/b&gt;", rendered.Html, StringComparison.Ordinal);
    }

    // ---- WeChat limits ----------------------------------------------------------------------------------------------

    [Fact]
    public void Limits_AreReported_PerField()
    {
        var item = Item(title: new string('标', 33), summary: new string('摘', 129), author: new string('作', 17),
            link: "https://www.example.gov.cn/" + new string('a', 1000));

        var rendered = Renderer.RenderWeChat(item, WeChat());

        Assert.False(rendered.IsValid);
        Assert.Equal(["author", "link", "summary", "title"], rendered.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.All(rendered.Errors, e => Assert.Equal(RenderingIssueCodes.TooLong, e.Code));
        Assert.Contains("32", rendered.Errors.Single(e => e.Field == "title").Message, StringComparison.Ordinal);

        var atLimits = Renderer.RenderWeChat(Item(title: new string('标', 32), summary: new string('摘', 128), author: new string('作', 16)), WeChat());
        Assert.True(atLimits.IsValid);
    }

    [Fact]
    public void ContentLength_CountsTheUploadedImageUrls_NotTheShortReferences()
    {
        // 19,000 characters of text and 10 images: under 20,000 as written, over once each media:ID is an image URL.
        var body = string.Concat(Enumerable.Range(0, 10).Select(i => $"![图](media:img{i:00})\n\n")) + new string('字', 19_000);

        var rendered = Renderer.RenderWeChat(Item(body: body), WeChat());

        Assert.True(rendered.Html.Length < WeChatLimits.ContentMaxExclusive);
        Assert.True(rendered.EstimatedContentLength >= WeChatLimits.ContentMaxExclusive);
        var error = Assert.Single(rendered.Errors);
        Assert.Equal(("body", RenderingIssueCodes.TooLong), (error.Field, error.Code));

        Assert.True(Renderer.RenderWeChat(Item(body: new string('字', 18_500)), WeChat()).IsValid);
    }

    [Fact]
    public void ContentBytes_AreLimitedTo1MB()
    {
        // 270,000 emoji: 4 bytes each in UTF-8, 1,080,000 bytes in all.
        var issues = WeChatLimits.Check("标题", null, null, string.Concat(Enumerable.Repeat("😀", 270_000)), null);
        Assert.Contains(issues, i => i.Field == "body" && i.Message.Contains("1 MB", StringComparison.Ordinal));
    }

    // ---- Weibo ------------------------------------------------------------------------------------------------------

    [Fact]
    public void WeiboPost_CarriesTitleSummaryAndLink_CountedInCharacters()
    {
        var rendered = Renderer.RenderWeibo(Item(), Weibo());
        Assert.Equal("【标题】摘要 https://www.example.gov.cn/a", rendered.Status);
        Assert.Equal(rendered.Status.Length, rendered.Length);
        Assert.Empty(rendered.Issues);
        Assert.Equal("cover", rendered.PictureMediaId);
        // One user-perceived character each: an emoji with a skin-tone modifier counts like one Chinese character.
        Assert.Equal(Renderer.RenderWeibo(Item(summary: "好"), Weibo()).Length, Renderer.RenderWeibo(Item(summary: "👍🏽"), Weibo()).Length);
        Assert.Equal(1, WeiboText.Length("👨‍👩‍👧"));
        Assert.Equal(3, WeiboText.Length("abc"));
    }

    [Fact]
    public void ATooLongSummary_IsShortenedWithAnEllipsis_ToExactly140()
    {
        var rendered = Renderer.RenderWeibo(Item(summary: new string('长', 200)), Weibo());

        Assert.Equal(WeiboText.MaxLength, rendered.Length);
        Assert.True(rendered.SummaryShortened);
        Assert.StartsWith("【标题】长长", rendered.Status, StringComparison.Ordinal);
        Assert.EndsWith("长… https://www.example.gov.cn/a", rendered.Status, StringComparison.Ordinal);
        var notice = Assert.Single(rendered.Issues);
        Assert.Equal(("summary", RenderingIssueCodes.Shortened, false), (notice.Field, notice.Code, notice.Blocking));
        Assert.True(rendered.IsValid);
    }

    [Fact]
    public void Shortening_NeverSplitsACharacter_AndTrimsTrailingSpace()
    {
        var rendered = Renderer.RenderWeibo(Item(summary: string.Concat(Enumerable.Repeat("👍🏽 ", 100))), Weibo());

        Assert.True(rendered.Length <= WeiboText.MaxLength);
        Assert.Contains("👍🏽… https://", rendered.Status, StringComparison.Ordinal);
        Assert.DoesNotContain("\uD83C…", rendered.Status, StringComparison.Ordinal);
    }

    [Fact]
    public void ASummaryThatFits_IsLeftWhole()
    {
        var exact = Item(summary: new string('好', 140 - "【标题】 https://www.example.gov.cn/a".Length));
        var rendered = Renderer.RenderWeibo(exact, Weibo());
        Assert.Equal(140, rendered.Length);
        Assert.False(rendered.SummaryShortened);
        Assert.DoesNotContain("…", rendered.Status, StringComparison.Ordinal);
    }

    [Fact]
    public void TitleAndLinkAloneTooLong_IsABlockingTitleError()
    {
        var rendered = Renderer.RenderWeibo(Item(title: new string('题', 120), summary: "摘要"), Weibo());

        var error = Assert.Single(rendered.Errors);
        Assert.Equal(("title", RenderingIssueCodes.TooLong), (error.Field, error.Code));
        Assert.DoesNotContain("摘要", rendered.Status, StringComparison.Ordinal);
        Assert.False(rendered.IsValid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://elsewhere.example.com/a")]
    [InlineData("https://evilwww.example.gov.cn/a")]
    [InlineData("ftp://www.example.gov.cn/a")]
    public void APostWithoutASafeDomainLink_IsABlockingLinkError(string? link)
    {
        var rendered = Renderer.RenderWeibo(Item(link: link), Weibo());
        var error = Assert.Single(rendered.Errors);
        Assert.Equal(("link", RenderingIssueCodes.SafeDomainLinkMissing), (error.Field, error.Code));
        Assert.Contains("www.example.gov.cn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASubdomainOfTheSafeDomain_IsEnough()
    {
        Assert.True(Renderer.RenderWeibo(Item(link: "https://news.www.example.gov.cn/a"), Weibo()).IsValid);
    }

    [Fact]
    public void Topics_AreRefused_NamingTheField()
    {
        Assert.Equal("title", Assert.Single(Renderer.RenderWeibo(Item(title: "#防汛#通知"), Weibo()).Errors).Field);
        Assert.Equal("summary", Assert.Single(Renderer.RenderWeibo(Item(summary: "关注 #防汛# 信息"), Weibo()).Errors).Field);
        Assert.True(Renderer.RenderWeibo(Item(title: "C# 入门"), Weibo()).IsValid); // a single # is no topic
    }
}
