using MediaGateway.Publishing;
using MediaGateway.Rules;

namespace MediaGateway.Content;

/// <summary>A content item as the API shows it: its review state, every rule finding and each publication's outcome.</summary>
internal sealed record ContentView
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
    /// <summary>The Weibo post's own text and pictures (decision 45), when the item has them.</summary>
    public WeiboVariant? Weibo { get; init; }
    /// <summary>The WeChat article's original link and comment setting (decision 45), when the item has them.</summary>
    public WeChatOptions? WeChat { get; init; }
    public required IReadOnlyList<string> Targets { get; init; }
    public required ContentCategory Category { get; init; }
    public string? DocumentNumber { get; init; }
    public DateOnly? IssuedOn { get; init; }
    public string? InterpretedDocument { get; init; }
    public DateTimeOffset? ActivityEndsAt { get; init; }
    public DateTimeOffset? PublishAt { get; init; }
    /// <summary>Per account, the posting slot resolved at submission when the operator asked for the next free one (<c>slot: nextFree</c>).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset>? SlotTimes { get; init; }
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
    /// <summary>
    /// The item's publications in one line ("部分发布（1/2）· 发布失败 1"), with each account's status; null while
    /// there is no publication. Also in the list (GET /api/content), which carries no publications.
    /// </summary>
    public PublicationRollup? PublicationStatus { get; init; }

    /// <param name="now">Only for the wording of times in the status lines (a time today reads "14:05").</param>
    public static ContentView From(ContentItem item, IReadOnlyList<Publication> publications, DateTimeOffset now) => From(item, publications, publications, now);

    /// <summary>The item with <paramref name="shown"/> listed and the roll-up of <paramref name="all"/> (the list shows none but rolls them up).</summary>
    public static ContentView From(ContentItem item, IReadOnlyList<Publication> shown, IReadOnlyList<Publication> all, DateTimeOffset now) => new()
    {
        Id = item.Id, Revision = item.Revision, Title = item.Title, Summary = item.Summary, Author = item.Author,
        Body = item.Body, BodyFormat = item.BodyFormat, Link = item.Link, CoverMediaId = item.CoverMediaId, Weibo = item.Weibo, WeChat = item.WeChat, Targets = item.Targets, Category = item.Category,
        DocumentNumber = item.DocumentNumber, IssuedOn = item.IssuedOn, InterpretedDocument = item.InterpretedDocument, ActivityEndsAt = item.ActivityEndsAt,
        PublishAt = item.PublishAt, SlotTimes = item.SlotTimes, CreatedBy = item.CreatedBy, CreatedAt = item.CreatedAt, Status = item.Status,
        AwaitingLevel = item.Status == ContentStatus.InReview ? item.NextReviewLevel : null, RequiredLevels = item.RequiredLevels,
        Fingerprints = item.Fingerprints, Findings = item.Findings, RulesVersion = item.RulesVersion,
        Reviews = [.. item.Reviews.Select(r => r.Fingerprints is null ? r with { Fingerprints = item.Fingerprints } : r)],
        Publications = shown.Select(p => PublicationView.From(p, now)).ToList(),
        PublicationStatus = PublicationRollups.Of(all, now),
        Agencies = item.Agencies, AgencyConfirmations = item.AgencyConfirmations, Sensitive = item.Sensitive,
        Consultation = item.Consultation, SecrecyClearance = item.SecrecyClearance, RevisedAt = item.RevisedAt, WithdrawReason = item.WithdrawReason, Retraction = item.Retraction,
    };
}

/// <summary>
/// One publication's state and outcome: the platform id and URL, or the failure in plain words. <see cref="State"/>
/// is the stored machine state; <see cref="Status"/> is what it means to a person (a retracted post is
/// <c>retracted</c>, not <c>published</c>), with its Chinese label and detail; link to <see cref="Url"/> only when <see cref="Live"/>.
/// </summary>
internal sealed record PublicationView(string Id, string AccountId, string Platform, PublicationState State, int Attempts,
    DateTimeOffset? DueAt, string? PlatformId, string? Url, DateTimeOffset? PublishedAt, PublicationError? Error,
    RetractionState? Retraction, DateTimeOffset? RetractedAt, IReadOnlyList<PublicationHistoryEntry> History,
    PublishLane Lane, DateTimeOffset? ScheduledFor, DateTimeOffset? DeadLetteredAt, bool CanRedrive,
    PublicationDecision? Decision, PublicationWait? Waiting)
{
    /// <summary>scheduled, waiting, publishing, published, failed, retracted, needsDecision or cancelled.</summary>
    public DisplayStatus Status { get; init; }
    /// <summary>The status in Chinese: 已排期, 等待中, 发布中, 已发布, 发布失败, 已撤回, 待人工确认, 已取消.</summary>
    public string StatusLabel { get; init; } = "";
    /// <summary>The line that goes with it, in Chinese: the waiting reason with its until-time (China time), the failure, "撤回于 14:05".</summary>
    public string? StatusDetail { get; init; }
    /// <summary>The time that belongs to the status: published, retracted, scheduled for, waiting until, decision asked.</summary>
    public DateTimeOffset? StatusAt { get; init; }
    /// <summary>The post is on the platform now: the only case in which <see cref="Url"/> is worth a link.</summary>
    public bool Live { get; init; }

    public static PublicationView From(Publication p, DateTimeOffset now)
    {
        var status = PublicationStatus.Of(p, now);
        return new PublicationView(p.Id, p.AccountId, p.Platform.ToString(), p.State, p.Attempts,
            p.DueAt, p.PlatformId, p.Url, p.PublishedAt, p.Error, p.Retraction, p.RetractedAt, p.History,
            p.Lane, p.ScheduledFor, p.DeadLetteredAt, p.CanRedrive, p.Decision, p.Waiting)
        {
            Status = status.Code, StatusLabel = status.Label, StatusDetail = status.Detail, StatusAt = status.At, Live = status.Live,
        };
    }
}
