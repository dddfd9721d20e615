namespace MediaGateway.Rules;

/// <summary>How much a finding weighs in review (review-rules.md).</summary>
public enum Severity
{
    /// <summary>For the reviewer's information.</summary>
    Info,
    /// <summary>The reviewer must acknowledge it.</summary>
    Flag,
    /// <summary>The item cannot be approved until the text is fixed.</summary>
    Block,
}

/// <summary>
/// One thing a rule found. <see cref="Start"/> and <see cref="Length"/> are UTF-16 offsets into the
/// field's original text, so a reviewer's screen can highlight it in place.
/// </summary>
public sealed record Finding
{
    public required string RuleId { get; init; }
    public required Severity Severity { get; init; }
    /// <summary>Which field of the item the text came from: "title", "summary", "body", "weibo:ACCOUNT", "coverMediaId".</summary>
    public required string Field { get; init; }
    public required string Matched { get; init; }
    public required int Start { get; init; }
    public required int Length { get; init; }
    /// <summary>The list and entry the match came from, e.g. "confidentiality-markers:机密".</summary>
    public required string Source { get; init; }
    /// <summary>A sentence a reviewer understands, Chinese first.</summary>
    public required string Message { get; init; }
    /// <summary>The list entry's tag (e.g. "rumour", "expression"), when it has one.</summary>
    public string? Tag { get; init; }
}

/// <summary>One piece of text to check, named by the field it came from.</summary>
public sealed record RuleInput(string Field, string Text)
{
    /// <summary>
    /// What the rules need to know about where this text goes (e.g. the target account's allowed link domains).
    /// When null, the context passed to <see cref="RuleSet.Evaluate(IEnumerable{RuleInput}, RuleContext)"/> applies.
    /// </summary>
    public RuleContext? Context { get; init; }

    /// <summary>
    /// An image this input stands for (the field's text is where it is referenced): only image rules
    /// (<see cref="IRule.ChecksImages"/>) check it.
    /// </summary>
    public ImageFacts? Image { get; init; }
}

/// <summary>Per-item (or per-account) facts the rules check against.</summary>
public sealed record RuleContext
{
    /// <summary>No account known: links are still checked for short links, punycode and user@host tricks, not against an allow-list.</summary>
    public static RuleContext None { get; } = new();

    /// <summary>
    /// The account's allowed link domains (suffix match on a label boundary: <c>gov.cn</c> allows <c>www.gov.cn</c>,
    /// not <c>evilgov.cn</c>). Null: the allow-list is not checked. Empty: every link is reported.
    /// </summary>
    public IReadOnlyList<string>? AllowedLinkDomains { get; init; }

    /// <summary>The target account's name, for messages that concern one account (e.g. its platform's image limits).</summary>
    public string? AccountName { get; init; }

    /// <summary>The Weibo account may post #话题# (its app was granted them; decision 45): a topic is then no finding.</summary>
    public bool WeiboTopicsAllowed { get; init; }
}
