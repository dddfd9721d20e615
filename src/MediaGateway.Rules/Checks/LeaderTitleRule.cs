using MediaGateway.Rules.Text;

namespace MediaGateway.Rules;

/// <summary>
/// 错敏: a curated leader's name written right next to a title that is not one of their current titles
/// (副市长 for the mayor, 市长 for a deputy mayor). Only a title immediately before or after the name counts
/// (spaces allowed); the longest such title on each side is the one judged.
/// </summary>
public sealed class LeaderTitleRule : IRule
{
    private readonly LeaderList _list;
    private readonly PhraseScanner _scanner;
    private readonly int _leaderCount;

    public LeaderTitleRule(LeaderList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        _list = list;
        _leaderCount = list.Leaders.Count;
        var phrases = list.Leaders.Select(l => l.Name).Concat(list.Titles).ToArray();
        _scanner = new PhraseScanner(phrases, [], FoldOptions.Width | FoldOptions.Case | FoldOptions.Traditional, collapseRepeats: false);
    }

    public string Id => "leader-title";

    public void Check(RuleInput input, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findings);
        if (_leaderCount == 0)
        {
            return;
        }

        var hits = new List<PhraseHit>();
        _scanner.Scan(input.Text, hits);
        var titles = hits.Where(h => h.Entry >= _leaderCount).ToList();
        foreach (var name in hits.Where(h => h.Entry < _leaderCount))
        {
            var leader = _list.Leaders[name.Entry];
            var before = Longest(titles.Where(t => Adjacent(input.Text, t.Start + t.Length, name.Start)));
            var after = Longest(titles.Where(t => Adjacent(input.Text, name.Start + name.Length, t.Start)));
            foreach (var title in new[] { before, after })
            {
                if (title is not { } t)
                {
                    continue;
                }

                var written = input.Text.Substring(t.Start, t.Length);
                var canonical = _list.Titles[t.Entry - _leaderCount];
                if (IsRight(canonical, leader.Titles))
                {
                    continue;
                }

                var start = Math.Min(t.Start, name.Start);
                var end = Math.Max(t.Start + t.Length, name.Start + name.Length);
                var rightTitles = string.Join("、", leader.Titles);
                findings.Add(new Finding
                {
                    RuleId = Id,
                    Severity = leader.Severity,
                    Field = input.Field,
                    Matched = input.Text[start..end],
                    Start = start,
                    Length = end - start,
                    Source = $"{_list.Name}@{_list.Version}:{leader.Name}",
                    Message = $"领导职务有误：{leader.Name}的现任职务为“{rightTitles}”，文中写作“{written}” / Wrong title for {leader.Name}: current title \"{rightTitles}\", the text says \"{written}\"",
                });
            }
        }
    }

    /// <summary>A title is right if it is one of the leader's titles or a short form of one that drops no "副" (deputy).</summary>
    internal static bool IsRight(string title, IReadOnlyList<string> own) =>
        own.Any(o => o == title
                     || (o.EndsWith(title, StringComparison.Ordinal) && (o.Contains('副', StringComparison.Ordinal) == title.Contains('副', StringComparison.Ordinal))));

    private static bool Adjacent(string text, int end, int start)
    {
        if (end > start)
        {
            return false;
        }

        for (var k = end; k < start; k++)
        {
            if (!char.IsWhiteSpace(text[k]))
            {
                return false;
            }
        }

        return true;
    }

    private static PhraseHit? Longest(IEnumerable<PhraseHit> hits)
    {
        PhraseHit? best = null;
        foreach (var h in hits)
        {
            if (best is null || h.Length > best.Value.Length)
            {
                best = h;
            }
        }

        return best;
    }
}
