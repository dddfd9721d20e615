using MediaGateway.Publishing;
using MediaGateway.Rules;

namespace MediaGateway.Content;

/// <summary>A content item as the API shows it: its review state, every rule finding and each publication's outcome.</summary>
public sealed record ContentView
{
    public required string Id { get; init; }
    public required int Revision { get; init; }
    public required string Title { get; init; }
    public string? Summary { get; init; }
    public string? Author { get; init; }
    public required string Body { get; init; }
    public Rendering.BodyFormat? BodyFormat { get; init; }
    public string? Link { get; init; }
    public string? CoverMediaId { get; init; }
    public required IReadOnlyList<string> Targets { get; init; }
    public required ContentCategory Category { get; init; }
    public string? DocumentNumber { get; init; }
    public DateOnly? IssuedOn { get; init; }
    public string? InterpretedDocument { get; init; }
    public DateTimeOffset? ActivityEndsAt { get; init; }
    public DateTimeOffset? PublishAt { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required ContentStatus Status { get; init; }
    /// <summary>The level awaited while in review (1 初审, 2 审核, … the last is 审发).</summary>
    public int? AwaitingLevel { get; init; }
    /// <summary>How many levels this item's review has (the longest chain among its accounts, at least 3).</summary>
    public int RequiredLevels { get; init; }
    public required IReadOnlyDictionary<string, string> Fingerprints { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }
    public required string RulesVersion { get; init; }
    public required IReadOnlyList<ReviewRecord> Reviews { get; init; }
    public required IReadOnlyList<PublicationView> Publications { get; init; }
    public IReadOnlyList<string> Agencies { get; init; } = [];
    public IReadOnlyList<AgencyConfirmation> AgencyConfirmations { get; init; } = [];
    public bool Sensitive { get; init; }
    public Consultation? Consultation { get; init; }
    public SecrecyClearance? SecrecyClearance { get; init; }
    public DateTimeOffset? RevisedAt { get; init; }
    public string? WithdrawReason { get; init; }
    public Retraction? Retraction { get; init; }
    /// <summary>What the caller may do next (approve, reject, revise, withdraw, confirm-agency, record-consultation); on GET of one item.</summary>
    public IReadOnlyList<string>? AllowedActions { get; init; }
    /// <summary>In the answer to a submission only: what rendering changed (removed markup, a shortened summary), per account.</summary>
    public IReadOnlyList<string>? Notices { get; init; }
    /// <summary>P10–P13: the deadline under the item's rule, the time left and who holds the item now (null when its category has no rule).</summary>
    public Deadlines.DeadlineView? Deadline { get; init; }

    public static ContentView From(ContentItem item, IReadOnlyList<Publication> publications) => new()
    {
        Id = item.Id, Revision = item.Revision, Title = item.Title, Summary = item.Summary, Author = item.Author,
        Body = item.Body, BodyFormat = item.BodyFormat, Link = item.Link, CoverMediaId = item.CoverMediaId, Targets = item.Targets, Category = item.Category,
        DocumentNumber = item.DocumentNumber, IssuedOn = item.IssuedOn, InterpretedDocument = item.InterpretedDocument, ActivityEndsAt = item.ActivityEndsAt,
        PublishAt = item.PublishAt, CreatedBy = item.CreatedBy, CreatedAt = item.CreatedAt, Status = item.Status,
        AwaitingLevel = item.Status == ContentStatus.InReview ? item.NextReviewLevel : null, RequiredLevels = item.RequiredLevels,
        Fingerprints = item.Fingerprints, Findings = item.Findings, RulesVersion = item.RulesVersion, Reviews = item.Reviews,
        Publications = publications.Select(PublicationView.From).ToList(),
        Agencies = item.Agencies, AgencyConfirmations = item.AgencyConfirmations, Sensitive = item.Sensitive,
        Consultation = item.Consultation, SecrecyClearance = item.SecrecyClearance, RevisedAt = item.RevisedAt, WithdrawReason = item.WithdrawReason, Retraction = item.Retraction,
    };
}

/// <summary>One publication's state and outcome: the platform id and URL, or the failure in plain words.</summary>
public sealed record PublicationView(string Id, string AccountId, string Platform, PublicationState State, int Attempts,
    DateTimeOffset? DueAt, string? PlatformId, string? Url, DateTimeOffset? PublishedAt, PublicationError? Error,
    RetractionState? Retraction, DateTimeOffset? RetractedAt, IReadOnlyList<PublicationHistoryEntry> History,
    PublishLane Lane, DateTimeOffset? ScheduledFor, DateTimeOffset? DeadLetteredAt, bool CanRedrive,
    PublicationDecision? Decision, PublicationWait? Waiting)
{
    public static PublicationView From(Publication p) => new(p.Id, p.AccountId, p.Platform.ToString(), p.State, p.Attempts,
        p.DueAt, p.PlatformId, p.Url, p.PublishedAt, p.Error, p.Retraction, p.RetractedAt, p.History,
        p.Lane, p.ScheduledFor, p.DeadLetteredAt, p.CanRedrive, p.Decision, p.Waiting);
}
