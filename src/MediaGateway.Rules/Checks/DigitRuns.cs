using System.Text;
using MediaGateway.Rules.Text;

namespace MediaGateway.Rules;

/// <summary>A group of digits in the original text (full-width and circled digits folded), with its original span.</summary>
internal readonly record struct DigitGroup(int Start, int End, string Digits, bool JoinsPrevious);

/// <summary>A candidate number: consecutive groups joined by separators (space, hyphen, dot), as folded digits.</summary>
internal readonly record struct NumberCandidate(int Start, int End, string Digits);

/// <summary>
/// Finds digit groups in a text and offers every window of consecutive groups (joined by at most two separator
/// characters) as a candidate number: "+86 138-0013-8000", "１３８００１３８０００", "①③⑧…". Digits glued to Latin
/// letters (codes such as 91350100M000100Y43) are not numbers. A trailing x/X is kept on a group (ID check character).
/// </summary>
internal static class DigitRuns
{
    private static readonly TextNormalizer Fold = TextNormalizer.For(FoldOptions.Width | FoldOptions.Case);

    public static List<DigitGroup> Groups(string text)
    {
        var groups = new List<DigitGroup>();
        var i = 0;
        var lastEnd = -1;
        while (i < text.Length)
        {
            if (!IsDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var digits = new StringBuilder();
            while (i < text.Length && IsDigit(text[i]))
            {
                digits.Append(Folded(text[i]));
                i++;
            }

            if (i < text.Length && Folded(text[i]) == 'x' && (i + 1 >= text.Length || !IsLetterOrDigit(text[i + 1])))
            {
                digits.Append('x');
                i++;
            }

            var glued = (start > 0 && IsLatinLetter(text[start - 1])) || (i < text.Length && IsLatinLetter(text[i]));
            if (glued)
            {
                lastEnd = -1;
                continue;
            }

            var joins = lastEnd >= 0 && start - lastEnd <= 2 && AllSeparators(text, lastEnd, start) && groups[^1].Digits[^1] != 'x';
            groups.Add(new DigitGroup(start, i, digits.ToString(), joins));
            lastEnd = i;
        }

        return groups;
    }

    /// <summary>
    /// Scans left to right; at each group, the longest window accepted by <paramref name="accept"/> wins and the scan
    /// continues after it, so one number is reported once.
    /// </summary>
    public static IEnumerable<NumberCandidate> Accepted(string text, Func<NumberCandidate, bool> accept, int maxDigits = 24)
    {
        var groups = Groups(text);
        var g = 0;
        while (g < groups.Count)
        {
            // The chain of groups joined to g.
            var last = g;
            var total = groups[g].Digits.Length;
            while (last + 1 < groups.Count && groups[last + 1].JoinsPrevious && total + groups[last + 1].Digits.Length <= maxDigits)
            {
                last++;
                total += groups[last].Digits.Length;
            }

            NumberCandidate? found = null;
            var foundLast = g;
            for (var end = last; end >= g && found is null; end--)
            {
                var digits = string.Concat(groups.Skip(g).Take(end - g + 1).Select(x => x.Digits));
                var candidate = new NumberCandidate(groups[g].Start, groups[end].End, digits);
                if (accept(candidate))
                {
                    found = candidate;
                    foundLast = end;
                }
            }

            if (found is { } f)
            {
                yield return f;
                g = foundLast + 1;
            }
            else
            {
                g++;
            }
        }
    }

    /// <summary>Whether one of <paramref name="words"/> occurs within <paramref name="window"/> characters before <paramref name="start"/>.</summary>
    public static bool ContextBefore(string text, int start, int window, IEnumerable<string> words)
    {
        var from = Math.Max(0, start - window);
        var before = text.AsSpan(from, start - from);
        foreach (var w in words)
        {
            if (before.Contains(w, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static char Folded(char c) => Fold.FoldChar(c) ?? c;

    private static bool IsDigit(char c) => Folded(c) is >= '0' and <= '9';

    private static bool IsLatinLetter(char c) => Folded(c) is >= 'a' and <= 'z';

    private static bool IsLetterOrDigit(char c) => IsDigit(c) || IsLatinLetter(c);

    private static bool AllSeparators(string text, int from, int to)
    {
        for (var k = from; k < to; k++)
        {
            if (Folded(text[k]) is not (' ' or '-' or '.' or '\u00A0'))
            {
                return false;
            }
        }

        return true;
    }
}
