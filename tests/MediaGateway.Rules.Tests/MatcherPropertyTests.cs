using System.Buffers;
using CsCheck;
using MediaGateway.Rules.Text;

namespace MediaGateway.Rules.Tests;

/// <summary>The matcher against oracles on random texts and lists (issue 5, correctness).</summary>
public sealed class MatcherPropertyTests
{
    // A small alphabet makes overlaps, shared prefixes and repeats frequent.
    private static readonly Gen<char> Letter = Gen.Select(Gen.Char['a', 'e'], Gen.OneOf('法', '轮', '功', '网', '传'), Gen.Int[0, 3],
        (latin, han, pick) => pick == 0 ? han : latin);
    private static readonly Gen<string> Word = Letter.Array[1, 5].Select(a => new string(a));
    private static readonly Gen<string> Text = Letter.Array[0, 60].Select(a => new string(a));

    private static HashSet<PhraseMatch> Naive(string text, List<string> patterns)
    {
        var found = new HashSet<PhraseMatch>();
        for (var p = 0; p < patterns.Count; p++)
        {
            for (var s = 0; s + patterns[p].Length <= text.Length; s++)
            {
                if (string.CompareOrdinal(text, s, patterns[p], 0, patterns[p].Length) == 0)
                {
                    found.Add(new PhraseMatch(p, s, s + patterns[p].Length));
                }
            }
        }

        return found;
    }

    /// <summary>Oracle for repeat absorption: pattern p1…pk matches text reading p1+ … pk, shortest end, starts at run beginnings.</summary>
    private static HashSet<PhraseMatch> NaiveCollapsing(string text, List<string> patterns)
    {
        var found = new HashSet<PhraseMatch>();
        for (var p = 0; p < patterns.Count; p++)
        {
            var pat = patterns[p];
            for (var s = 0; s < text.Length; s++)
            {
                if (s > 0 && text[s - 1] == text[s])
                {
                    continue;
                }

                // NFA states: number of pattern characters consumed so far (state i absorbs repeats of pat[i-1]).
                var states = new HashSet<int> { 0 };
                for (var j = s; j < text.Length && states.Count > 0; j++)
                {
                    var next = new HashSet<int>();
                    foreach (var st in states)
                    {
                        if (st < pat.Length && pat[st] == text[j])
                        {
                            next.Add(st + 1);
                        }

                        if (st > 0 && st < pat.Length && pat[st - 1] == text[j])
                        {
                            next.Add(st);
                        }
                    }

                    if (next.Contains(pat.Length))
                    {
                        found.Add(new PhraseMatch(p, s, j + 1));
                        break;
                    }

                    states = next;
                }
            }
        }

        return found;
    }

    [Fact]
    public void ExactMatching_FindsTheSameOverlappingMatches_AsANaiveMatcher()
    {
        Gen.Select(Word.List[1, 12], Text).Sample((patterns, text) =>
        {
            var matches = new List<PhraseMatch>();
            new PhraseMatcher(patterns, collapseRepeats: false).FindAll(text, matches);
            var oracle = Naive(text, patterns);
            Assert.Equal(oracle.Count, matches.Count);
            Assert.True(oracle.SetEquals(matches), $"text '{text}' patterns [{string.Join(",", patterns)}]");
            Assert.Equal(matches.OrderBy(m => m.Start).Select(m => m.Start), matches.Select(m => m.Start));
        }, iter: 3000);
    }

    [Fact]
    public void ExactMatching_AgreesWithSearchValues_OnWhereTheFirstMatchStarts()
    {
        Gen.Select(Word.List[1, 12], Text).Sample((patterns, text) =>
        {
            var searchValues = SearchValues.Create(patterns.Distinct().ToArray(), StringComparison.Ordinal);
            var matches = new List<PhraseMatch>();
            new PhraseMatcher(patterns, collapseRepeats: false).FindAll(text, matches);
            var first = matches.Count == 0 ? -1 : matches.Min(m => m.Start);
            Assert.Equal(text.AsSpan().IndexOfAny(searchValues), first);
        }, iter: 2000);
    }

    [Fact]
    public void RepeatAbsorbingMatching_FindsTheSameMatches_AsAnNfaOracle()
    {
        Gen.Select(Word.List[1, 8], Text).Sample((patterns, text) =>
        {
            var matches = new List<PhraseMatch>();
            new PhraseMatcher(patterns, collapseRepeats: true).FindAll(text, matches);
            var oracle = NaiveCollapsing(text, patterns);
            Assert.True(oracle.SetEquals(matches),
                $"text '{text}' patterns [{string.Join(",", patterns)}]: got [{string.Join(" ", matches)}] want [{string.Join(" ", oracle)}]");
            Assert.Equal(matches.Count, matches.Distinct().Count());
        }, iter: 3000);
    }

    [Fact]
    public void Scanner_ReportsOriginalSpans_ThatReadAsTheEntryAfterFolding()
    {
        // Insert random separators and widen random characters; every hit must map back to an original span
        // whose own normalisation is the entry, and the entries found must be the same as in the plain text.
        var noise = Gen.OneOf("", "", "", "*", " ", "·", "-", "\u200B", "\U0001F600");
        Gen.Select(Word.List[1, 6], Letter.Array[0, 40], noise.Array[40]).Sample((patterns, letters, gaps) =>
        {
            var plain = new string(letters);
            // Full-width letters, mathematical bold 𝐛 (a surrogate pair folding to one character) and emoji gaps (pairs
            // that are dropped) check that original spans cover whole pairs.
            var noisy = string.Concat(letters.Select((c, k) => (c == 'b' && k % 5 == 1 ? "\U0001D41B"
                : (c is >= 'a' and <= 'z' && k % 3 == 0 ? (char)(c - 'a' + 'Ａ') : c).ToString()) + gaps[k]));
            var scanner = new PhraseScanner(patterns, [], FoldOptions.All, collapseRepeats: false);
            var plainHits = new List<PhraseHit>();
            var noisyHits = new List<PhraseHit>();
            scanner.Scan(plain, plainHits);
            scanner.Scan(noisy, noisyHits);
            Assert.Equal(plainHits.Select(h => h.Entry).Order(), noisyHits.Select(h => h.Entry).Order());
            foreach (var hit in noisyHits)
            {
                var original = noisy.Substring(hit.Start, hit.Length);
                Assert.Equal(scanner.Normalizer.NormalizePattern(patterns[hit.Entry]), scanner.Normalizer.NormalizePattern(original));
            }
        }, iter: 2000);
    }

    // The usual production shape (no one-character pattern) takes the blocked, filtered path: long texts cross its
    // 512-position blocks.
    private static readonly Gen<string> LongWord = Letter.Array[2, 5].Select(a => new string(a));
    private static readonly Gen<string> LongText = Letter.Array[0, 1500].Select(a => new string(a));

    [Fact]
    public void WithoutOneCharacterPatterns_LongTexts_MatchTheOracles_InBothModes()
    {
        Gen.Select(LongWord.List[1, 10], LongText).Sample((patterns, text) =>
        {
            var exact = new List<PhraseMatch>();
            new PhraseMatcher(patterns, collapseRepeats: false).FindAll(text, exact);
            Assert.True(Naive(text, patterns).SetEquals(exact), $"exact: text '{text}' patterns [{string.Join(",", patterns)}]");
            Assert.Equal(Naive(text, patterns).Count, exact.Count);
            Assert.Equal(exact.OrderBy(m => m.Start).Select(m => m.Start), exact.Select(m => m.Start));

            var collapsing = new List<PhraseMatch>();
            new PhraseMatcher(patterns, collapseRepeats: true).FindAll(text, collapsing);
            Assert.True(NaiveCollapsing(text, patterns).SetEquals(collapsing), $"collapsing: text '{text}' patterns [{string.Join(",", patterns)}]");
            Assert.Equal(collapsing.Count, collapsing.Distinct().Count());
            Assert.Equal(collapsing.OrderBy(m => m.Start).Select(m => m.Start), collapsing.Select(m => m.Start));
        }, iter: 300);
    }

    [Fact]
    public void ManyPatternsOverALargeAlphabet_MatchTheNaiveMatcher()
    {
        // 60 CJK characters, hundreds of patterns: long probe chains in the bigram table, wide nodes (binary search),
        // patterns that normalise alike (duplicates), with and without one-character patterns.
        var han = Gen.Char[(char)0x4E00, (char)(0x4E00 + 59)];
        var word = han.Array[1, 6].Select(a => new string(a));
        var text = han.Array[0, 3000].Select(a => new string(a));
        Gen.Select(word.List[1, 600], text, Gen.Bool).Sample((patterns, t, dropSingles) =>
        {
            var list = dropSingles ? patterns.Where(p => p.Length > 1).ToList() : patterns;
            var matches = new List<PhraseMatch>();
            new PhraseMatcher(list, collapseRepeats: false).FindAll(t, matches);
            var oracle = Naive(t, list);
            Assert.Equal(oracle.Count, matches.Count);
            Assert.True(oracle.SetEquals(matches));
        }, iter: 60);
    }

    [Fact]
    public void AWideNodeBelowTheFirstBigram_IsSearchedCorrectly()
    {
        // "ab" followed by 40 different characters: a depth-2 node with more children than a linear scan covers.
        var patterns = Enumerable.Range(0, 40).Select(k => "ab" + (char)(0x4E00 + (k * 7))).Append("ab").Append("b" + (char)0x4E00).ToList();
        var text = string.Concat(Enumerable.Range(0, 300).Select(k => "ab" + (char)(0x4E00 + (k % 290))));
        foreach (var collapse in new[] { false, true })
        {
            var matches = new List<PhraseMatch>();
            new PhraseMatcher(patterns, collapse).FindAll(text, matches);
            Assert.True(Naive(text, patterns).SetEquals(matches));
        }
    }

    [Fact]
    public void AllowListedOccurrences_SuppressOnlyTheHitsInsideThem()
    {
        var scanner = new PhraseScanner(["网传"], ["辟谣网传"], FoldOptions.All, collapseRepeats: true);
        var hits = new List<PhraseHit>();
        scanner.Scan("辟谣网传：网传消息不实", hits);
        var hit = Assert.Single(hits);
        Assert.Equal(5, hit.Start);
    }
}
