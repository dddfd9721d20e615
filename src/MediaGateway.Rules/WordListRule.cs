using System.Globalization;
using MediaGateway.Rules.Text;

namespace MediaGateway.Rules;

/// <summary>
/// Finds every occurrence (overlapping included) of each list entry, after evasion folding (width, case, traditional
/// forms, inserted symbols, repeated characters, styled digits and letters), and reports it with offsets into the
/// ORIGINAL text. Severity and tag come from the entry.
/// </summary>
public sealed class WordListRule : IRule
{
    private readonly WordList _list;
    private readonly string _messageTemplate;
    private readonly PhraseScanner _scanner;

    /// <param name="id">The rule id reported with findings, e.g. "sensitive-expression".</param>
    /// <param name="list">The curated list.</param>
    /// <param name="messageTemplate">The reviewer's sentence; <c>{0}</c> is the list entry, <c>{1}</c> the text as written.</param>
    /// <param name="allowed">Phrases inside which a hit is not reported (e.g. a place name containing a listed word).</param>
    /// <param name="fold">The evasion folding; all of it by default.</param>
    /// <param name="collapseRepeats">Whether repeated characters are absorbed (法法轮 → 法轮).</param>
    public WordListRule(string id, WordList list, string messageTemplate, IReadOnlyList<string>? allowed = null,
        FoldOptions fold = FoldOptions.All, bool collapseRepeats = true)
    {
        ArgumentNullException.ThrowIfNull(list);
        Id = id;
        _list = list;
        _messageTemplate = messageTemplate;
        _scanner = new PhraseScanner(list.Entries.Select(e => e.Text).ToArray(), allowed ?? [], fold, collapseRepeats);
    }

    public string Id { get; }

    public void Check(RuleInput input, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findings);
        var hits = new List<PhraseHit>();
        _scanner.Scan(input.Text, hits);
        foreach (var hit in hits)
        {
            var entry = _list.Entries[hit.Entry];
            var matched = input.Text.Substring(hit.Start, hit.Length);
            findings.Add(new Finding
            {
                RuleId = Id,
                Severity = entry.Severity,
                Field = input.Field,
                Matched = matched,
                Start = hit.Start,
                Length = hit.Length,
                Source = $"{_list.Name}@{_list.Version}:{entry.Text}",
                Message = string.Format(CultureInfo.InvariantCulture, _messageTemplate, entry.Text, matched),
                Tag = entry.Tag,
            });
        }
    }
}
