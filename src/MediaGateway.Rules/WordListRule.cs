namespace MediaGateway.Rules;

/// <summary>
/// Finds every occurrence (overlapping included) of each list entry in the text, ordinal and
/// case-insensitive for Latin letters. This is the plain first matcher; the normalising,
/// evasion-aware engine with original offsets replaces it (issue 5) behind the same contract.
/// </summary>
public sealed class WordListRule : IRule
{
    private readonly WordList _list;
    private readonly string _messageTemplate;

    /// <param name="id">The rule id reported with findings, e.g. "sensitive-words".</param>
    /// <param name="list">The curated list.</param>
    /// <param name="messageTemplate">The reviewer's sentence; <c>{0}</c> is the matched text.</param>
    public WordListRule(string id, WordList list, string messageTemplate)
    {
        Id = id;
        _list = list;
        _messageTemplate = messageTemplate;
    }

    public string Id { get; }

    public void Check(RuleInput input, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findings);
        foreach (var entry in _list.Entries)
        {
            var from = 0;
            while (from < input.Text.Length)
            {
                var at = input.Text.IndexOf(entry.Text, from, StringComparison.OrdinalIgnoreCase);
                if (at < 0)
                {
                    break;
                }

                findings.Add(new Finding
                {
                    RuleId = Id,
                    Severity = entry.Severity,
                    Field = input.Field,
                    Matched = input.Text.Substring(at, entry.Text.Length),
                    Start = at,
                    Length = entry.Text.Length,
                    Source = $"{_list.Name}@{_list.Version}:{entry.Text}",
                    Message = string.Format(System.Globalization.CultureInfo.InvariantCulture, _messageTemplate, entry.Text),
                });
                from = at + 1;
            }
        }
    }
}
