using System.Buffers;
using System.Globalization;
using System.Reflection;

namespace MediaGateway.Rules.Text;

/// <summary>What a normalisation profile folds away before matching (review-rules.md, evasion handling).</summary>
[Flags]
public enum FoldOptions
{
    None = 0,
    /// <summary>Full-width → half-width, ideographic space → space, circled/styled/parenthesised digits and letters → plain.</summary>
    Width = 1,
    /// <summary>Latin (and other cased) letters → lower case.</summary>
    Case = 2,
    /// <summary>Traditional → simplified, one character to one character (table shipped in t2s.txt).</summary>
    Traditional = 4,
    /// <summary>
    /// Punctuation, symbols, spaces, combining marks and zero-width characters inserted between characters are dropped
    /// (法*轮 → 法轮). Sentence ends (。！？ and line breaks) stay as hard boundaries; ★ stays significant (secrecy marks).
    /// </summary>
    DropSymbols = 8,
    /// <summary>Everything: what sensitive-word lists and secrecy markers are matched with.</summary>
    All = Width | Case | Traditional | DropSymbols,
}

/// <summary>
/// A precomputed per-character fold table (no ICU: it must behave the same under invariant globalisation) and the
/// normalisation pass that keeps, for every normalised character, where it came from in the original text.
/// </summary>
public sealed class TextNormalizer
{
    /// <summary>Table value: the character is dropped.</summary>
    private const char Drop = '\uFFFF';
    /// <summary>Table value: the character expands to several (⑩ → "10"); see <see cref="_expansions"/>.</summary>
    private const char Expand = '\uFFFE';
    /// <summary>What a sentence end becomes: a character no pattern contains, so no match crosses it.</summary>
    public const char Boundary = '\n';

    private static readonly TextNormalizer?[] Cache = new TextNormalizer?[16];
    private static readonly Lazy<IReadOnlyDictionary<char, char>> TraditionalTable = new(LoadTraditional);

    private readonly char[] _table = new char[65536];
    private readonly Dictionary<char, string> _expansions = [];

    private TextNormalizer(FoldOptions options)
    {
        Options = options;
        for (var i = 0; i < _table.Length; i++)
        {
            _table[i] = (char)i;
        }

        if ((options & FoldOptions.Width) != 0)
        {
            AddWidthAndStyledFolds();
        }

        if ((options & FoldOptions.Traditional) != 0)
        {
            foreach (var (from, to) in TraditionalTable.Value)
            {
                _table[from] = to;
            }
        }

        if ((options & FoldOptions.Case) != 0)
        {
            for (var i = 0; i < _table.Length; i++)
            {
                var c = _table[i];
                if (c is not Drop and not Expand && !char.IsSurrogate(c))
                {
                    _table[i] = char.ToLowerInvariant(c);
                }
            }
        }

        if ((options & FoldOptions.DropSymbols) != 0)
        {
            for (var i = 0; i < _table.Length; i++)
            {
                var c = _table[i];
                if (c is Drop or Expand || char.IsSurrogate((char)i))
                {
                    continue;
                }

                if (IsSentenceEnd(c))
                {
                    _table[i] = Boundary;
                }
                else if (IsIgnorable(c))
                {
                    _table[i] = Drop;
                }
            }
        }

        _table[Drop] = Drop;
        _table[Expand] = Drop;
    }

    public FoldOptions Options { get; }

    /// <summary>The shared normaliser for a profile (tables are built once, 128 KB each).</summary>
    public static TextNormalizer For(FoldOptions options)
    {
        var index = (int)options & 15;
        return Volatile.Read(ref Cache[index]) ?? InterlockedInit(index, options);

        static TextNormalizer InterlockedInit(int index, FoldOptions options)
        {
            var created = new TextNormalizer(options);
            return Interlocked.CompareExchange(ref Cache[index], created, null) ?? created;
        }
    }

    /// <summary>The fold of one BMP character: itself, its folded form, or null when it is dropped or expands.</summary>
    public char? FoldChar(char c)
    {
        var f = _table[c];
        return f is Drop or Expand ? null : f;
    }

    /// <summary>Normalises a pattern (list entry): the same fold as the text, without the offset map.</summary>
    public string NormalizePattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        using var normalized = Normalize(pattern);
        return new string(normalized.Text);
    }

    /// <summary>
    /// Normalises <paramref name="text"/>. The result owns pooled buffers: dispose it. For every normalised character i,
    /// <see cref="NormalizedText.OriginalStart"/>[i] and <see cref="NormalizedText.OriginalEnd"/>[i] give its span in the original.
    /// </summary>
    public NormalizedText Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Invariant: at the top of iteration i, capacity ≥ n + (src.Length − i) + 4. Folding one character to one (or a
        // pair to at most two, or dropping) keeps it, so only an expansion (⑩ → "10") has to check for room. Ends are
        // not stored: a normalised character ends one past its start, or two past when it came from a surrogate pair
        // (NormalizedText recomputes them from the original text).
        var capacity = text.Length + 16;
        var chars = ArrayPool<char>.Shared.Rent(capacity);
        var starts = ArrayPool<int>.Shared.Rent(capacity);
        var n = 0;
        var table = _table;
        var src = text.AsSpan();
        for (var i = 0; i < src.Length; i++)
        {
            var c = src[i];
            var f = table[c];
            if (f < '\uD800')
            {
                // Fast path: the overwhelmingly common case (CJK, ASCII) folds to one BMP character.
                chars[n] = f;
                starts[n] = i;
                n++;
                continue;
            }

            if (f == Drop)
            {
                continue;
            }

            if (f == Expand)
            {
                var expansion = _expansions[c];
                if (n + expansion.Length + (src.Length - i) + 4 > chars.Length)
                {
                    Grow(ref chars, ref starts, n, n + expansion.Length + (src.Length - i) + 4);
                }

                foreach (var e in expansion)
                {
                    chars[n] = e;
                    starts[n] = i;
                    n++;
                }

                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < src.Length && char.IsLowSurrogate(src[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, src[i + 1]);
                var folded = FoldSupplementary(codePoint);
                if (folded is { } one)
                {
                    chars[n] = one;
                    starts[n] = i;
                    n++;
                }
                else if (TextHygiene.IsInvisible(codePoint))
                {
                    // Tag characters (U+E0000–E007F): invisible, dropped as the BMP invisible characters are, so they split no word.
                }
                else if (codePoint >= 0x20000 || (Options & FoldOptions.DropSymbols) == 0)
                {
                    // CJK extension ideographs (and anything when symbols are kept) stay as they are.
                    chars[n] = c;
                    chars[n + 1] = src[i + 1];
                    starts[n] = i;
                    starts[n + 1] = i;
                    n += 2;
                }

                // Otherwise (emoji, pictographs inserted between characters): dropped.
                i++;
                continue;
            }

            // Unpaired surrogates and the remaining table values above U+D7FF (private use, compatibility forms).
            chars[n] = f;
            starts[n] = i;
            n++;
        }

        return new NormalizedText(text, chars, starts, n);
    }

    private static void Grow(ref char[] chars, ref int[] starts, int used, int needed)
    {
        var size = Math.Max(chars.Length * 2, needed);
        var c2 = ArrayPool<char>.Shared.Rent(size);
        var s2 = ArrayPool<int>.Shared.Rent(size);
        chars.AsSpan(0, used).CopyTo(c2);
        starts.AsSpan(0, used).CopyTo(s2);
        ArrayPool<char>.Shared.Return(chars);
        ArrayPool<int>.Shared.Return(starts);
        chars = c2;
        starts = s2;
    }

    /// <summary>Styled letters and digits outside the BMP (𝐀 𝟏 🅐 🄰 regional indicators) → plain lower-case ASCII.</summary>
    private char? FoldSupplementary(int cp)
    {
        if ((Options & FoldOptions.Width) == 0)
        {
            return null;
        }

        char? letter = cp switch
        {
            >= 0x1D400 and <= 0x1D6A3 => Letter((cp - 0x1D400) % 52),
            >= 0x1D7CE and <= 0x1D7FF => (char)('0' + ((cp - 0x1D7CE) % 10)),
            >= 0x1F110 and <= 0x1F129 => (char)('A' + (cp - 0x1F110)),
            >= 0x1F130 and <= 0x1F149 => (char)('A' + (cp - 0x1F130)),
            >= 0x1F150 and <= 0x1F169 => (char)('A' + (cp - 0x1F150)),
            >= 0x1F170 and <= 0x1F189 => (char)('A' + (cp - 0x1F170)),
            >= 0x1F1E6 and <= 0x1F1FF => (char)('A' + (cp - 0x1F1E6)),
            >= 0x1FBF0 and <= 0x1FBF9 => (char)('0' + (cp - 0x1FBF0)),
            _ => null,
        };
        return letter is { } l && (Options & FoldOptions.Case) != 0 ? char.ToLowerInvariant(l) : letter;

        static char Letter(int i) => i < 26 ? (char)('A' + i) : (char)('a' + i - 26);
    }

    private void AddWidthAndStyledFolds()
    {
        for (var c = 0xFF01; c <= 0xFF5E; c++)
        {
            _table[c] = (char)(c - 0xFF01 + 0x21); // full-width ASCII
        }

        _table[0x3000] = ' ';
        _table[0xFF61] = '.'; // halfwidth ideographic full stop ｡ (used as a dot in links)
        _table[0x2024] = '.'; // one dot leader
        _table[0xFE52] = '.'; // small full stop
        _table[0x2010] = '-';
        _table[0x2011] = '-';
        _table[0x2012] = '-';
        _table[0x2013] = '-';
        _table[0x2014] = '-';
        _table[0x2212] = '-';
        _table[0xFE63] = '-';

        Digits(0x2460, 20, 1);   // ①–⑳
        Digits(0x2474, 20, 1);   // ⑴–⒇
        Digits(0x2488, 20, 1);   // ⒈–⒛
        Digits(0x24F5, 10, 1);   // ⓵–⓾
        Digits(0x2776, 10, 1);   // ❶–❿
        Digits(0x2780, 10, 1);   // ➀–➉
        Digits(0x278A, 10, 1);   // ➊–➓
        Digits(0x24EB, 10, 11);  // ⓫–⓴
        Digits(0x2070, 1, 0);    // ⁰
        Digits(0x2080, 10, 0);   // ₀–₉
        _table[0x00B9] = '1';
        _table[0x00B2] = '2';
        _table[0x00B3] = '3';
        Digits(0x2074, 6, 4);    // ⁴–⁹
        _table[0x24EA] = '0';    // ⓪
        _table[0x24FF] = '0';    // ⓿
        Letters(0x24B6, 'A');    // Ⓐ–Ⓩ
        Letters(0x24D0, 'a');    // ⓐ–ⓩ
        Letters(0x249C, 'a');    // ⒜–⒵
        // Roman numerals as letters are left alone: Ⅰ is a numeral, not an evasion of I.
    }

    private void Digits(int first, int count, int firstValue)
    {
        for (var k = 0; k < count; k++)
        {
            var value = firstValue + k;
            if (value < 10)
            {
                _table[first + k] = (char)('0' + value);
            }
            else
            {
                _table[first + k] = Expand;
                _expansions[(char)(first + k)] = value.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    private void Letters(int first, char firstLetter)
    {
        for (var k = 0; k < 26; k++)
        {
            _table[first + k] = (char)(firstLetter + k);
        }
    }

    private static bool IsSentenceEnd(char c) => c is '。' or '！' or '？' or '!' or '?' or '\n' or '\r' or '\u2028' or '\u2029' or '；' or ';';

    private static bool IsIgnorable(char c)
    {
        if (c == '★')
        {
            return false; // 秘密★ is a secrecy marking; the star is part of it
        }

        if (TextHygiene.IsInvisible(c))
        {
            return true; // the Hangul fillers are letters to Unicode, blanks to a reader
        }

        return char.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
            UnicodeCategory.Control or UnicodeCategory.Format => true,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark => true,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => true,
            UnicodeCategory.PrivateUse => true,
            _ => false,
        };
    }

    private static Dictionary<char, char> LoadTraditional()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MediaGateway.Rules.Text.t2s.txt")
            ?? throw new InvalidOperationException("the traditional → simplified table is not embedded");
        using var reader = new StreamReader(stream);
        var map = new Dictionary<char, char>();
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            foreach (var pair in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (pair.Length == 2)
                {
                    map[pair[0]] = pair[1];
                }
            }
        }

        return map;
    }
}

/// <summary>A normalised text and, per normalised character, its span in the original text. Pooled: dispose it.</summary>
public sealed class NormalizedText : IDisposable
{
    private readonly string _source;
    private char[]? _chars;
    private int[]? _starts;
    private int[]? _ends;

    internal NormalizedText(string source, char[] chars, int[] starts, int length)
    {
        _source = source;
        _chars = chars;
        _starts = starts;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<char> Text => _chars.AsSpan(0, Length);

    public ReadOnlySpan<int> OriginalStart => _starts.AsSpan(0, Length);

    /// <summary>Per normalised character, where its span in the original ends (computed on first use).</summary>
    public ReadOnlySpan<int> OriginalEnd
    {
        get
        {
            ObjectDisposedException.ThrowIf(_starts is null, this);
            if (_ends is null)
            {
                var ends = ArrayPool<int>.Shared.Rent(Math.Max(1, Length));
                for (var k = 0; k < Length; k++)
                {
                    ends[k] = EndOf(_starts[k]);
                }

                _ends = ends;
            }

            return _ends.AsSpan(0, Length);
        }
    }

    /// <summary>Maps a normalised span [start, end) back to the original text's UTF-16 span.</summary>
    public (int Start, int Length) ToOriginal(int start, int end)
    {
        var starts = _starts!;
        var s = starts[start];
        return (s, EndOf(starts[end - 1]) - s);
    }

    /// <summary>
    /// Where the original character(s) behind a normalised character starting at <paramref name="originalStart"/> end:
    /// a surrogate pair is read as one (and folds to one or two normalised characters), anything else is one character.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal int EndOf(int originalStart)
    {
        var source = _source;
        return char.IsHighSurrogate(source[originalStart]) && originalStart + 1 < source.Length && char.IsLowSurrogate(source[originalStart + 1])
            ? originalStart + 2
            : originalStart + 1;
    }

    public void Dispose()
    {
        if (_chars is not null)
        {
            ArrayPool<char>.Shared.Return(_chars);
            ArrayPool<int>.Shared.Return(_starts!);
            if (_ends is not null)
            {
                ArrayPool<int>.Shared.Return(_ends);
            }

            _chars = null;
            _starts = null;
            _ends = null;
        }
    }
}
