using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Tests.Infrastructure;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace MediaGateway.Tests.Unit;

public sealed class LinkAllowListTests
{
    [Theory]
    [InlineData("https://www.example.gov.cn/a", true)]
    [InlineData("https://news.www.example.gov.cn/a", true)]
    [InlineData("https://WWW.EXAMPLE.GOV.CN/a", true)]
    [InlineData("https://evilwww.example.gov.cn/a", false)]
    [InlineData("https://www.example.gov.cn.evil.test/a", false)]
    [InlineData("https://example.gov.cn/a", false)]
    public void SuffixMatch_OnALabelBoundary(string url, bool allowed) =>
        Assert.Equal(allowed, ContentSubmission.LinkAllowed(new Uri(url), ["www.example.gov.cn"]));
}

public sealed class OwnershipRecordTests
{
    [Fact]
    public void ACompleteRecord_MissesNothing()
    {
        var record = new OwnershipRecord
        {
            OpeningUnit = "a", SupervisingDepartment = "b", OperatingTeam = "c",
            ResponsiblePerson = new ResponsiblePerson { Name = "王敏", Contact = "1" }, FilingNumber = "f",
        };
        Assert.Empty(record.MissingFields());
    }

    [Fact]
    public void EachMissingField_IsNamed_P1()
    {
        var record = new OwnershipRecord { OpeningUnit = "a", OperatingTeam = " ", ResponsiblePerson = new ResponsiblePerson { Name = "王敏" } };
        Assert.Equal(["supervisingDepartment", "operatingTeam", "responsiblePerson.contact", "filingNumber"], record.MissingFields());
    }
}

public sealed class WebhookSignerTests
{
    [Fact]
    public void OurSignature_VerifiesWithTheStandardWebhooksLibrary()
    {
        var secret = WebhookSigner.NewSecret();
        var key = WebhookSigner.DecodeSecret(secret, "test");
        const string body = "{\"type\":\"publication.succeeded\",\"data\":{\"title\":\"中文\"}}";
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = "evt_1", ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = WebhookSigner.Sign(key, "evt_1", timestamp, body),
        };
        new StandardWebhook(secret).Verify(body, headers);

        headers["webhook-signature"] = WebhookSigner.Sign(key, "evt_1", timestamp, body + " ");
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(secret).Verify(body, headers));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("whsec_not-base64!")]
    [InlineData("whsec_c2hvcnQ=")]
    public void BadSecrets_AreRefused_NamingTheKey(string secret)
    {
        var error = Assert.Throws<ConfigurationException>(() => WebhookSigner.DecodeSecret(secret, "Webhooks:Subscriptions:x:SecretRef"));
        Assert.Equal("Webhooks:Subscriptions:x:SecretRef", error.Key);
    }
}

public sealed class ContentRendererTests
{
    private static readonly ContentRenderer Renderer = new(Path.Combine(RepoPaths.Root, "templates"));

    private static ContentItem Item(string body = "正文 ![图](media:0123456789abcdef01234567)", string? summary = "摘要") => new()
    {
        Id = "c1", Revision = 1, Title = "标题", Summary = summary, Body = body, Link = "https://www.example.gov.cn/a",
        CoverMediaId = "cover", Targets = ["x"], Category = ContentCategory.News, CreatedBy = "u", Department = "d",
        CreatedAt = DateTimeOffset.UnixEpoch, Status = ContentStatus.InReview, Fingerprints = new Dictionary<string, string>(),
        Findings = [], RulesVersion = "v",
    };

    private static Account WeChat() => new("wx", MediaGateway.Platforms.Platform.WeChat, AccountKind.WeChatSubscription, "示例市发布",
        AccountStatus.Active, new OwnershipRecord(), "wxid", null, null, [], "secret");

    private static Account Weibo() => new("wb", MediaGateway.Platforms.Platform.Weibo, AccountKind.Weibo, "示例市发布",
        AccountStatus.Active, new OwnershipRecord(), null, "1", "www.example.gov.cn", ["www.example.gov.cn"], "token");

    [Fact]
    public void TheSameItem_HasTheSameFingerprint_AndAnyChangeChangesIt()
    {
        var a = Renderer.RenderWeChat(Item(), WeChat());
        Assert.Equal(a.Fingerprint, Renderer.RenderWeChat(Item(), WeChat()).Fingerprint);
        Assert.NotEqual(a.Fingerprint, Renderer.RenderWeChat(Item(body: "正文。"), WeChat()).Fingerprint);
        Assert.NotEqual(a.Fingerprint, Renderer.RenderWeibo(Item(), Weibo()).Fingerprint);
        Assert.StartsWith("sha256:", a.Fingerprint, StringComparison.Ordinal);
    }

    [Fact]
    public void WeChatArticle_KeepsImageReferences_ForUploadLater_AndDropsRawHtml()
    {
        var rendered = Renderer.RenderWeChat(Item(body: "<script>alert(1)</script>\n\n![图](media:0123456789abcdef01234567)"), WeChat());
        Assert.Equal(["0123456789abcdef01234567"], rendered.BodyMediaIds);
        Assert.Contains("src=\"media:0123456789abcdef01234567\"", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("来源：示例市发布", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void WeiboPost_CarriesTitleSummaryAndLink_CountedInCharacters()
    {
        var rendered = Renderer.RenderWeibo(Item(), Weibo());
        Assert.Equal("【标题】摘要 https://www.example.gov.cn/a", rendered.Status);
        Assert.Equal(rendered.Status.Length, rendered.Length);
        // One user-perceived character each: an emoji with a skin-tone modifier counts like one Chinese character.
        Assert.Equal(Renderer.RenderWeibo(Item(summary: "好"), Weibo()).Length, Renderer.RenderWeibo(Item(summary: "👍🏽"), Weibo()).Length);
    }
}

public sealed class WebhookScopeTests
{
    private static Account Account(string id, string team) => new(id, MediaGateway.Platforms.Platform.WeChat, AccountKind.WeChatSubscription, id,
        AccountStatus.Active, new OwnershipRecord { OpeningUnit = team, SupervisingDepartment = team, OperatingTeam = team }, "app", null, null, [], "s");

    private static GatewayEvent Event(params string[] accounts) => new("evt", EventTypes.ContentSubmitted, DateTimeOffset.UnixEpoch, accounts, new JsonObject());

    [Fact]
    public void ADepartment_GetsOnlyEventsWhoseAccountsItMaySeeAll()
    {
        var registry = new AccountRegistry([Account("ours", "info"), Account("theirs", "health")]);
        var subscription = new WebhookSubscription("s", "info", new Uri("http://127.0.0.1/"), new HashSet<string>(), new HashSet<string>(), new byte[32]);
        Assert.True(subscription.Wants(Event("ours"), registry));
        Assert.False(subscription.Wants(Event("theirs"), registry));
        Assert.False(subscription.Wants(Event("ours", "theirs"), registry)); // would reveal the other department's account
        Assert.False(subscription.Wants(Event(), registry));
    }

    [Fact]
    public void EventTypeAndAccountFilters_Apply()
    {
        var registry = new AccountRegistry([Account("a", "info"), Account("b", "info")]);
        var subscription = new WebhookSubscription("s", "info", new Uri("http://127.0.0.1/"),
            new HashSet<string> { EventTypes.PublicationFailed }, new HashSet<string> { "a" }, new byte[32]);
        Assert.False(subscription.Wants(Event("a"), registry)); // content.submitted not subscribed
        Assert.True(subscription.Wants(Event("a") with { Type = EventTypes.PublicationFailed }, registry));
        Assert.False(subscription.Wants(Event("b") with { Type = EventTypes.PublicationFailed }, registry));
    }
}
