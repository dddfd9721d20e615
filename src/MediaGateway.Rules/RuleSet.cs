using MediaGateway.Rules.Text;

namespace MediaGateway.Rules;

/// <summary>The curated lists a rule set is built from (config/rules). Only the first two are required.</summary>
public sealed record RuleLists(WordList ConfidentialityMarkers, WordList SensitiveWords)
{
    /// <summary>Phrases inside which nothing is reported: published hotlines (12345, 0571-12345678), place names ….</summary>
    public WordList? AllowList { get; init; }

    /// <summary>Leader names and their current titles (错敏).</summary>
    public LeaderList? Leaders { get; init; }

    /// <summary>Wrong standard expressions (tag "expression") and common typos, as <c>wrong =&gt; right</c>.</summary>
    public WordList? Corrections { get; init; }
}

/// <summary>Runs every rule over every input and reports all findings (no short-circuit).</summary>
public sealed class RuleSet
{
    private readonly IReadOnlyList<IRule> _rules;
    private readonly PhraseScanner? _allowed;

    public RuleSet(IReadOnlyList<IRule> rules, string version)
        : this(rules, version, allowList: null)
    {
    }

    /// <param name="rules">The rules, run in order on every input.</param>
    /// <param name="version">The combined list version recorded with each review.</param>
    /// <param name="allowList">Phrases whose occurrences suppress any finding lying inside them.</param>
    public RuleSet(IReadOnlyList<IRule> rules, string version, WordList? allowList)
    {
        _rules = rules;
        Version = version;
        if (allowList is { Entries.Count: > 0 })
        {
            _allowed = new PhraseScanner(allowList.Entries.Select(e => e.Text).ToArray(), [], FoldOptions.All, collapseRepeats: false);
        }
    }

    /// <summary>The combined version of the lists behind the rules, recorded with each review.</summary>
    public string Version { get; }

    public IReadOnlyList<IRule> Rules => _rules;

    /// <summary>Evaluates without account context: links are not checked against an allow-list.</summary>
    public IReadOnlyList<Finding> Evaluate(IEnumerable<RuleInput> inputs) => Evaluate(inputs, RuleContext.None);

    /// <summary>
    /// Evaluates every input. <paramref name="context"/> applies to inputs that carry none of their own
    /// (<see cref="RuleInput.Context"/>), e.g. the allowed link domains of the item's target accounts.
    /// </summary>
    public IReadOnlyList<Finding> Evaluate(IEnumerable<RuleInput> inputs, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(context);
        var findings = new List<Finding>();
        var allowedSpans = new List<PhraseHit>();
        foreach (var raw in inputs)
        {
            var input = raw.Context is null ? raw with { Context = context } : raw;
            var first = findings.Count;
            var image = input.Image is not null;
            foreach (var rule in _rules)
            {
                if (rule.ChecksImages == image)
                {
                    rule.Check(input, findings);
                }
            }

            if (_allowed is not null && !image && findings.Count > first)
            {
                allowedSpans.Clear();
                _allowed.Scan(input.Text, allowedSpans);
                if (allowedSpans.Count > 0)
                {
                    for (var k = findings.Count - 1; k >= first; k--)
                    {
                        var f = findings[k];
                        if (allowedSpans.Any(a => a.Start <= f.Start && a.Start + a.Length >= f.Start + f.Length))
                        {
                            findings.RemoveAt(k);
                        }
                    }
                }
            }
        }

        return findings;
    }

    /// <summary>
    /// The rule set the gateway ships with only the two required lists: confidentiality markers (block; the item needs
    /// the secrecy reviewer, P6), the curated sensitive-expression list (severity per entry), and the list-free checks.
    /// </summary>
    public static RuleSet Create(WordList confidentialityMarkers, WordList sensitiveWords) =>
        Create(new RuleLists(confidentialityMarkers, sensitiveWords));

    /// <summary>The rule set the gateway ships, from all curated lists.</summary>
    public static RuleSet Create(RuleLists lists)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(lists.ConfidentialityMarkers);
        ArgumentNullException.ThrowIfNull(lists.SensitiveWords);
        var rules = new List<IRule>
        {
            new WordListRule("confidentiality-marker", lists.ConfidentialityMarkers,
                "含有密级标志“{0}”，涉密内容不得公开，须经保密审查 / Confidentiality marker \"{0}\": classified content must not be published; secrecy review required"),
            new WordListRule("sensitive-expression", lists.SensitiveWords,
                "含有敏感表述“{0}”，请核实并修改 / Sensitive expression \"{0}\": check and rephrase"),
            new IdNumberRule(),
            new MobileNumberRule(),
            new BankCardRule(),
            new LinkRule(),
            new PlatformLimitsRule(),
            new MediaLimitsRule(),
            new InvisibleCharacterRule(),
        };
        var version = $"{lists.ConfidentialityMarkers.Name}@{lists.ConfidentialityMarkers.Version}+{lists.SensitiveWords.Name}@{lists.SensitiveWords.Version}";
        if (lists.Leaders is { } leaders)
        {
            rules.Add(new LeaderTitleRule(leaders));
            version += $"+{leaders.Name}@{leaders.Version}";
        }

        if (lists.Corrections is { } corrections)
        {
            rules.Add(new CorrectionRule(corrections));
            version += $"+{corrections.Name}@{corrections.Version}";
        }

        if (lists.AllowList is { } allow)
        {
            version += $"+{allow.Name}@{allow.Version}";
        }

        return new RuleSet(rules, version, lists.AllowList);
    }
}
