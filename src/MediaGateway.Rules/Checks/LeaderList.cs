namespace MediaGateway.Rules;

/// <summary>One curated leader: a name and the titles currently right for it.</summary>
public sealed record LeaderEntry(string Name, IReadOnlyList<string> Titles, Severity Severity);

/// <summary>
/// The curated list of leader names and their current titles (错敏). Line formats:
/// <c>name = title, title [| severity]</c> for a person, <c>titles: title, title</c> for further titles to recognise
/// (so that a wrong one next to a name is noticed). <c>#</c> starts a comment.
/// </summary>
public sealed record LeaderList(string Name, string Version, IReadOnlyList<LeaderEntry> Leaders, IReadOnlyList<string> Titles)
{
    public static LeaderList Empty { get; } = new("leaders", "empty", [], []);

    public static LeaderList Parse(string name, string text, Severity defaultSeverity = Severity.Block)
    {
        ArgumentNullException.ThrowIfNull(text);
        var leaders = new List<LeaderEntry>();
        var titles = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("titles:", StringComparison.OrdinalIgnoreCase))
            {
                titles.AddRange(SplitTitles(line["titles:".Length..]));
                continue;
            }

            var parts = line.Split('|', StringSplitOptions.TrimEntries);
            var severity = defaultSeverity;
            if (parts.Length > 1 && parts[1].Length > 0 && !Enum.TryParse(parts[1], ignoreCase: true, out severity))
            {
                throw new FormatException($"{name}: line {lineNumber}: unknown severity '{parts[1]}' (expected block, flag or info)");
            }

            var eq = parts[0].IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"{name}: line {lineNumber}: expected 'name = title, title' or 'titles: title, title'");
            }

            var person = parts[0][..eq].Trim();
            var own = SplitTitles(parts[0][(eq + 1)..]);
            if (person.Length == 0 || own.Count == 0)
            {
                throw new FormatException($"{name}: line {lineNumber}: a leader needs a name and at least one title");
            }

            leaders.Add(new LeaderEntry(person, own, severity));
            titles.AddRange(own);
        }

        var version = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 6));
        return new LeaderList(name, version, leaders, titles.Distinct(StringComparer.Ordinal).ToArray());
    }

    private static List<string> SplitTitles(string s) =>
        s.Split([',', '，', '、'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
}
