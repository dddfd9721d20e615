namespace MediaGateway.Rules.Tests;

/// <summary>Links against an account's allow-list, and the usual tricks.</summary>
public sealed class LinkTests
{
    private static readonly RuleContext Gov = new() { AllowedLinkDomains = ["gov.cn", "example-city.cn"] };

    private static List<Finding> Run(string text, RuleContext? context = null)
    {
        var findings = new List<Finding>();
        new LinkRule().Check(new RuleInput("body", text) { Context = context ?? Gov }, findings);
        Assert.All(findings, f => Assert.Equal(text.Substring(f.Start, f.Length), f.Matched));
        return findings;
    }

    [Theory]
    [InlineData("详见 https://www.gov.cn/zhengce/ 。")]
    [InlineData("详见https://www.gov.cn获取")]
    [InlineData("详见 www.example-city.cn/notice?id=1")]
    [InlineData("详见 gov.cn")]
    [InlineData("HTTPS://WWW.GOV.CN/")]
    [InlineData("邮件 zhangsan@qq.com 联系")] // an e-mail address is not a link
    [InlineData("第3.5条、v1.2版")]
    public void AllowedLinksAndNonLinks_GiveNoFinding(string text) => Assert.Empty(Run(text));

    [Fact]
    public void SuffixMatch_IsOnALabelBoundary()
    {
        Assert.True(LinkRule.HostMatches("www.gov.cn", "gov.cn"));
        Assert.True(LinkRule.HostMatches("gov.cn.", "gov.cn"));
        Assert.False(LinkRule.HostMatches("evilgov.cn", "gov.cn"));
        var f = Assert.Single(Run("详见 https://evilgov.cn/a"));
        Assert.Equal(("link-not-allowed", Severity.Block, "https://evilgov.cn/a"), (f.RuleId, f.Severity, f.Matched));
    }

    [Fact]
    public void SchemeLessLinks_AreChecked()
    {
        var f = Assert.Single(Run("扫码访问 www.evil.com/x 领取"));
        Assert.Equal(("link-not-allowed", "www.evil.com/x"), (f.RuleId, f.Matched));
    }

    [Fact]
    public void FullWidthDots_AndLetters_AreNormalised()
    {
        var f = Assert.Single(Run("访问ｗｗｗ．ｅｖｉｌ。ｃｏｍ即可"));
        Assert.Equal(("link-not-allowed", "ｗｗｗ．ｅｖｉｌ。ｃｏｍ"), (f.RuleId, f.Matched));
        Assert.Empty(Run("访问ｗｗｗ．ｇｏｖ．ｃｎ即可"));
    }

    [Fact]
    public void UserAtHost_IsJudgedByTheRealHost()
    {
        var findings = Run("http://www.gov.cn@evil.com/login");
        Assert.Equal(["link-userinfo", "link-not-allowed"], findings.Select(f => f.RuleId));
        Assert.Contains("evil.com", findings[1].Message, StringComparison.Ordinal);
        Assert.Equal(["link-userinfo", "link-not-allowed"], Run("www.gov.cn@evil.com/login").Select(f => f.RuleId));
        Assert.Equal(["link-userinfo"], Run("https://evil.com@www.gov.cn/").Select(f => f.RuleId));
    }

    [Fact]
    public void ShortLinks_AreFlagged()
    {
        Assert.Equal(["link-short", "link-not-allowed"], Run("戳 t.cn/A6abcd 看").Select(f => f.RuleId));
        var onlyShort = Run("戳 http://url.cn/xyz", RuleContext.None);
        var f = Assert.Single(onlyShort);
        Assert.Equal(("link-short", Severity.Flag), (f.RuleId, f.Severity));
    }

    [Fact]
    public void Punycode_AndNonAsciiHosts_AreFlagged()
    {
        Assert.Equal(["link-idn", "link-not-allowed"], Run("见 http://xn--fiqs8s.xn--fiqz9s/").Select(f => f.RuleId));
        Assert.Equal("link-idn", Run("见 https://gоv.cn/", RuleContext.None).Single().RuleId); // Cyrillic о
    }

    [Fact]
    public void WithoutAnAllowList_OnlyTricksAreReported()
    {
        Assert.Empty(Run("详见 https://www.example.com/", RuleContext.None));
        Assert.Single(Run("详见 https://www.example.com/", new RuleContext { AllowedLinkDomains = [] }));
    }

    [Fact]
    public void RuleSetEvaluate_PassesTheContext_AndAnInputsOwnContextWins()
    {
        var rules = RuleSet.Create(WordList.Parse("m", "", Severity.Block), WordList.Parse("s", "", Severity.Flag));
        var inputs = new[]
        {
            new RuleInput("body", "见 https://a.example.org/"),
            new RuleInput("weibo:acc", "见 https://a.example.org/") { Context = new RuleContext { AllowedLinkDomains = ["example.org"] } },
        };
        var findings = rules.Evaluate(inputs, Gov);
        var f = Assert.Single(findings);
        Assert.Equal(("body", "link-not-allowed"), (f.Field, f.RuleId));
        Assert.Empty(rules.Evaluate(inputs)); // no context: no allow-list check
    }
}
