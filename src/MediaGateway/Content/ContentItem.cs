using MediaGateway.Content.Rendering;
using MediaGateway.Rules;

namespace MediaGateway.Content;

/// <summary>What kind of information an item is; deadlines (P10–P13) hang on it in issue 8.</summary>
internal enum ContentCategory
{
    NormativeDocument,
    LivelihoodActivity,
    PolicyInterpretation,
    News,
    Emergency,
    /// <summary>P2: the public notice that an account will close; closing requires one published on it.</summary>
    ClosureNotice,
    Other,
}

internal enum ContentStatus
{
    /// <summary>Automated rules found something that blocks approval; the text must change.</summary>
    ChangesRequired,
    /// <summary>Waiting at review level <see cref="ContentItem.NextReviewLevel"/>.</summary>
    InReview,
    Rejected,
    /// <summary>All three levels approved; publications are queued.</summary>
    Approved,
    /// <summary>Withdrawn by its department before publishing.</summary>
    Withdrawn,
}

internal enum ReviewDecision
{
    Approve,
    Reject,
}

internal enum RetractionStatus
{
    Requested,
    Approved,
    Rejected,
}

/// <summary>A request to take a published item down, reviewed at the sign-off level.</summary>
internal sealed record Retraction
{
    public required string Reason { get; init; }
    public required string RequestedBy { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    public RetractionStatus Status { get; init; } = RetractionStatus.Requested;
    public string? DecidedBy { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string? Comment { get; init; }
}

/// <summary>P6: the secrecy reviewer's clearance of confidentiality-marker findings (e.g. "本文不是内部资料").</summary>
internal sealed record SecrecyClearance(string ClearedBy, DateTimeOffset At, string Comment, IReadOnlyList<string> Matches);

/// <summary>P8: an involved agency's confirmation, recorded by its liaison.</summary>
internal sealed record AgencyConfirmation(string Agency, string ConfirmedBy, string? Note, DateTimeOffset At);

/// <summary>P9: the consultation with related units about a sensitive item.</summary>
internal sealed record Consultation(string Units, string Summary, string RecordedBy, DateTimeOffset At);

/// <summary>One reviewer's decision at one level, bound to the fingerprints the reviewer saw.</summary>
internal sealed record ReviewRecord
{
    public required int Level { get; init; }
    public required string ReviewerId { get; init; }
    public required string ReviewerName { get; init; }
    public required ReviewDecision Decision { get; init; }
    public string? Comment { get; init; }
    /// <summary>P6: the reviewer attests the secrecy check was done.</summary>
    public required bool SecrecyAttested { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>
    /// The fingerprints the reviewer saw, when they are not the item's own: null means the item's
    /// <see cref="ContentItem.Fingerprints"/>, which a decision is only recorded against (it is refused when the reviewer
    /// saw others) and which never change within a revision (a new revision starts with no reviews). An item for 200
    /// accounts kept the same 17 KB once per review; records written before carry their copy.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Fingerprints { get; init; }
    /// <summary>The rule lists in force when the decision was made.</summary>
    public string? RulesVersion { get; init; }
    /// <summary>Indexes into the item's findings of the flag-level findings this reviewer acknowledged.</summary>
    public IReadOnlyList<int> AcknowledgedFindings { get; init; } = [];
}

/// <summary>A content item as stored (one JSON document in Redis). Revision editing comes with issue 4.</summary>
internal sealed record ContentItem
{
    public required string Id { get; init; }
    public required int Revision { get; init; }
    public required string Title { get; init; }
    public string? Summary { get; init; }
    public string? Author { get; init; }
    /// <summary>Markdown or HTML (<see cref="BodyFormat"/>). Images as <c>![alt](media:ID)</c> or <c>&lt;img src="media:ID"&gt;</c>.</summary>
    public required string Body { get; init; }
    /// <summary>How <see cref="Body"/> is written; null = detected from the text.</summary>
    public BodyFormat? BodyFormat { get; init; }
    /// <summary>The item's page on the organisation's site: WeChat "read original", the Weibo post's link.</summary>
    public string? Link { get; init; }
    public string? CoverMediaId { get; init; }
    /// <summary>The Weibo post's own text and pictures (decision 45); null = "【title】summary link" with the cover.</summary>
    public WeiboVariant? Weibo { get; init; }
    /// <summary>The WeChat article's original link and comment setting (decision 45); null = the item's link, comments closed.</summary>
    public WeChatOptions? WeChat { get; init; }
    public required IReadOnlyList<string> Targets { get; init; }
    public required ContentCategory Category { get; init; }
    public string? DocumentNumber { get; init; }
    public DateOnly? IssuedOn { get; init; }
    public string? InterpretedDocument { get; init; }
    public DateTimeOffset? ActivityEndsAt { get; init; }
    /// <summary>Publish at this time; null = as soon as approved.</summary>
    public DateTimeOffset? PublishAt { get; init; }
    /// <summary>Per target account, the posting slot resolved at submission ("next free slot"); overrides <see cref="PublishAt"/> for that account.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset>? SlotTimes { get; init; }

    /// <summary>When this item is to go out on <paramref name="accountId"/>: its resolved slot there, else publishAt; null = once approved.</summary>
    public DateTimeOffset? ScheduledFor(string accountId) =>
        SlotTimes is { } slots && slots.TryGetValue(accountId, out var at) ? at : PublishAt;
    /// <summary>P8: agencies that must confirm before release.</summary>
    public IReadOnlyList<string> Agencies { get; init; } = [];
    public IReadOnlyList<AgencyConfirmation> AgencyConfirmations { get; init; } = [];
    /// <summary>P9: a major sensitive matter; needs a recorded consultation before release.</summary>
    public bool Sensitive { get; init; }
    public Consultation? Consultation { get; init; }
    public SecrecyClearance? SecrecyClearance { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? RevisedAt { get; init; }
    /// <summary>Everyone who wrote or revised the item: none of them may review it (P5).</summary>
    public IReadOnlyList<string> Editors { get; init; } = [];
    public string? RevisedBy { get; init; }
    public string? WithdrawnBy { get; init; }
    public string? WithdrawReason { get; init; }
    /// <summary>The latest retraction request, if any.</summary>
    public Retraction? Retraction { get; init; }
    public required string Department { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required ContentStatus Status { get; init; }
    /// <summary>Per target account: SHA-256 of the payload rendered for it. Approval binds to these.</summary>
    public required IReadOnlyDictionary<string, string> Fingerprints { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }
    public required string RulesVersion { get; init; }
    public IReadOnlyList<ReviewRecord> Reviews { get; init; } = [];

    public const string ConfidentialityRuleId = "confidentiality-marker";

    /// <summary>A confidentiality finding the secrecy reviewer cleared for this revision.</summary>
    public bool IsCleared(Finding f) =>
        f.RuleId == ConfidentialityRuleId && SecrecyClearance is { } clearance && clearance.Matches.Contains(ClearanceKey(f));

    public static string ClearanceKey(Finding f) => $"{f.Field}:{f.Start}:{f.Matched}";

    /// <summary>Block-level findings still in force (cleared confidentiality markers no longer block).</summary>
    public IEnumerable<Finding> BlockingFindings => Findings.Where(f => f.Severity == Severity.Block && !IsCleared(f));

    public bool WasEditedBy(string userId) => CreatedBy == userId || RevisedBy == userId || Editors.Contains(userId);

    /// <summary>The level whose decision is awaited: 1 初审, 2 审核, 3 审发.</summary>
    public int NextReviewLevel => Reviews.Count(r => r.Decision == ReviewDecision.Approve) + 1;

    /// <summary>P5: the minimum chain (初审, 审核, 审发); accounts may require more levels (Accounts:{id}:ReviewLevels).</summary>
    public const int MinimumReviewLevels = 3;

    public const int MaximumReviewLevels = 5;

    /// <summary>How many levels this item's review has: the longest chain among its target accounts.</summary>
    public int RequiredLevels { get; init; } = MinimumReviewLevels;

    /// <summary>The name of a level in a chain of <paramref name="levels"/>: the first is 初审, the second 审核, the last always 审发.</summary>
    public static string LevelName(int level, int levels = MinimumReviewLevels) =>
        level == levels ? "审发 (sign-off for release)"
        : level == 1 ? "初审 (initial review)"
        : level == 2 ? "审核 (department review)"
        : $"复审 (additional review {level})";
}
