using MediaGateway.Rules;

namespace MediaGateway.Rules.Tests;

public sealed class WordListRuleTests
{
    private static RuleSet Rules(string markers, string sensitive) =>
        RuleSet.Create(WordList.Parse("markers", markers, Severity.Block), WordList.Parse("sensitive", sensitive, Severity.Flag));

    [Fact]
    public void EveryOccurrence_IsFound_WithOffsetsIntoTheOriginalField()
    {
        const string text = "内部资料：本页为内部资料。";
        var findings = Rules("内部资料", "").Evaluate([new RuleInput("body", text)]);
        Assert.Equal([0, 8], findings.Select(f => f.Start));
        Assert.All(findings, f =>
        {
            Assert.Equal("内部资料", text.Substring(f.Start, f.Length));
            Assert.Equal(Severity.Block, f.Severity);
            Assert.Equal("body", f.Field);
            Assert.StartsWith("markers@", f.Source, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void OverlappingMatches_AreAllReported()
    {
        var findings = Rules("", "aba\nbab").Evaluate([new RuleInput("title", "ababa")]);
        Assert.Equal([0, 1, 2], findings.Select(f => f.Start));
        Assert.Equal(["aba", "bab", "aba"], findings.Select(f => f.Matched));
    }

    [Fact]
    public void ARunOfRepeats_IsOneEvasion_ReportedOnceOverTheWholeRun()
    {
        var finding = Assert.Single(Rules("", "法轮").Evaluate([new RuleInput("body", "这是法法法轮轮")]));
        Assert.Equal((2, 4), (finding.Start, finding.Length));
        Assert.Equal("法法法轮", finding.Matched);
    }

    [Fact]
    public void LatinLetters_MatchWhateverTheirCase_AndTheOriginalSpellingIsReported()
    {
        var finding = Assert.Single(Rules("", "VPN").Evaluate([new RuleInput("body", "请勿使用vpn翻墙")]));
        Assert.Equal("vpn", finding.Matched);
    }

    [Fact]
    public void AllRulesRun_OnAllFields_NoShortCircuit()
    {
        var findings = Rules("绝密★", "小道消息").Evaluate([new RuleInput("title", "绝密★文件"), new RuleInput("body", "小道消息")]);
        Assert.Equal(["confidentiality-marker", "sensitive-expression"], findings.Select(f => f.RuleId));
        Assert.Equal(["title", "body"], findings.Select(f => f.Field));
    }

    [Fact]
    public void CleanText_HasNoFindings()
    {
        Assert.Empty(Rules("绝密★\n内部资料", "小道消息").Evaluate([new RuleInput("body", "市政府发布优化营商环境十条新举措。")]));
    }
}

public sealed class WordListTests
{
    [Fact]
    public void Parse_ReadsSeverityAndTag_AndSkipsCommentsAndBlanks()
    {
        var list = WordList.Parse("x", "# comment\n\n网传 | info | rumour\n小道消息\n", Severity.Flag);
        Assert.Equal(2, list.Entries.Count);
        Assert.Equal(new WordListEntry("网传", Severity.Info, "rumour"), list.Entries[0]);
        Assert.Equal(new WordListEntry("小道消息", Severity.Flag, null), list.Entries[1]);
    }

    [Fact]
    public void Parse_NamesTheLine_OfAnUnknownSeverity()
    {
        var error = Assert.Throws<FormatException>(() => WordList.Parse("sensitive", "a\nb | severe\n", Severity.Flag));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("severe", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_ChangesWithTheContent()
    {
        var a = WordList.Parse("x", "网传\n", Severity.Flag);
        var b = WordList.Parse("x", "网传\n小道消息\n", Severity.Flag);
        Assert.Equal(a.Version, WordList.Parse("x", "网传\n", Severity.Flag).Version);
        Assert.NotEqual(a.Version, b.Version);
    }
}
