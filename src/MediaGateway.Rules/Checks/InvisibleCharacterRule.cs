using System.Globalization;
using MediaGateway.Rules.Text;

namespace MediaGateway.Rules;

/// <summary>
/// Invisible characters inside a text (zero width space, joiners, word joiner, soft hyphen, direction marks, blank fillers, tag characters;
/// <see cref="TextHygiene.IsInvisible"/>): a reader sees nothing, but they split a word for any machine that reads it,
/// which is how a sensitive word is slipped past a filter. The door lets them in (they come with copy and paste from
/// web editors); this rule shows them to the reviewer as one flag per field, at the first one, with the count.
/// The sensitive-word rules still match across them (the normaliser drops them). A zero width joiner inside an emoji
/// sequence (👨‍👩‍👧) is part of the emoji and not reported. The Weibo post is built from the title and body, so it is
/// not reported a second time.
/// </summary>
public sealed class InvisibleCharacterRule : IRule
{
    public string Id => "invisible-character";

    public void Check(RuleInput input, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findings);
        if (input.Field.StartsWith("weibo:", StringComparison.Ordinal))
        {
            return;
        }

        var text = input.Text;
        var count = 0;
        var firstIndex = -1;
        var firstPosition = 0;
        var c = 0;
        var position = 0;
        for (var i = 0; i < text.Length; i++)
        {
            position++;
            var hidden = TextHygiene.InvisibleAt(text, i);
            var units = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (hidden is { } codePoint && !(codePoint == '\u200D' && JoinsEmoji(text, i)))
            {
                count++;
                if (firstIndex < 0)
                {
                    firstIndex = i;
                    firstPosition = position;
                    c = codePoint;
                }
            }

            i += units - 1;
        }

        if (count == 0)
        {
            return;
        }

        var length = c > 0xFFFF ? 2 : 1;
        var u = TextHygiene.Notation(c);
        var all = count > 1 ? string.Create(CultureInfo.InvariantCulture, $"（共 {count} 处）") : "";
        var allEn = count > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({count} in all)") : "";
        findings.Add(new Finding
        {
            RuleId = Id,
            Severity = Severity.Flag,
            Field = input.Field,
            Matched = text.Substring(firstIndex, length),
            Start = firstIndex,
            Length = length,
            Source = "invisible:" + u,
            Message = string.Create(CultureInfo.InvariantCulture,
                $"第 {firstPosition} 个字符是不可见的{TextHygiene.ChineseName(c)} {u}，可能用于拆分敏感词以规避审查，请删除{all} / character {firstPosition} is {u} {TextHygiene.Name(c)}, invisible: it can split a sensitive word to slip past review; remove it{allEn}"),
        });
    }

    /// <summary>A joiner between two parts of an emoji (a pictograph, a skin tone, the emoji variation selector).</summary>
    private static bool JoinsEmoji(string text, int at)
    {
        var before = at >= 2 && char.IsLowSurrogate(text[at - 1]) && char.IsHighSurrogate(text[at - 2])
            ? char.ConvertToUtf32(text[at - 2], text[at - 1])
            : at >= 1 ? text[at - 1] : 0;
        var after = at + 2 < text.Length && char.IsHighSurrogate(text[at + 1]) && char.IsLowSurrogate(text[at + 2])
            ? char.ConvertToUtf32(text[at + 1], text[at + 2])
            : at + 1 < text.Length ? text[at + 1] : 0;
        return IsEmojiPart(before) && IsEmojiPart(after);

        static bool IsEmojiPart(int cp) => cp is (>= 0x1F000 and <= 0x1FAFF) or (>= 0x2600 and <= 0x27BF) or 0xFE0F or 0x2640 or 0x2642;
    }
}
