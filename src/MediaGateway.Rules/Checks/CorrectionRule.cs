using MediaGateway.Rules.Text;

namespace MediaGateway.Rules;

/// <summary>
/// 错敏 checks from a correction list (<c>wrong =&gt; right | severity | tag</c>): wrong standard political expressions
/// (tag <c>expression</c>, rule id "wrong-expression") and common typos (any other tag, rule id "typo").
/// Matched with width and case folding only: punctuation matters here (中共中央国务院 vs 中共中央、国务院).
/// </summary>
public sealed class CorrectionRule : IRule
{
    public const string ExpressionTag = "expression";

    private readonly WordList _list;
    private readonly PhraseScanner _scanner;

    public CorrectionRule(WordList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        _list = list;
        _scanner = new PhraseScanner(list.Entries.Select(e => e.Text).ToArray(), [], FoldOptions.Width | FoldOptions.Case, collapseRepeats: false);
    }

    public string Id => "corrections";

    public void Check(RuleInput input, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findings);
        var hits = new List<PhraseHit>();
        _scanner.Scan(input.Text, hits);
        foreach (var hit in hits)
        {
            var entry = _list.Entries[hit.Entry];
            var right = entry.Replacement;
            var matched = input.Text.Substring(hit.Start, hit.Length);
            var isExpression = string.Equals(entry.Tag, ExpressionTag, StringComparison.OrdinalIgnoreCase);
            if (right is not null && ContainsAt(input.Text, hit.Start, hit.Length, right))
            {
                continue; // the text already reads the right form (e.g. the right form extends the wrong one)
            }

            findings.Add(new Finding
            {
                RuleId = isExpression ? "wrong-expression" : "typo",
                Severity = entry.Severity,
                Field = input.Field,
                Matched = matched,
                Start = hit.Start,
                Length = hit.Length,
                Source = $"{_list.Name}@{_list.Version}:{entry.Text}",
                Message = isExpression
                    ? $"规范表述有误：“{matched}”应为“{right}” / Non-standard expression \"{matched}\": the standard form is \"{right}\""
                    : $"疑似错别字：“{matched}”应为“{right}” / Likely typo \"{matched}\": should read \"{right}\"",
                Tag = entry.Tag,
            });
        }
    }

    /// <summary>Whether an occurrence of <paramref name="right"/> in the text covers the hit [start, start+length).</summary>
    private static bool ContainsAt(string text, int start, int length, string right)
    {
        var from = Math.Max(0, start + length - right.Length);
        var to = Math.Min(start, text.Length - right.Length);
        for (var s = from; s <= to; s++)
        {
            if (string.CompareOrdinal(text, s, right, 0, right.Length) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
