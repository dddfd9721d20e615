using System.Text;
using CsCheck;
using MediaGateway.Rules.Text;

namespace MediaGateway.Rules.Tests;

/// <summary>Text hygiene (decision 25): what is refused at the door, where, and what is let through.</summary>
public sealed class TextHygieneTests
{
    [Theory]
    [InlineData("政府\u202E通知", 3, 2, 0x202E, HygieneIssueKind.DirectionControl)]
    [InlineData("\u202A", 1, 0, 0x202A, HygieneIssueKind.DirectionControl)]
    [InlineData("a\u202B", 2, 1, 0x202B, HygieneIssueKind.DirectionControl)]
    [InlineData("a\u202C", 2, 1, 0x202C, HygieneIssueKind.DirectionControl)]
    [InlineData("a\u202D", 2, 1, 0x202D, HygieneIssueKind.DirectionControl)]
    [InlineData("a\u2066b", 2, 1, 0x2066, HygieneIssueKind.DirectionControl)]
    [InlineData("a\u2067b", 2, 1, 0x2067, HygieneIssueKind.DirectionControl)]
    [InlineData("a\u2068b", 2, 1, 0x2068, HygieneIssueKind.DirectionControl)]
    [InlineData("a\u2069b", 2, 1, 0x2069, HygieneIssueKind.DirectionControl)]
    [InlineData("a\0b", 2, 1, 0x0000, HygieneIssueKind.Control)]
    [InlineData("a\ab", 2, 1, 0x0007, HygieneIssueKind.Control)]
    [InlineData("\u001b[0m", 1, 0, 0x001B, HygieneIssueKind.Control)]
    [InlineData("a\u007F", 2, 1, 0x007F, HygieneIssueKind.Control)]
    [InlineData("a\u0080", 2, 1, 0x0080, HygieneIssueKind.Control)]
    [InlineData("a\u0085", 2, 1, 0x0085, HygieneIssueKind.Control)]
    [InlineData("a\u009F", 2, 1, 0x009F, HygieneIssueKind.Control)]
    [InlineData("a\u000Bb", 2, 1, 0x000B, HygieneIssueKind.Control)]   // vertical tab
    [InlineData("a\u000Cb", 2, 1, 0x000C, HygieneIssueKind.Control)]   // form feed
    [InlineData("\uFEFF标题", 1, 0, 0xFEFF, HygieneIssueKind.ByteOrderMark)]
    [InlineData("标\uFEFF题", 2, 1, 0xFEFF, HygieneIssueKind.ByteOrderMark)]
    [InlineData("a\nb", 2, 1, 0x000A, HygieneIssueKind.BreakInSingleLine)]
    [InlineData("a\tb", 2, 1, 0x0009, HygieneIssueKind.BreakInSingleLine)]
    [InlineData("a\r\nb", 2, 1, 0x000D, HygieneIssueKind.BreakInSingleLine)]
    [InlineData("😀👨‍👩‍👧\u202E", 7, 10, 0x202E, HygieneIssueKind.DirectionControl)] // each emoji code point counts once
    [InlineData("\u200B", 1, 0, 0x200B, HygieneIssueKind.OnlyInvisible)]
    [InlineData(" \u200C\u3000\u200D ", 2, 1, 0x200C, HygieneIssueKind.OnlyInvisible)]
    [InlineData("\u2060\u00AD", 1, 0, 0x2060, HygieneIssueKind.OnlyInvisible)]
    public void SingleLine_Refuses_AtTheCharacterPosition(string text, int position, int index, int codePoint, HygieneIssueKind kind)
    {
        var issue = TextHygiene.Check(text, TextShape.SingleLine);
        Assert.NotNull(issue);
        Assert.Equal(kind, issue.Kind);
        Assert.Equal(position, issue.Position);
        Assert.Equal(index, issue.Index);
        Assert.Equal(codePoint, issue.CodePoint);
    }

    /// <summary>Built in code: a lone surrogate does not survive as attribute data.</summary>
    [Fact]
    public void LoneSurrogates_AreRefused_AndAPairInTheWrongOrderIsTwoOfThem()
    {
        foreach (var (text, position, codePoint) in new[] { ("a" + '\uD800' + "b", 2, 0xD800), ("a" + '\uDC00', 2, 0xDC00),
                     (new string(['\uDC00', '\uD800']), 1, 0xDC00), ("😀" + '\uD83D', 2, 0xD83D) })
        {
            var issue = TextHygiene.Check(text, TextShape.MultiLine);
            Assert.NotNull(issue);
            Assert.Equal(HygieneIssueKind.LoneSurrogate, issue.Kind);
            Assert.Equal(position, issue.Position);
            Assert.Equal(codePoint, issue.CodePoint);
        }

        Assert.Equal(2, TextHygiene.Check(new string(['\uDC00', '\uD800']), TextShape.SingleLine)!.Count);
    }

    [Theory]
    [InlineData("第一段\n第二段\t完")]
    [InlineData("第一段\r\n第二段\r\n")]
    [InlineData("\n\n")]
    [InlineData("营商\u200B环境")] // invisible inside: reported by the rules, not refused
    [InlineData("😀")]
    [InlineData("𠀀𪚥")]          // CJK extension B (surrogate pairs)
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("العربية\u200Fنص")] // a right-to-left mark is not an override
    public void MultiLine_Accepts(string text) => Assert.Null(TextHygiene.Check(text, TextShape.MultiLine));

    [Theory]
    [InlineData("a\rb", 2, HygieneIssueKind.LoneCarriageReturn)]
    [InlineData("a\r", 2, HygieneIssueKind.LoneCarriageReturn)]
    [InlineData("a\r\r\n", 2, HygieneIssueKind.LoneCarriageReturn)]
    [InlineData("a\n\0", 3, HygieneIssueKind.Control)]
    [InlineData("第一行\n第二\u202E行", 7, HygieneIssueKind.DirectionControl)]
    [InlineData("\n\u200B\n", 2, HygieneIssueKind.OnlyInvisible)]
    public void MultiLine_Refuses(string text, int position, HygieneIssueKind kind)
    {
        var issue = TextHygiene.Check(text, TextShape.MultiLine);
        Assert.NotNull(issue);
        Assert.Equal(kind, issue.Kind);
        Assert.Equal(position, issue.Position);
    }

    [Fact]
    public void TheMessage_IsChineseFirst_NamesPositionAndCharacter_AndCountsTheRest()
    {
        Assert.Equal("第 5 个字符是不可见的方向控制符 U+202E，不允许 / character 5 is U+202E RIGHT-TO-LEFT OVERRIDE, an invisible direction control, not allowed",
            TextHygiene.Check("通知公告\u202E", TextShape.SingleLine)!.Message);
        Assert.Equal("第 2 个字符是控制字符 U+0000，不允许（共 3 处） / character 2 is U+0000 NULL, a control character, not allowed (3 in all)",
            TextHygiene.Check("a\0b\0\u202E", TextShape.SingleLine)!.Message);
        Assert.Equal("第 3 个字符是换行符 U+000A，此字段只能是一行文字 / character 3 is U+000A LINE FEED: this field is a single line of text",
            TextHygiene.Check("标题\n", TextShape.SingleLine)!.Message);
        Assert.Equal("只有不可见字符（第 1 个字符是零宽空格 U+200B），不允许 / has only invisible characters (character 1 is U+200B ZERO WIDTH SPACE), not allowed",
            TextHygiene.Check("\u200B\u200B", TextShape.SingleLine)!.Message);
        Assert.Contains("lone surrogate U+D800", TextHygiene.Check("a\uD800", TextShape.SingleLine)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LineBreaks_AreNormalisedToLineFeeds()
    {
        Assert.Equal("a\nb\n\nc", TextHygiene.NormalizeLineBreaks("a\r\nb\r\n\r\nc"));
        Assert.Equal("a\nb", TextHygiene.NormalizeLineBreaks("a\nb"));
    }

    // Allowed characters: anything but controls, direction controls, BOM, lone surrogates and invisible characters;
    // supplementary characters (emoji, CJK extensions) as whole pairs. At least one visible character.
    private static readonly Gen<string> AllowedRune = Gen.OneOf(
        Gen.Char['\u0020', '\u007E'].Select(c => c.ToString()),
        Gen.Char['\u4E00', '\u9FFF'].Select(c => c.ToString()),
        Gen.Char['\u00A0', '\uFFFD'].Where(c => !char.IsSurrogate(c) && TextHygiene.Check("x" + c, TextShape.SingleLine) is null
            && !TextHygiene.IsInvisible(c)).Select(c => c.ToString()),
        Gen.Int[0x10000, 0x10FFFF].Select(cp => char.ConvertFromUtf32(cp)));

    private static readonly Gen<char> Forbidden = Gen.OneOf(
        Gen.Char['\u0000', '\u001F'], Gen.Const('\u007F'), Gen.Char['\u0080', '\u009F'], Gen.Char['\u202A', '\u202E'],
        Gen.Char['\u2066', '\u2069'], Gen.Const('\uFEFF'), Gen.Char['\uD800', '\uDFFF']);

    [Fact]
    public void AnyTextOfAllowedCharacters_Passes()
    {
        Gen.Select(Gen.Char['\u4E00', '\u9FFF'], AllowedRune.List[0, 30]).Sample((visible, runes) =>
        {
            var text = visible + string.Concat(runes);
            Assert.Null(TextHygiene.Check(text, TextShape.SingleLine));
            Assert.Null(TextHygiene.Check(text, TextShape.MultiLine));
        }, iter: 5000);
    }

    [Fact]
    public void InsertingAForbiddenCharacter_AnywhereInASingleLine_IsRefusedAtExactlyThatPosition()
    {
        Gen.Select(AllowedRune.List[1, 30], Forbidden, Gen.Int).Sample((runes, bad, at) =>
        {
            var k = (int)((uint)at % (runes.Count + 1));
            var text = string.Concat(runes.Take(k)) + bad + string.Concat(runes.Skip(k));
            var issue = TextHygiene.Check(text, TextShape.SingleLine);
            Assert.NotNull(issue);
            Assert.Equal(k + 1, issue.Position);
            Assert.Equal(string.Concat(runes.Take(k)).Length, issue.Index);
            Assert.Equal(bad, issue.CodePoint);
            Assert.Contains($"第 {k + 1} 个字符", issue.Message, StringComparison.Ordinal);
        }, iter: 5000);
    }

    [Fact]
    public void InsertingAForbiddenCharacter_AnywhereInAMultiLineText_IsRefusedAtExactlyThatPosition_LineBreaksAndTabsAside()
    {
        // Multi-line texts keep \n, \t and \r before \n; the allowed text has line breaks of both kinds.
        var line = Gen.OneOf(AllowedRune, AllowedRune, AllowedRune, Gen.OneOf(Gen.Const("\n"), Gen.Const("\r\n"), Gen.Const("\t")));
        var forbidden = Forbidden.Where(c => c is not ('\n' or '\t' or '\r'));
        Gen.Select(line.List[1, 30], forbidden, Gen.Int).Sample((parts, bad, at) =>
        {
            var runes = parts.SelectMany(p => p == "\r\n" ? ["\r", "\n"] : new[] { p }).ToList();
            var k = (int)((uint)at % (runes.Count + 1));
            var text = string.Concat(runes.Take(k)) + bad + string.Concat(runes.Skip(k));
            var issue = TextHygiene.Check(text, TextShape.MultiLine);
            Assert.NotNull(issue);
            // Inserting between \r and \n leaves that \r alone, and it comes first.
            var loneReturnBefore = k > 0 && runes[k - 1] == "\r";
            Assert.Equal(loneReturnBefore ? k : k + 1, issue.Position);
        }, iter: 5000);
    }
}
