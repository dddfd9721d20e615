namespace MediaGateway.Rules.Tests;

/// <summary>错敏 checks and platform limits.</summary>
public sealed class ChecksTests
{
    private const string Leaders = """
        titles: 市长, 副市长, 常务副市长, 市委书记, 市委副书记, 书记, 局长
        张明华 = 市长, 市委副书记
        李晓东 = 常务副市长 | flag
        """;

    private static List<Finding> Run(IRule rule, string text, string field = "body")
    {
        var findings = new List<Finding>();
        rule.Check(new RuleInput(field, text), findings);
        Assert.All(findings, f => Assert.Equal(text.Substring(f.Start, f.Length), f.Matched));
        return findings;
    }

    [Theory]
    [InlineData("市长张明华出席会议")]
    [InlineData("市委副书记、市长张明华")]
    [InlineData("张明华市长指出")]
    [InlineData("常务副市长李晓东")]
    [InlineData("副市长王五和市长张明华")]
    [InlineData("书记张明华")]              // short form of 市委副书记? contains no 副: a wrong short form is reported below
    public void RightTitles_OrNoTitle_AreFine(string text)
    {
        var rule = new LeaderTitleRule(LeaderList.Parse("leaders", Leaders));
        if (text == "书记张明华")
        {
            Assert.Single(Run(rule, text)); // 书记 drops the 副 of 市委副书记: reported
            return;
        }

        Assert.Empty(Run(rule, text));
    }

    [Theory]
    [InlineData("副市长张明华出席", "副市长张明华", Severity.Block)]
    [InlineData("市委书记张明华", "市委书记张明华", Severity.Block)]
    [InlineData("市长李晓东", "市长李晓东", Severity.Flag)]
    [InlineData("李晓东 局长", "李晓东 局长", Severity.Flag)]
    public void WrongTitleNextToAName_IsReported(string text, string matched, Severity severity)
    {
        var f = Assert.Single(Run(new LeaderTitleRule(LeaderList.Parse("leaders", Leaders)), text));
        Assert.Equal(("leader-title", matched, severity), (f.RuleId, f.Matched, f.Severity));
        Assert.StartsWith("leaders@", f.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void LeaderList_RejectsALineWithoutTitle()
    {
        var e = Assert.Throws<FormatException>(() => LeaderList.Parse("leaders", "titles: 市长\n张三\n"));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrections_ReportWrongExpressionsAndTypos_WithTheRightForm()
    {
        var list = WordList.Parse("corrections", "中共中央国务院 => 中共中央、国务院 | flag | expression\n再接再励 => 再接再厉 | flag | typo\n十九大 => 党的十九大 | info | expression", Severity.Flag);
        var rule = new CorrectionRule(list);
        var findings = Run(rule, "中共中央国务院印发通知，要求再接再励。");
        Assert.Equal(["wrong-expression", "typo"], findings.Select(f => f.RuleId));
        Assert.Contains("中共中央、国务院", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("再接再厉", findings[1].Message, StringComparison.Ordinal);
        Assert.Empty(Run(rule, "中共中央、国务院印发通知"));
        Assert.Empty(Run(rule, "党的十九大报告")); // the right form already surrounds the wrong one
        Assert.Single(Run(rule, "十九大报告"));
    }

    [Fact]
    public void WordList_ParsesCorrections_AndRejectsAOneSidedArrow()
    {
        var entry = WordList.Parse("c", "按装 => 安装 | flag | typo", Severity.Flag).Entries.Single();
        Assert.Equal(("按装", "安装", "typo"), (entry.Text, entry.Replacement, entry.Tag));
        Assert.Throws<FormatException>(() => WordList.Parse("c", "按装 =>", Severity.Flag));
    }

    [Fact]
    public void PlatformLimits_ReportThePartBeyondTheLimit()
    {
        var rule = new PlatformLimitsRule();
        var title = new string('标', 35);
        var f = Assert.Single(Run(rule, title, "title"));
        Assert.Equal(("platform-limit", Severity.Flag, 32, 3), (f.RuleId, f.Severity, f.Start, f.Length));
        Assert.Empty(Run(rule, new string('标', 32), "title"));

        var weibo = Assert.Single(Run(rule, new string('微', 141), "weibo:acc"));
        Assert.Equal((Severity.Block, 140), (weibo.Severity, weibo.Start));
        var topic = Assert.Single(Run(rule, "今天 #话题# 内容", "weibo:acc"));
        Assert.Equal("#话题#", topic.Matched);
        Assert.Empty(Run(rule, new string('微', 140), "weibo:acc"));
    }

    [Fact]
    public void AWeiboTopic_IsNoFinding_ForAnAccountAllowedTopics()
    {
        // Decision 45: Accounts:{id}:AllowTopics (the platform granted the app #话题# through share).
        var findings = new List<Finding>();
        new PlatformLimitsRule().Check(new RuleInput("weibo:acc", "今天 #话题# 内容") { Context = new RuleContext { WeiboTopicsAllowed = true } }, findings);
        Assert.Empty(findings);
    }

    [Fact]
    public void Limits_CountCharacters_NotUtf16Units()
    {
        Assert.Empty(Run(new PlatformLimitsRule(), string.Concat(Enumerable.Repeat("𠀀", 32)), "title"));
    }

    [Fact]
    public void RuleSet_Version_NamesEveryList_AndChangesWithAnyOfThem()
    {
        var m = WordList.Parse("markers", "内部资料", Severity.Block);
        var s = WordList.Parse("sensitive", "网传", Severity.Flag);
        var a = RuleSet.Create(new RuleLists(m, s) { Corrections = WordList.Parse("corrections", "按装 => 安装", Severity.Flag) });
        var b = RuleSet.Create(new RuleLists(m, s) { Corrections = WordList.Parse("corrections", "既使 => 即使", Severity.Flag) });
        Assert.Contains("corrections@", a.Version, StringComparison.Ordinal);
        Assert.NotEqual(a.Version, b.Version);
    }

    [Fact]
    public void EveryFinding_IsReported_NoShortCircuit_AcrossRules()
    {
        var rules = RuleSet.Create(new RuleLists(WordList.Parse("markers", "内部资料", Severity.Block), WordList.Parse("sensitive", "网传", Severity.Flag))
        {
            Corrections = WordList.Parse("corrections", "按装 => 安装 | flag | typo", Severity.Flag),
        });
        var findings = rules.Evaluate([new RuleInput("body", "内部资料：网传按装费，联系13800138000")]);
        Assert.Equal(["confidentiality-marker", "sensitive-expression", "mobile-number", "typo"], findings.Select(f => f.RuleId));
        Assert.All(findings, f => Assert.Matches("^[^A-Za-z]+ / ", f.Message)); // Chinese first, then English
    }
}
