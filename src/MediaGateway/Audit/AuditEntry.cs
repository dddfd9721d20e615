using System.Text.Json.Nodes;

namespace MediaGateway.Audit;

/// <summary>
/// One line of the registration record (登记备案, P7): who did what, when, to which item, with the content
/// fingerprint and reasons in <see cref="Details"/>. Stored as canonical JSON; <see cref="PreviousHash"/>
/// chains it to the entry before, so no line can be altered or removed without the chain saying where.
/// </summary>
public sealed record AuditEntry
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
public sealed record StoredAuditEntry(AuditEntry Entry, byte[] Body, string Hash);

/// <summary>The result of walking the chain: where it first fails to match, if anywhere.</summary>
public sealed record AuditVerification(bool Intact, long EntriesChecked, string? HeadHash, long? FirstBadSeq, string? Problem);
