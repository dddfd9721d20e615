using MediaGateway.Accounts;
using MediaGateway.Content;
using MediaGateway.Content.Rendering;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Unit;

/// <summary>
/// Decision 45, pure: each variant field is part of what is rendered for its platform, so of the fingerprint reviewers
/// approve (decision 3); an item without variants renders and fingerprints exactly as before.
/// </summary>
public sealed class VariantRenderingTests
{
    private const string Link = "https://www.example.gov.cn/a";
    private static readonly ContentRenderer Renderer = new(Path.Combine(RepoPaths.Root, "templates"));

    private static ContentItem Item(WeiboVariant? weibo = null, WeChatOptions? weChat = null, string? author = null) => new()
    {
        Id = "c1", Revision = 1, Title = "标题", Summary = "摘要", Author = author, Body = "正文", Link = Link,
        CoverMediaId = "cover", Weibo = weibo, WeChat = weChat, Targets = ["x"], Category = ContentCategory.News, CreatedBy = "u",
        Department = "d", CreatedAt = DateTimeOffset.UnixEpoch, Status = ContentStatus.InReview,
        Fingerprints = new Dictionary<string, string>(), Findings = [], RulesVersion = "v",
    };

    private static Account WeChat() => new("wx", MediaGateway.Platforms.Platform.WeChat, AccountKind.WeChatSubscription, "示例市发布",
        AccountStatus.Active, new OwnershipRecord(), "wxid", null, null, [], "secret");

    private static Account Weibo(bool topics = false) => new("wb", MediaGateway.Platforms.Platform.Weibo, AccountKind.Weibo, "示例市发布",
        AccountStatus.Active, new OwnershipRecord(), null, "1", "www.example.gov.cn", ["www.example.gov.cn"], "token") { AllowsTopics = topics };

    [Fact]
    public void EveryWeChatOption_ChangesTheArticlesFingerprint()
    {
        var plain = Renderer.RenderWeChat(Item(), WeChat()).Fingerprint;
        string[] changed =
        [
            Renderer.RenderWeChat(Item(author: "王敏"), WeChat()).Fingerprint,
            Renderer.RenderWeChat(Item(weChat: new WeChatOptions { OriginalLink = "https://www.example.gov.cn/original" }), WeChat()).Fingerprint,
            Renderer.RenderWeChat(Item(weChat: new WeChatOptions { Comments = WeChatComments.Open }), WeChat()).Fingerprint,
            Renderer.RenderWeChat(Item(weChat: new WeChatOptions { Comments = WeChatComments.FansOnly }), WeChat()).Fingerprint,
        ];
        Assert.DoesNotContain(plain, changed);
        Assert.Equal(changed.Length, changed.Distinct().Count());

        // Closed comments send what was always sent: the same payload, the same fingerprint.
        Assert.Equal(plain, Renderer.RenderWeChat(Item(weChat: new WeChatOptions { Comments = WeChatComments.Closed }), WeChat()).Fingerprint);
        // The Weibo variant is not part of the article.
        Assert.Equal(plain, Renderer.RenderWeChat(Item(weibo: new WeiboVariant { Text = "微博专用" }), WeChat()).Fingerprint);
    }

    [Fact]
    public void EveryWeiboVariantField_ChangesThePostsFingerprint()
    {
        var plain = Renderer.RenderWeibo(Item(), Weibo());
        Assert.Equal($"【标题】摘要 {Link}", plain.Status); // as before decision 45
        Assert.Equal("cover", plain.PictureMediaId);
        string[] changed =
        [
            Renderer.RenderWeibo(Item(weibo: new WeiboVariant { Text = "微博专用文字" }), Weibo()).Fingerprint,
            Renderer.RenderWeibo(Item(weibo: new WeiboVariant { Text = "微博专用文字。" }), Weibo()).Fingerprint,
            Renderer.RenderWeibo(Item(weibo: new WeiboVariant { Pictures = [] }), Weibo()).Fingerprint,
            Renderer.RenderWeibo(Item(weibo: new WeiboVariant { Pictures = ["other"] }), Weibo()).Fingerprint,
        ];
        Assert.DoesNotContain(plain.Fingerprint, changed);
        Assert.Equal(changed.Length, changed.Distinct().Count());
        // WeChat options are not part of the post.
        Assert.Equal(plain.Fingerprint, Renderer.RenderWeibo(Item(weChat: new WeChatOptions { Comments = WeChatComments.Open }), Weibo()).Fingerprint);
    }

    [Fact]
    public void TheWeiboText_IsSentAsWritten_WithTheLinkOnce()
    {
        var post = Renderer.RenderWeibo(Item(weibo: new WeiboVariant { Text = "第一行\n第二行" }), Weibo());
        Assert.Equal($"第一行\n第二行 {Link}", post.Status);
        Assert.True(post.FromVariant);
        Assert.Empty(post.Issues);

        var withLink = Renderer.RenderWeibo(Item(weibo: new WeiboVariant { Text = $"详见 {Link} 。" }), Weibo());
        Assert.Equal($"详见 {Link} 。", withLink.Status);
    }

    [Fact]
    public void AWeiboTextOverTheLimit_IsABlockingIssueOnWeiboText_NeverShortened()
    {
        var atLimit = new string('微', WeiboText.MaxLength - 1 - Link.Length);
        Assert.Empty(Renderer.RenderWeibo(Item(weibo: new WeiboVariant { Text = atLimit }), Weibo()).Issues);

        var over = Renderer.RenderWeibo(Item(weibo: new WeiboVariant { Text = atLimit + "字" }), Weibo());
        var issue = Assert.Single(over.Issues);
        Assert.Equal("weibo.text", issue.Field);
        Assert.True(issue.Blocking);
        Assert.Equal(WeiboText.MaxLength + 1, over.Length);
        Assert.Contains(atLimit + "字", over.Status, StringComparison.Ordinal);
    }

    [Fact]
    public void Topics_AreRefusedWhereTheAccountDisallowsThem_AndSentWhereItAllowsThem()
    {
        var item = Item(weibo: new WeiboVariant { Text = "#优化营商环境# 十条新举措" });
        var refused = Assert.Single(Renderer.RenderWeibo(item, Weibo(topics: false)).Issues);
        Assert.Equal(("weibo.text", RenderingIssueCodes.TopicNotAllowed, true), (refused.Field, refused.Code, refused.Blocking));

        var allowed = Renderer.RenderWeibo(item, Weibo(topics: true));
        Assert.Empty(allowed.Issues);
        Assert.StartsWith("#优化营商环境#", allowed.Status, StringComparison.Ordinal);
        // Whether topics are allowed is the account's, not the payload's: the same text, the same fingerprint.
        Assert.Equal(Renderer.RenderWeibo(item, Weibo(topics: false)).Fingerprint, allowed.Fingerprint);
    }

    [Fact]
    public void TheWeChatOptions_ReachTheRendering()
    {
        var article = Renderer.RenderWeChat(Item(author: "王敏",
            weChat: new WeChatOptions { OriginalLink = "https://www.example.gov.cn/original", Comments = WeChatComments.FansOnly }), WeChat());
        Assert.Equal("王敏", article.Author);
        Assert.Equal("https://www.example.gov.cn/original", article.ContentSourceUrl);
        Assert.Contains("https://www.example.gov.cn/original", article.Html, StringComparison.Ordinal); // the "原文链接" line too
        Assert.Equal((1, 1), (article.NeedOpenComment, article.OnlyFansCanComment));

        var open = Renderer.RenderWeChat(Item(weChat: new WeChatOptions { Comments = WeChatComments.Open }), WeChat());
        Assert.Equal((1, 0), (open.NeedOpenComment, open.OnlyFansCanComment));
        Assert.Equal(Link, open.ContentSourceUrl);
        var closed = Renderer.RenderWeChat(Item(), WeChat());
        Assert.Equal((0, 0), (closed.NeedOpenComment, closed.OnlyFansCanComment));
    }
}
