using System.Text.Json.Serialization;
using MediaGateway.Platforms;

namespace MediaGateway.Publishing;

internal enum PublicationState
{
    /// <summary>Approved, waiting for its publish time.</summary>
    Scheduled,
    /// <summary>In the work stream (or waiting for a retry).</summary>
    Queued,
    /// <summary>WeChat accepted the freepublish submission; the outcome is asked for until final.</summary>
    Submitted,
    Published,
    /// <summary>Final failure, with the reason in <see cref="Publication.Error"/>.</summary>
    Failed,
    /// <summary>The item was withdrawn before anything reached the platform.</summary>
    Cancelled,
    /// <summary>
    /// The gateway stopped rather than guess (several candidate posts, a WeChat job it cannot see the end of, a repeat
    /// refusal): a person decides, with the evidence in <see cref="Publication.Decision"/>. Nothing is sent meanwhile.
    /// </summary>
    NeedsDecision,
}

/// <summary>What kind of question a publication in <see cref="PublicationState.NeedsDecision"/> asks.</summary>
internal enum DecisionKind
{
    /// <summary>Two or more posts on the platform could be this publication's: which one (if any) is it?</summary>
    SeveralCandidates,
    /// <summary>A WeChat submit's outcome stayed unknown past the bounded wait: was it published, or may it be sent again?</summary>
    OutcomeStillUnknown,
    /// <summary>The platform refused the text as a repeat of an earlier post (Weibo 20017/20019/20111): change the text, or confirm the earlier post stands.</summary>
    RepeatRefused,
}

/// <summary>A post on the platform that might be this publication's, shown to the person who decides.</summary>
internal sealed record PostCandidate(string PlatformId, string? Url, DateTimeOffset? CreatedAt, string? Text, string? HeldBy);

/// <summary>Why a publication stopped and asks a person, with what the gateway saw.</summary>
internal sealed record PublicationDecision(DecisionKind Kind, string Reason, DateTimeOffset At, IReadOnlyList<PostCandidate> Candidates);

/// <summary>Why a publication waits now (shown to people), and until when; null when it is not waiting.</summary>
internal enum WaitKind
{
    /// <summary>Publishing is paused by a person (globally or for the account).</summary>
    Paused,
    /// <summary>The account is suspended (or otherwise not publishable now); it goes out when the account is resumed.</summary>
    AccountSuspended,
    /// <summary>A platform quota or rate window is closed (by the platform's answer or our own count).</summary>
    Quota,
    /// <summary>A send's outcome is unknown: the gateway is looking for it on the platform.</summary>
    CheckingPlatform,
    /// <summary>A transient platform error: it retries at <see cref="PublicationWait.Until"/>.</summary>
    Retrying,
}

internal sealed record PublicationWait(WaitKind Kind, string Reason, DateTimeOffset? Until);

/// <summary>
/// Which queue a publication waits in. Emergency items (P13) have their own stream and due set, read before
/// the routine ones on every turn, so a routine backlog never holds them up.
/// </summary>
internal enum PublishLane
{
    Routine,
    Emergency,
}

/// <summary>Taking a published post down (freepublish/delete, mass/delete, statuses/destroy).</summary>
internal enum RetractionState
{
    Queued,
    Retracted,
    Failed,
}

/// <summary>A platform's error as the operator sees it.</summary>
internal sealed record PublicationError(string Class, string Code, string PlatformMessage, string Explanation);

internal sealed record PublicationHistoryEntry(DateTimeOffset At, string Note);

/// <summary>
/// One publication per (content revision, account), stable id "{contentId}.r{revision}.{accountId}".
/// Every step's result is recorded before the next platform call, so a retry resumes instead of repeating,
/// and a platform call whose outcome is unknown is never blindly repeated.
/// Stored compactly (100,000 of them may wait in Redis): what is computed from the other fields is not stored, and
/// counters, the lane and the body images are left out while they have their default value (a record that has them,
/// as every record written before, reads the same).
/// </summary>
internal sealed record Publication
{
    public required string Id { get; init; }
    public required string ContentId { get; init; }
    public required int Revision { get; init; }
    public required string AccountId { get; init; }
    public required Platform Platform { get; init; }
    /// <summary>The approved payload's fingerprint; the worker refuses to send anything else (P3).</summary>
    public required string ApprovedFingerprint { get; init; }
    public required PublicationState State { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Attempts { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public PublishLane Lane { get; init; }
    /// <summary>The publish time the operator asked for (null: as soon as approved); the missed-window policy measures from it.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }
    /// <summary>Set when the publication failed in a way an operator can re-drive (retries exhausted, credentials, internal); it is then in the dead-letter list.</summary>
    public DateTimeOffset? DeadLetteredAt { get; init; }

    // WeChat steps
    public string? CoverMediaId { get; init; }
    [JsonIgnore]
    public IReadOnlyDictionary<string, string> BodyImageUrls { get; init; } = NoImages;

    /// <summary><see cref="BodyImageUrls"/> as stored: left out while empty.</summary>
    [JsonInclude, JsonPropertyName("bodyImageUrls")]
    private IReadOnlyDictionary<string, string>? StoredBodyImageUrls
    {
        get => BodyImageUrls.Count == 0 ? null : BodyImageUrls;
        init => BodyImageUrls = value ?? NoImages;
    }

    private static readonly IReadOnlyDictionary<string, string> NoImages = new Dictionary<string, string>();
    public string? DraftMediaId { get; init; }
    /// <summary>Set (and stored) right before a call that has no idempotency key: freepublish/submit, statuses/share.</summary>
    public DateTimeOffset? SendStartedAt { get; init; }
    /// <summary>WeChat freepublish: the submission's publish_id.</summary>
    public string? PublishId { get; init; }
    /// <summary>WeChat mass send: the msg_id.</summary>
    public string? MassMsgId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int OutcomePolls { get; init; }

    // results
    public string? PlatformId { get; init; }
    public string? Url { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public PublicationError? Error { get; init; }
    /// <summary>Set while <see cref="State"/> is <see cref="PublicationState.NeedsDecision"/>.</summary>
    public PublicationDecision? Decision { get; init; }
    /// <summary>Why it waits now (paused, suspended, quota, checking the platform, retrying); null when it does not wait.</summary>
    public PublicationWait? Waiting { get; init; }
    public RetractionState? Retraction { get; init; }
    public DateTimeOffset? RetractedAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int RetractAttempts { get; init; }
    public IReadOnlyList<PublicationHistoryEntry> History { get; init; } = [];

    /// <summary>An operator may send it through again: it is in the dead-letter list, or it missed its window and was not published late.</summary>
    [JsonIgnore]
    public bool CanRedrive => (State == PublicationState.Failed && Retraction is null
        && (DeadLetteredAt is not null || Error?.Class == MissedWindowClass)) || State == PublicationState.NeedsDecision;

    /// <summary>The error class of a publication that missed its window under the mark-missed policy.</summary>
    public const string MissedWindowClass = "Missed";

    [JsonIgnore]
    public bool IsFinal => State is PublicationState.Published or PublicationState.Failed or PublicationState.Cancelled;

    /// <summary>Something is left for the gateway to do: publishing it, or taking it down (a publication that needs a decision waits for a person).</summary>
    [JsonIgnore]
    public bool NeedsWork => (!IsFinal && State != PublicationState.NeedsDecision) || Retraction == RetractionState.Queued;

    /// <summary>Nothing of it has reached a platform yet (no upload, draft, send or result).</summary>
    [JsonIgnore]
    public bool Untouched => State is PublicationState.Scheduled or PublicationState.Queued
        && CoverMediaId is null && BodyImageUrls.Count == 0 && DraftMediaId is null && SendStartedAt is null && PlatformId is null;

    public static string IdFor(string contentId, int revision, string accountId) => $"{contentId}.r{revision}.{accountId}";

    public Publication With(DateTimeOffset at, string note) => this with { History = [.. History, new PublicationHistoryEntry(at, note)] };
}
