namespace MediaGateway.Rules;

/// <summary>
/// One entry of a curated list: the expression, its severity and an optional tag. Correction lists (错敏) also carry
/// what the expression should read: written <c>wrong =&gt; right</c> in the expression column.
/// </summary>
public sealed record WordListEntry(string Text, Severity Severity, string? Tag)
{
    public string? Replacement { get; init; }
}

/// <summary>
/// A named, versioned word list as curated in config/rules/*.txt.
/// Line format: <c>expression [| severity [| tag]]</c>; <c>#</c> starts a comment; blank lines are ignored;
/// an expression <c>wrong =&gt; right</c> gives the entry a <see cref="WordListEntry.Replacement"/>.
/// </summary>
public sealed record WordList(string Name, string Version, IReadOnlyList<WordListEntry> Entries)
{
    public static WordList Parse(string name, string text, Severity defaultSeverity)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<WordListEntry>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('|', StringSplitOptions.TrimEntries);
            var severity = defaultSeverity;
            if (parts.Length > 1 && parts[1].Length > 0 && !Enum.TryParse(parts[1], ignoreCase: true, out severity))
            {
                throw new FormatException($"{name}: line {lineNumber}: unknown severity '{parts[1]}' (expected block, flag or info)");
            }

            if (parts[0].Length == 0)
            {
                throw new FormatException($"{name}: line {lineNumber}: empty expression");
            }

            var expression = parts[0];
            string? replacement = null;
            var arrow = expression.IndexOf("=>", StringComparison.Ordinal);
            if (arrow >= 0)
            {
                replacement = expression[(arrow + 2)..].Trim();
                expression = expression[..arrow].Trim();
                if (expression.Length == 0 || replacement.Length == 0)
                {
                    throw new FormatException($"{name}: line {lineNumber}: a correction needs both sides of '=>'");
                }
            }

            entries.Add(new WordListEntry(expression, severity, parts.Length > 2 && parts[2].Length > 0 ? parts[2] : null) { Replacement = replacement });
        }

        return new WordList(name, Version: ContentVersion(text), entries);
    }

    /// <summary>A short content hash: the list version recorded with every review.</summary>
    private static string ContentVersion(string text)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }
}
