using System.Text.Json.Nodes;

namespace MediaGateway.Audit;

/// <summary>
/// One line of the registration record (登记备案, P7): who did what, when, to which item, with the content
/// fingerprint and reasons in <see cref="Details"/>. Stored as canonical JSON; <see cref="PreviousHash"/>
/// chains it to the entry before, so no line can be altered or removed without the chain saying where.
/// </summary>
internal sealed record AuditEntry
{
    public required long Seq { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Type { get; init; }
    public required string Actor { get; init; }
    public string? ContentId { get; init; }
    public IReadOnlyList<string> AccountIds { get; init; } = [];
    public required string EventId { get; init; }
    public required JsonObject Details { get; init; }
    public required string PreviousHash { get; init; }
}

/// <summary>An entry as stored: its canonical body and the SHA-256 over it.</summary>
internal sealed record StoredAuditEntry(AuditEntry Entry, byte[] Body, string Hash);

/// <summary>
/// One thing verification found wrong, located: the entries <see cref="FromSeq"/>–<see cref="ToSeq"/> and/or the item
/// <see cref="ContentId"/>. <see cref="Message"/> is for people, Chinese first.
/// </summary>
internal sealed record AuditProblem(string Kind, long? FromSeq, long? ToSeq, string? ContentId, string Message);

/// <summary>The newest checkpoint the chain was checked against.</summary>
internal sealed record AuditCheckpointSeen(string Instance, long Seq, string At, string Reason);

/// <summary>
/// The result of verifying the audit chain: <see cref="Intact"/> when nothing is wrong; otherwise every problem found,
/// located (<see cref="FirstBadSeq"/> and <see cref="Problem"/> name the first). <see cref="Summary"/> is for people.
/// </summary>
internal sealed record AuditVerification
{
    public required bool Intact { get; init; }
    public required string Summary { get; init; }
    public required long EntriesChecked { get; init; }
    public string? HeadHash { get; init; }
    public long? FirstBadSeq { get; init; }
    public string? Problem { get; init; }
    public IReadOnlyList<AuditProblem> Problems { get; init; } = [];

    /// <summary>Entries written before the chain was signed (before <see cref="KeyedFrom"/>): linked, but not signed.</summary>
    public long UnkeyedLegacyEntries { get; init; }

    /// <summary>The first signed entry; every entry from it on must carry a valid signature.</summary>
    public long? KeyedFrom { get; init; }

    /// <summary>The audit key's id (not the key): entries signed with another key show another id.</summary>
    public string? KeyId { get; init; }

    public int CheckpointsChecked { get; init; }
    public AuditCheckpointSeen? LastCheckpoint { get; init; }
    public int ItemsChecked { get; init; }

    /// <summary>What people should know that is not a problem (legacy entries, no checkpoint yet, other chains' checkpoints).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
