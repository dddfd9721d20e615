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
    /// <summary>Which field of the item the text came from: "title", "summary", "body", "weibo:ACCOUNT".</summary>
    public required string Field { get; init; }
    public required string Matched { get; init; }
    public required int Start { get; init; }
    public required int Length { get; init; }
    /// <summary>The list and entry the match came from, e.g. "confidentiality-markers:机密".</summary>
    public required string Source { get; init; }
    /// <summary>A sentence a reviewer understands, Chinese first.</summary>
    public required string Message { get; init; }
}

/// <summary>One piece of text to check, named by the field it came from.</summary>
public sealed record RuleInput(string Field, string Text);
