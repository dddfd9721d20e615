using System.Text.Json.Nodes;

namespace MediaGateway.Webhooks;

/// <summary>The event types departments can subscribe to (issue 7 adds the deadline and account ones).</summary>
internal static class EventTypes
{
    public const string ContentSubmitted = "content.submitted";
    public const string ContentRevised = "content.revised";
    public const string ContentWithdrawn = "content.withdrawn";
    public const string AgencyConfirmed = "agency.confirmed";
    public const string ConsultationRecorded = "consultation.recorded";
    public const string SecrecyCleared = "secrecy.cleared";
    public const string ReviewRequested = "review.requested";
    public const string ReviewDecided = "review.decided";
    public const string ContentApproved = "content.approved";
    public const string ContentRejected = "content.rejected";
    public const string PublicationSucceeded = "publication.succeeded";
    public const string PublicationFailed = "publication.failed";
    public const string PublicationRetracted = "publication.retracted";
    public const string AccountTokenExpiring = "account.token_expiring";
    public const string AccountOpened = "account.opened";
    public const string AccountChanged = "account.changed";
    public const string AccountSuspended = "account.suspended";
    public const string AccountResumed = "account.resumed";
    public const string AccountClosed = "account.closed";
    /// <summary>Audit only (no account, so no department receives it): the rule lists changed.</summary>
    public const string RulesReloaded = "rules.reloaded";
    public const string RetractionRequested = "retraction.requested";
    public const string RetractionDecided = "retraction.decided";
    /// <summary>A publication exhausted its retries or failed for a reason an operator can fix; it waits in the dead-letter list for a re-drive.</summary>
    public const string PublicationDeadLettered = "publication.dead_lettered";
    /// <summary>A scheduled publication missed its window and the account's policy is to not publish late.</summary>
    public const string PublicationMissed = "publication.missed";
    /// <summary>An operator sent a dead-lettered or missed publication through again.</summary>
    public const string PublicationRedriven = "publication.redriven";
    /// <summary>Publishing was paused or resumed (the whole gateway when the event has no account, else one account).</summary>
    public const string PublishingPaused = "publishing.paused";
    public const string PublishingResumed = "publishing.resumed";
    public const string DeadlineApproaching = "deadline.approaching";
    public const string DeadlineMissed = "deadline.missed";
    public const string AccountDormant = "account.dormant";
    /// <summary>To everyone who names it (no account): an administrator loaded or replaced a year's holiday notice.</summary>
    public const string CalendarNoticeLoaded = "calendar.notice_loaded";
    /// <summary>To everyone who names it (no account): a year starts within Deadlines:NoticeWarningDays without its holiday notice.</summary>
    public const string CalendarNoticeMissing = "calendar.notice_missing";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        ContentSubmitted, ContentRevised, ContentWithdrawn, AgencyConfirmed, ConsultationRecorded, SecrecyCleared, ReviewRequested, ReviewDecided, ContentApproved, ContentRejected, PublicationSucceeded, PublicationFailed, PublicationRetracted, AccountTokenExpiring, AccountOpened, AccountChanged, AccountSuspended, AccountResumed, AccountClosed, RetractionRequested, RetractionDecided,
        PublicationDeadLettered, PublicationMissed, PublicationRedriven, PublishingPaused, PublishingResumed, DeadlineApproaching, DeadlineMissed, AccountDormant,
        CalendarNoticeLoaded, CalendarNoticeMissing,
    };

    /// <summary>The subscribable types about the gateway as a whole (no account): delivered to subscriptions that name them.</summary>
    public static readonly IReadOnlySet<string> GatewayWide = new HashSet<string>(StringComparer.Ordinal) { CalendarNoticeLoaded, CalendarNoticeMissing };
}

/// <summary>
/// Something that happened, written to the event stream in the same Redis transaction as the state
/// change it describes, so no event is lost or invented. <see cref="AccountIds"/> decide who may see it.
/// </summary>
internal sealed record GatewayEvent(string Id, string Type, DateTimeOffset OccurredAt, IReadOnlyList<string> AccountIds, JsonObject Data)
{
    /// <summary>Who caused it: a user id, or "gateway" for the workers. Recorded in the audit log (P7).</summary>
    public string Actor { get; init; } = "gateway";

    public string? ContentId { get; init; }

    /// <summary>For a notice to one department about its own subscriptions (no account): only that department's subscriptions get it.</summary>
    public string? Department { get; init; }

    /// <summary>About the gateway as a whole and for everyone (the holiday calendar): every subscription that names the type gets it.</summary>
    public bool Broadcast { get; init; }
}
