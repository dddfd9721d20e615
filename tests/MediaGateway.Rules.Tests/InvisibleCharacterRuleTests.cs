namespace MediaGateway.Rules.Tests;

/// <summary>Invisible characters inside a text are a finding (decision 25); a sensitive word split by them is still found.</summary>
public sealed class InvisibleCharacterRuleTests
{
    private static List<Finding> Run(string text, string field = "body")
    {
        var findings = new List<Finding>();
        new InvisibleCharacterRule().Check(new RuleInput(field, text), findings);
        Assert.All(findings, f => Assert.Equal(text.Substring(f.Start, f.Length), f.Matched));
        return findings;
    }

    [Theory]
    [InlineData("营商\u200B环境", 2, 3, "U+200B")]
    [InlineData("营商\u200C环境", 2, 3, "U+200C")]
    [InlineData("营商\u200D环境", 2, 3, "U+200D")]
    [InlineData("营商\u2060环境", 2, 3, "U+2060")]
    [InlineData("营商\u00AD环境", 2, 3, "U+00AD")]
    [InlineData("营商\u200E环境", 2, 3, "U+200E")]
    [InlineData("营商\u2062环境", 2, 3, "U+2062")]
    [InlineData("😀\u200B环境", 2, 2, "U+200B")] // the UTF-16 offset counts the pair as two, the position as one
    public void AnInvisibleCharacter_IsOneFlag_AtItsPosition_ChineseFirst(string text, int start, int position, string codePoint)
    {
        var finding = Assert.Single(Run(text));
        Assert.Equal("invisible-character", finding.RuleId);
        Assert.Equal(Severity.Flag, finding.Severity);
        Assert.Equal(start, finding.Start);
        Assert.StartsWith($"第 {position} 个字符是不可见的", finding.Message, StringComparison.Ordinal);
        Assert.Contains($"character {position} is {codePoint}", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_AreOneFindingPerField_AtTheFirst_WithTheCount()
    {
        var finding = Assert.Single(Run("小\u200B道\u200B消\u200D息", "title"));
        Assert.Equal("title", finding.Field);
        Assert.Equal(1, finding.Start);
        Assert.Contains("共 3 处", finding.Message, StringComparison.Ordinal);
        Assert.Contains("(3 in all)", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("一家人👨\u200D👩\u200D👧")] // a ZWJ emoji sequence
    [InlineData("点赞👍🏽\u200D👍")]          // after a skin tone
    [InlineData("普通文字，没有不可见字符")]
    public void EmojiJoiners_AndPlainText_AreNotReported(string text) => Assert.Empty(Run(text));

    [Fact]
    public void AJoiner_NotBetweenTwoEmojiParts_IsReported() => Assert.Single(Run("点赞👍\u200D好"));

    [Fact]
    public void TheWeiboPost_IsNotReportedTwice() => Assert.Empty(Run("营商\u200B环境", "weibo:wb-city"));

    [Fact]
    public void TheShippedRuleSet_ReportsTheInvisibleCharacter_AndStillFindsTheSplitSensitiveWord()
    {
        var rules = RuleSet.Create(WordList.Parse("markers", "机密", Severity.Block), WordList.Parse("sensitive", "小道消息 | flag", Severity.Flag));
        var findings = rules.Evaluate([new RuleInput("body", "据悉有小\u200B道\u200C消息称")]);
        Assert.Contains(findings, f => f.RuleId == "invisible-character" && f.Start == 4);
        Assert.Contains(findings, f => f.RuleId == "sensitive-expression" && f.Matched == "小\u200B道\u200C消息");
    }
}
