using System.Globalization;

namespace MediaGateway.Rules.Text;

/// <summary>Whether a text may span lines: a title or a name is one line; a body, summary, comment, note or reason may have several.</summary>
public enum TextShape
{
    /// <summary>No line breaks and no tabs.</summary>
    SingleLine,
    /// <summary>Line feeds and tabs are kept; a carriage return only right before a line feed (CRLF).</summary>
    MultiLine,
}

/// <summary>Why a text is refused at the door (decision 25).</summary>
public enum HygieneIssueKind
{
    /// <summary>A C0 or C1 control character, or DEL.</summary>
    Control,
    /// <summary>A line feed, carriage return or tab in a text that is one line.</summary>
    BreakInSingleLine,
    /// <summary>A carriage return not followed by a line feed (in a multi-line text).</summary>
    LoneCarriageReturn,
    /// <summary>A bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069).</summary>
    DirectionControl,
    /// <summary>U+FEFF, the byte order mark (zero width no-break space).</summary>
    ByteOrderMark,
    /// <summary>Half of a surrogate pair alone: not a character at all (invalid UTF-16).</summary>
    LoneSurrogate,
    /// <summary>The text is not empty but has nothing visible: only invisible characters (and spaces).</summary>
    OnlyInvisible,
}

/// <summary>
/// The first refused character of a text. <see cref="Position"/> is the 1-based index counted in Unicode scalar values
/// (what a person counts as characters: an emoji is one, not two UTF-16 units; a lone surrogate counts as one);
/// <see cref="Index"/> is the UTF-16 offset. <see cref="Count"/> is how many refused characters the text has in all.
/// </summary>
public sealed record HygieneIssue(HygieneIssueKind Kind, int Position, int Index, int CodePoint, int Count)
{
    /// <summary>The reason, Chinese first, e.g. "第 5 个字符是不可见的方向控制符 U+202E，不允许 / character 5 is U+202E RIGHT-TO-LEFT OVERRIDE, an invisible direction control, not allowed".</summary>
    public string Message
    {
        get
        {
            var u = TextHygiene.Notation(CodePoint);
            var name = TextHygiene.Name(CodePoint);
            var p = Position;
            var (zh, en) = Kind switch
            {
                HygieneIssueKind.Control => ($"第 {p} 个字符是控制字符 {u}，不允许", $"character {p} is {u} {name}, a control character, not allowed"),
                HygieneIssueKind.BreakInSingleLine => ($"第 {p} 个字符是{TextHygiene.ChineseName(CodePoint)} {u}，此字段只能是一行文字",
                    $"character {p} is {u} {name}: this field is a single line of text"),
                HygieneIssueKind.LoneCarriageReturn => ($"第 {p} 个字符是后面没有换行符的回车符 {u}，不允许（换行请用 LF 或 CRLF）",
                    $"character {p} is {u} {name} not followed by a line feed, not allowed (end lines with LF or CRLF)"),
                HygieneIssueKind.DirectionControl => ($"第 {p} 个字符是不可见的方向控制符 {u}，不允许",
                    $"character {p} is {u} {name}, an invisible direction control, not allowed"),
                HygieneIssueKind.ByteOrderMark => ($"第 {p} 个字符是字节顺序标记（BOM）{u}，不允许", $"character {p} is {u} {name} (a byte order mark), not allowed"),
                HygieneIssueKind.LoneSurrogate => ($"第 {p} 个字符是孤立的代理项 {u}（无效的 UTF-16），不允许",
                    $"character {p} is a lone surrogate {u} (invalid UTF-16), not allowed"),
                _ => ($"只有不可见字符（第 {p} 个字符是{TextHygiene.ChineseName(CodePoint)} {u}），不允许",
                    $"has only invisible characters (character {p} is {u} {name}), not allowed"),
            };
            return Count > 1 && Kind != HygieneIssueKind.OnlyInvisible
                ? string.Create(CultureInfo.InvariantCulture, $"{zh}（共 {Count} 处） / {en} ({Count} in all)")
                : $"{zh} / {en}";
        }
    }
}

/// <summary>
/// Text hygiene (decision 25): what no text a person sends may carry, because it is invisible or changes how the text
/// reads without being seen. Refused: C0/C1 controls and DEL (a multi-line text keeps line feeds, tabs and CRLF),
/// bidi embeddings, overrides and isolates, the BOM, lone surrogates, and a text of nothing but invisible characters.
/// Invisible characters inside a text (<see cref="IsInvisible"/>) are not refused: the rules report them
/// (<see cref="MediaGateway.Rules.InvisibleCharacterRule"/>), because they also come in by copy and paste and a reviewer can judge them.
/// Pure: no I/O, no culture.
/// </summary>
public static class TextHygiene
{
    /// <summary>The first refused character of <paramref name="text"/> (with the count of all), or null when it is clean.</summary>
    public static HygieneIssue? Check(string? text, TextShape shape)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        HygieneIssue? first = null;
        var count = 0;
        var visible = false;
        (int Position, int Index, int CodePoint)? firstInvisible = null;
        var position = 0;
        for (var i = 0; i < text.Length; i++)
        {
            position++;
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // A supplementary character shows (emoji, CJK extensions) unless it is a tag character outside a flag.
                if (InvisibleAt(text, i) is { } hidden)
                {
                    firstInvisible ??= (position, i, hidden);
                }
                else
                {
                    visible = true;
                }

                i++;
                continue;
            }

            if (Classify(c, i + 1 < text.Length ? text[i + 1] : '\0', shape) is { } kind)
            {
                count++;
                first ??= new HygieneIssue(kind, position, i, c, 0);
            }
            else if (IsInvisible(c))
            {
                firstInvisible ??= (position, i, c);
            }
            else if (!char.IsWhiteSpace(c))
            {
                visible = true;
            }
        }

        if (first is not null)
        {
            return first with { Count = count };
        }

        return !visible && firstInvisible is { } only ? new HygieneIssue(HygieneIssueKind.OnlyInvisible, only.Position, only.Index, only.CodePoint, 1) : null;
    }

    /// <summary>CRLF → LF: a text typed on Windows and elsewhere is stored (and fingerprinted) the same.</summary>
    public static string NormalizeLineBreaks(string text) => text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal) : text;

    /// <summary>
    /// Characters that show nothing, or only a blank, and let a text read as something else to a machine: zero width
    /// space, non-joiner, joiner, word joiner, soft hyphen, the direction marks (LRM, RLM, ALM), the invisible math
    /// operators, the Mongolian vowel separator, the Hangul fillers (letters to Unicode, blanks on screen), the braille
    /// blank, and the tag characters (U+E0000–E007F, which can carry a whole hidden ASCII text). They split a sensitive
    /// word, or fill a field that looks empty, without a reader seeing it; the rules report them.
    /// </summary>
    public static bool IsInvisible(int codePoint) => codePoint is 0x200B or 0x200C or 0x200D or 0x2060 or 0x00AD
        or 0x200E or 0x200F or 0x061C or (>= 0x2061 and <= 0x2064)
        or 0x180E or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800 or (>= 0xE0000 and <= 0xE007F);

    /// <summary>
    /// The invisible character (<see cref="IsInvisible"/>) that starts at <paramref name="index"/>, a whole surrogate
    /// pair read as one, or null. Tag characters after 🏴 (U+1F3F4) spell a subdivision flag (🏴 England) and are part of
    /// that emoji, not hidden text.
    /// </summary>
    public static int? InvisibleAt(string text, int index)
    {
        ArgumentNullException.ThrowIfNull(text);
        var c = text[index];
        var codePoint = char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? char.ConvertToUtf32(c, text[index + 1])
            : c;
        if (!IsInvisible(codePoint))
        {
            return null;
        }

        return codePoint >= 0xE0000 && SpellsAFlag(text, index) ? null : codePoint;

        static bool SpellsAFlag(string text, int at)
        {
            while (at >= 2 && char.IsLowSurrogate(text[at - 1]) && char.IsHighSurrogate(text[at - 2]))
            {
                var before = char.ConvertToUtf32(text[at - 2], text[at - 1]);
                if (before == 0x1F3F4)
                {
                    return true;
                }

                if (before is < 0xE0020 or > 0xE007E)
                {
                    return false;
                }

                at -= 2;
            }

            return false;
        }
    }

    /// <summary>The refusal class of one UTF-16 unit (not part of a pair), or null when it may stay.</summary>
    private static HygieneIssueKind? Classify(char c, char next, TextShape shape) => c switch
    {
        '\n' or '\t' => shape == TextShape.MultiLine ? null : HygieneIssueKind.BreakInSingleLine,
        '\r' => shape == TextShape.SingleLine ? HygieneIssueKind.BreakInSingleLine : next == '\n' ? null : HygieneIssueKind.LoneCarriageReturn,
        < ' ' or '\u007F' or (>= '\u0080' and <= '\u009F') => HygieneIssueKind.Control,
        (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') => HygieneIssueKind.DirectionControl,
        '\uFEFF' => HygieneIssueKind.ByteOrderMark,
        _ when char.IsSurrogate(c) => HygieneIssueKind.LoneSurrogate,
        _ => null,
    };

    /// <summary>"U+202E".</summary>
    public static string Notation(int codePoint) => string.Create(CultureInfo.InvariantCulture, $"U+{codePoint:X4}");

    /// <summary>The Unicode name (or, for controls, the name alias) of the characters this file talks about.</summary>
    public static string Name(int codePoint) => codePoint switch
    {
        < 0x20 => C0Names[codePoint],
        0x7F => "DELETE",
        0x85 => "NEXT LINE",
        >= 0x80 and <= 0x9F => "C1 CONTROL",
        0x00AD => "SOFT HYPHEN",
        0x061C => "ARABIC LETTER MARK",
        0x115F => "HANGUL CHOSEONG FILLER",
        0x1160 => "HANGUL JUNGSEONG FILLER",
        0x180E => "MONGOLIAN VOWEL SEPARATOR",
        0x2800 => "BRAILLE PATTERN BLANK",
        0x3164 => "HANGUL FILLER",
        0xFFA0 => "HALFWIDTH HANGUL FILLER",
        >= 0xE0000 and <= 0xE007F => "TAG CHARACTER",
        0x200B => "ZERO WIDTH SPACE",
        0x200C => "ZERO WIDTH NON-JOINER",
        0x200D => "ZERO WIDTH JOINER",
        0x200E => "LEFT-TO-RIGHT MARK",
        0x200F => "RIGHT-TO-LEFT MARK",
        0x202A => "LEFT-TO-RIGHT EMBEDDING",
        0x202B => "RIGHT-TO-LEFT EMBEDDING",
        0x202C => "POP DIRECTIONAL FORMATTING",
        0x202D => "LEFT-TO-RIGHT OVERRIDE",
        0x202E => "RIGHT-TO-LEFT OVERRIDE",
        0x2060 => "WORD JOINER",
        0x2061 => "FUNCTION APPLICATION",
        0x2062 => "INVISIBLE TIMES",
        0x2063 => "INVISIBLE SEPARATOR",
        0x2064 => "INVISIBLE PLUS",
        0x2066 => "LEFT-TO-RIGHT ISOLATE",
        0x2067 => "RIGHT-TO-LEFT ISOLATE",
        0x2068 => "FIRST STRONG ISOLATE",
        0x2069 => "POP DIRECTIONAL ISOLATE",
        0xFEFF => "ZERO WIDTH NO-BREAK SPACE",
        _ => "",
    };

    /// <summary>What a Chinese reader calls the invisible and layout characters.</summary>
    public static string ChineseName(int codePoint) => codePoint switch
    {
        '\n' => "换行符",
        '\r' => "回车符",
        '\t' => "制表符",
        0x00AD => "软连字符",
        0x200B => "零宽空格",
        0x200C => "零宽不连字",
        0x200D => "零宽连字",
        0x2060 => "零宽不换行符",
        0x200E or 0x200F or 0x061C => "方向标记",
        0x115F or 0x1160 or 0x3164 or 0xFFA0 => "韩文填充符",
        0x2800 => "盲文空白符",
        0x180E => "蒙古文元音分隔符",
        >= 0xE0000 and <= 0xE007F => "标签字符",
        _ => "不可见字符",
    };

    private static readonly string[] C0Names =
    [
        "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY", "ACKNOWLEDGE", "BELL",
        "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
        "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR",
        "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
        "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE",
    ];
}
