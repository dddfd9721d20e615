using MediaGateway.Rules.Text;

namespace MediaGateway.Rules.Tests;

/// <summary>Each normalisation on its own: the listed word is found, and its original span is reported.</summary>
public sealed class EvasionTests
{
    private static Finding Single(string entry, string text)
    {
        var rules = RuleSet.Create(WordList.Parse("markers", "", Severity.Block), WordList.Parse("sensitive", entry, Severity.Flag));
        var finding = Assert.Single(rules.Evaluate([new RuleInput("body", text)]), f => f.RuleId == "sensitive-expression");
        Assert.Equal(text.Substring(finding.Start, finding.Length), finding.Matched);
        return finding;
    }

    [Theory]
    [InlineData("ＶＰＮ", "用ＶＰＮ上网", 1, 3)]                 // full-width letters
    [InlineData("法轮功", "前言 法 轮 功 后语", 3, 5)]          // spaces inserted
    [InlineData("vpn", "用VpN上网", 1, 3)]                     // case
    [InlineData("发票代开", "專業發票代開", 2, 4)]              // traditional forms
    [InlineData("法轮功", "看法*轮*功", 1, 5)]                  // symbols inserted
    [InlineData("法轮功", "法·轮\u200B功", 0, 5)]              // middle dot, zero-width space
    [InlineData("法轮功", "法法轮轮功功", 0, 5)]                // repeated characters
    [InlineData("代开发票", "代\u3000开（发）票", 0, 7)]         // ideographic space and brackets
    public void EvasionsAreFound_WithTheOriginalSpan(string entry, string text, int start, int length)
    {
        var finding = Single(entry, text);
        Assert.Equal((start, length), (finding.Start, finding.Length));
    }

    [Theory]
    [InlineData("加微信123", "加微信①②③")]     // circled digits
    [InlineData("加微信123", "加微信❶❷❸")]      // negative circled digits
    [InlineData("加微信123", "加微信１２３")]     // full-width digits
    [InlineData("加微信123", "加微信⑴⑵⑶")]      // parenthesised digits
    [InlineData("加vx", "加Ⓥⓧ")]              // circled letters
    [InlineData("加vx", "加𝐯𝐱")]               // mathematical bold letters (surrogate pairs)
    [InlineData("qq12", "ＱＱ⑫")]              // a circled two-digit number expands
    public void StyledDigitsAndLetters_AreFolded(string entry, string text)
    {
        var finding = Single(entry, text);
        Assert.Equal((0, text.Length), (finding.Start, finding.Length));
    }

    [Fact]
    public void ASentenceEnd_IsABoundary_NoMatchAcrossIt()
    {
        var rules = RuleSet.Create(WordList.Parse("m", "", Severity.Block), WordList.Parse("s", "法轮", Severity.Flag));
        Assert.Empty(rules.Evaluate([new RuleInput("body", "依法。轮流值班")]));
    }

    [Fact]
    public void TheSecrecyStar_IsSignificant_SoPlainWordsAreNotMarkers()
    {
        var rules = RuleSet.Create(WordList.Parse("markers", "秘密★", Severity.Block), WordList.Parse("s", "", Severity.Flag));
        Assert.Empty(rules.Evaluate([new RuleInput("body", "保守商业秘密是企业的责任")]));
        var marker = Assert.Single(rules.Evaluate([new RuleInput("body", "秘 密 ★ 一年")]));
        Assert.Equal(("confidentiality-marker", Severity.Block, "秘 密 ★"), (marker.RuleId, marker.Severity, marker.Matched));
    }

    [Fact]
    public void TheFoldTable_WorksWithoutIcu_AndCoversWhatNormalizeMisses()
    {
        var n = TextNormalizer.For(FoldOptions.All);
        Assert.Equal("4", n.NormalizePattern("➃"));
        Assert.Equal("0", n.NormalizePattern("⓿"));
        Assert.Equal("国际", n.NormalizePattern("國際"));
        Assert.Equal("abc", n.NormalizePattern("Ａ-B_c"));
        using var t = n.Normalize("a。b");
        Assert.Equal("a\nb", t.Text.ToString());
    }

    [Fact]
    public void OffsetsMapBack_ThroughSurrogatePairs_AndExpansions()
    {
        var n = TextNormalizer.For(FoldOptions.All);
        using var t = n.Normalize("𝐀⑩b");
        Assert.Equal("a10b", t.Text.ToString());
        Assert.Equal((0, 2), t.ToOriginal(0, 1));
        Assert.Equal((2, 1), t.ToOriginal(1, 3));
        Assert.Equal((0, 4), t.ToOriginal(0, 4));
    }
}
