namespace MediaGateway.Rules;

/// <summary>Runs every rule over every input and reports all findings (no short-circuit).</summary>
public sealed class RuleSet
{
    private readonly IReadOnlyList<IRule> _rules;

    public RuleSet(IReadOnlyList<IRule> rules, string version)
    {
        _rules = rules;
        Version = version;
    }

    /// <summary>The combined version of the lists behind the rules, recorded with each review.</summary>
    public string Version { get; }

    public IReadOnlyList<Finding> Evaluate(IEnumerable<RuleInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var findings = new List<Finding>();
        foreach (var input in inputs)
        {
            foreach (var rule in _rules)
            {
                rule.Check(input, findings);
            }
        }

        return findings;
    }

    /// <summary>
    /// The rule set the gateway ships: confidentiality markers (block; the item needs the secrecy
    /// reviewer, P6) and the curated sensitive-expression list (severity per entry).
    /// </summary>
    public static RuleSet Create(WordList confidentialityMarkers, WordList sensitiveWords)
    {
        ArgumentNullException.ThrowIfNull(confidentialityMarkers);
        ArgumentNullException.ThrowIfNull(sensitiveWords);
        var rules = new IRule[]
        {
            new WordListRule("confidentiality-marker", confidentialityMarkers,
                "含有密级标志“{0}”，涉密内容不得公开，须经保密审查 / Confidentiality marker \"{0}\": classified content must not be published; secrecy review required"),
            new WordListRule("sensitive-expression", sensitiveWords,
                "含有敏感表述“{0}”，请核实并修改 / Sensitive expression \"{0}\": check and rephrase"),
        };
        return new RuleSet(rules, $"{confidentialityMarkers.Name}@{confidentialityMarkers.Version}+{sensitiveWords.Name}@{sensitiveWords.Version}");
    }
}
