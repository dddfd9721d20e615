namespace MediaGateway.Rules.Tests;

/// <summary>The platforms' image limits (wechat-mp.md "Images", weibo.md "Posting") as findings, at their exact edges.</summary>
public sealed class MediaLimitsRuleTests
{
    private const long MB = 1024 * 1024;
    private const string Body = "正文 ![图](media:abc123) 结束";

    private static List<Finding> Check(ImageUse use, string type, long bytes, string name = "图片.jpg")
    {
        var findings = new List<Finding>();
        var start = Body.IndexOf("media:", StringComparison.Ordinal);
        new MediaLimitsRule().Check(new RuleInput("body", Body)
        {
            Context = new RuleContext { AccountName = "示例市发布" },
            Image = new ImageFacts(use, name, type, bytes, start, "media:abc123".Length),
        }, findings);
        Assert.All(findings, f => Assert.Equal(Body.Substring(f.Start, f.Length), f.Matched));
        return findings;
    }

    [Theory]
    [InlineData(ImageUse.WeChatBodyImage, "image/jpeg", 1 * MB - 1)]
    [InlineData(ImageUse.WeChatBodyImage, "image/png", 1)]
    [InlineData(ImageUse.WeChatCover, "image/gif", 10 * MB)]
    [InlineData(ImageUse.WeChatCover, "image/bmp", 1)]
    [InlineData(ImageUse.WeChatThumb, "image/jpeg", 64 * 1024)]
    [InlineData(ImageUse.WeiboPicture, "image/gif", 5 * MB - 1)]
    public void WithinTheLimit_IsFine(ImageUse use, string type, long bytes) => Assert.Empty(Check(use, type, bytes));

    [Theory]
    [InlineData(ImageUse.WeChatBodyImage, "image/jpeg", 1 * MB, "size")]
    [InlineData(ImageUse.WeChatBodyImage, "image/gif", 100, "type")]
    [InlineData(ImageUse.WeChatBodyImage, "image/bmp", 100, "type")]
    [InlineData(ImageUse.WeChatCover, "image/png", 10 * MB + 1, "size")]
    [InlineData(ImageUse.WeChatThumb, "image/png", 100, "type")]
    [InlineData(ImageUse.WeChatThumb, "image/jpeg", 64 * 1024 + 1, "size")]
    [InlineData(ImageUse.WeiboPicture, "image/jpeg", 5 * MB, "size")]
    [InlineData(ImageUse.WeiboPicture, "image/bmp", 100, "type")]
    public void OverTheLimit_IsABlockingFinding_NamingTheImageTheAccountAndTheLimit(ImageUse use, string type, long bytes, string what)
    {
        var finding = Assert.Single(Check(use, type, bytes, "现场照片.jpg"));

        Assert.Equal(("media-limit", Severity.Block, "body", "media:abc123"), (finding.RuleId, finding.Severity, finding.Field, finding.Matched));
        Assert.Contains($":{what}@", finding.Source, StringComparison.Ordinal);
        var (zh, en) = (finding.Message.Split(" / ")[0], finding.Message.Split(" / ")[^1]);
        Assert.Contains("现场照片.jpg", zh, StringComparison.Ordinal);
        Assert.Contains("示例市发布", zh, StringComparison.Ordinal);
        Assert.Contains("现场照片.jpg", en, StringComparison.Ordinal);
        Assert.DoesNotContain(use.ToString(), finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGifBodyImage_SaysWhichTypesWeChatTakes()
    {
        var finding = Assert.Single(Check(ImageUse.WeChatBodyImage, "image/gif", 100, "动图.gif"));

        Assert.Equal("公众号正文图片“动图.gif”是 GIF 格式，账号“示例市发布”只接受 JPG、PNG / "
            + "The WeChat article image \"动图.gif\" is a GIF (account \"示例市发布\"); only JPG or PNG is accepted", finding.Message);
    }

    [Fact]
    public void InTheRuleSet_ImageInputsMeetOnlyImageRules_AndTextInputsNone()
    {
        var rules = RuleSet.Create(WordList.Parse("markers", "内部资料", Severity.Block), WordList.Parse("sensitive", "网传", Severity.Flag));
        // The image input's text holds a marker; the text input has no image: neither may be reported by the other kind of rule.
        var findings = rules.Evaluate(
        [
            new RuleInput("body", "内部资料 media:abc") { Image = new ImageFacts(ImageUse.WeChatBodyImage, "a.gif", "image/gif", 10, 5, 9) },
            new RuleInput("title", "网传消息"),
        ]);

        Assert.Equal(["media-limit", "sensitive-expression"], findings.Select(f => f.RuleId).Order().ToArray());
    }
}
