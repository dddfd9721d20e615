using System.Runtime.InteropServices;

namespace MediaGateway.Rules.Text;

/// <summary>A hit of a listed phrase, in the ORIGINAL text's UTF-16 offsets.</summary>
public readonly record struct PhraseHit(int Entry, int Start, int Length);

/// <summary>
/// The full pipeline for phrase lists: normalise (with the offset map), find all overlapping matches, drop those that lie
/// inside an occurrence of an allow-listed phrase, and map what is left back to original offsets.
/// Thread-safe after construction; one instance serves every request.
/// </summary>
public sealed class PhraseScanner
{
    [ThreadStatic]
    private static MatchBuffer? t_matches;

    private readonly PhraseMatcher _matcher;
    private readonly int _denyCount;

    /// <param name="phrases">The phrases to report; a hit's <see cref="PhraseHit.Entry"/> is the index here.</param>
    /// <param name="allowed">Phrases that suppress any hit lying inside one of their occurrences (e.g. a hotline, a place name).</param>
    /// <param name="fold">How text and phrases are normalised.</param>
    /// <param name="collapseRepeats">Whether repeated characters in the text are absorbed (法法轮 → 法轮).</param>
    public PhraseScanner(IReadOnlyList<string> phrases, IReadOnlyList<string> allowed, FoldOptions fold, bool collapseRepeats)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        ArgumentNullException.ThrowIfNull(allowed);
        Normalizer = TextNormalizer.For(fold);
        _denyCount = phrases.Count;
        var all = new string[phrases.Count + allowed.Count];
        for (var i = 0; i < phrases.Count; i++)
        {
            all[i] = Normalizer.NormalizePattern(phrases[i]);
        }

        for (var i = 0; i < allowed.Count; i++)
        {
            all[phrases.Count + i] = Normalizer.NormalizePattern(allowed[i]);
        }

        _matcher = new PhraseMatcher(all, collapseRepeats);
    }

    public TextNormalizer Normalizer { get; }

    public PhraseMatcher Matcher => _matcher;

    /// <summary>Appends every hit of a listed phrase to <paramref name="hits"/>, ordered by start.</summary>
    public void Scan(string text, List<PhraseHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        using var normalized = Normalizer.Normalize(text);
        Scan(normalized, hits);
    }

    /// <summary>As <see cref="Scan(string, List{PhraseHit})"/> over an already normalised text (same fold profile).</summary>
    public void Scan(NormalizedText normalized, List<PhraseHit> hits)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        ArgumentNullException.ThrowIfNull(hits);
        var buffer = t_matches ??= new MatchBuffer();
        buffer.Clear();
        _matcher.FindAll(normalized.Text, buffer);
        var matches = buffer.AsSpan();
        if (matches.Length == 0)
        {
            return;
        }

        var starts = normalized.OriginalStart;

        // Allow-listed occurrences arrive in start order, like everything else. Sweep: keep the furthest end among
        // allowed occurrences starting at or before the current hit; the hit is covered iff that end reaches its end.
        // Hits are written straight into the list's storage (sized for the worst case, trimmed after).
        var denyCount = _denyCount;
        var anyAllowed = denyCount < _matcher.PatternCount;
        var allowedCursor = 0;
        var coverEnd = -1;
        var baseCount = hits.Count;
        CollectionsMarshal.SetCount(hits, baseCount + matches.Length);
        var output = CollectionsMarshal.AsSpan(hits)[baseCount..];
        var written = 0;
        foreach (var m in matches)
        {
            if (m.Pattern >= denyCount)
            {
                continue;
            }

            if (anyAllowed)
            {
                while (allowedCursor < matches.Length && matches[allowedCursor].Start <= m.Start)
                {
                    var a = matches[allowedCursor++];
                    if (a.Pattern >= denyCount && a.End > coverEnd)
                    {
                        coverEnd = a.End;
                    }
                }

                if (coverEnd >= m.End)
                {
                    continue;
                }
            }

            var s = starts[m.Start];
            output[written++] = new PhraseHit(m.Pattern, s, normalized.EndOf(starts[m.End - 1]) - s);
        }

        CollectionsMarshal.SetCount(hits, baseCount + written);
    }
}
