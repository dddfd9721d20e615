using System.Security.Cryptography;
using System.Text;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using StackExchange.Redis;

namespace MediaGateway.Audit;

/// <summary>
/// The append-only, hash-chained audit log (P7) in a Redis stream. Entries are appended by the event
/// processor from the domain events, which are written atomically with every state change, so the log
/// misses nothing and invents nothing. Stream ids are "{seq}-0": an entry cannot be re-inserted in the
/// middle, and a removed or altered one breaks the chain at a named place.
/// </summary>
public sealed class AuditLog(IConnectionMultiplexer redis, RedisKeys keys)
{
    public const string Genesis = "genesis";

    /// <summary>The chain's head: the last sequence number and hash (0 and "genesis" when empty).</summary>
    public async Task<(long Seq, string Hash, RedisValue Stored)> HeadAsync()
    {
        var stored = await redis.GetDatabase().StringGetAsync(keys.AuditHead);
        if (stored.IsNull) return (0, Genesis, stored);
        var text = (string)stored!;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return (long.Parse(text[..colon], System.Globalization.CultureInfo.InvariantCulture), text[(colon + 1)..], stored);
    }

    /// <summary>Queues the append of <paramref name="e"/> after the given head into <paramref name="tx"/>; the transaction fails if the head moved.</summary>
    public StoredAuditEntry Append(ITransaction tx, (long Seq, string Hash, RedisValue Stored) head, GatewayEvent e)
    {
        var entry = new AuditEntry
        {
            Seq = head.Seq + 1, At = e.OccurredAt, Type = e.Type, Actor = e.Actor, ContentId = e.ContentId, AccountIds = e.AccountIds,
            EventId = e.Id, Details = e.Data, PreviousHash = head.Hash,
        };
        // UTF-8 straight from the serializer: an entry for an item with 200 accounts is over 100 KB, and as a string it
        // would be twice that on the large object heap before being encoded again for the hash and for Redis.
        var body = Json.SerializeUtf8(entry);
        var hash = HashOf(body);
        tx.AddCondition(head.Stored.IsNull ? Condition.KeyNotExists(keys.AuditHead) : Condition.StringEqual(keys.AuditHead, head.Stored));
        tx.AddCondition(Condition.KeyNotExists(keys.AuditedEvent(e.Id)));
        _ = tx.StringSetAsync(keys.AuditedEvent(e.Id), entry.Seq, TimeSpan.FromDays(30));
        _ = tx.StreamAddAsync(keys.AuditStream, [new NameValueEntry("body", body), new NameValueEntry("hash", hash)], $"{entry.Seq}-0");
        _ = tx.StringSetAsync(keys.AuditHead, $"{entry.Seq}:{hash}");
        if (e.ContentId is not null)
        {
            _ = tx.ListRightPushAsync(keys.AuditOfContent(e.ContentId), entry.Seq);
        }

        return new StoredAuditEntry(entry, body, hash);
    }

    /// <summary>
    /// Queues the appends of several events into <paramref name="tx"/>, chained in order after the given head; the
    /// transaction fails if the head moved or any of them is already in the chain; an event given twice is appended once. (Each append's condition names the
    /// head as read, which holds when the transaction starts; the last append leaves the head on the last entry.)
    /// </summary>
    public IReadOnlyList<StoredAuditEntry> AppendAll(ITransaction tx, (long Seq, string Hash, RedisValue Stored) head, IReadOnlyList<GatewayEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var stored = new List<StoredAuditEntry>(events.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            // The same event twice in one batch (delivered twice by the stream) is appended once: the conditions are
            // checked when the transaction starts, so they cannot catch it.
            if (!seen.Add(e.Id)) continue;
            stored.Add(Append(tx, stored.Count == 0 ? head : (stored[^1].Entry.Seq, stored[^1].Hash, head.Stored), e));
        }

        return stored;
    }

    /// <summary>True when the event is already in the chain (another process appended it before its lease ran out).</summary>
    public async Task<bool> ContainsAsync(string eventId) => await redis.GetDatabase().KeyExistsAsync(keys.AuditedEvent(eventId));

    /// <summary>The entries of one content item, oldest first.</summary>
    public async Task<IReadOnlyList<StoredAuditEntry>> ForContentAsync(string contentId)
    {
        var db = redis.GetDatabase();
        var seqs = await db.ListRangeAsync(keys.AuditOfContent(contentId));
        var result = new List<StoredAuditEntry>();
        foreach (var seq in seqs)
        {
            var id = $"{(long)seq}-0";
            var found = await db.StreamRangeAsync(keys.AuditStream, id, id);
            if (found.Length == 1) result.Add(Read(found[0]));
        }

        return result;
    }

    /// <summary>
    /// Walks the chain up to the head as read at the start (entries appended meanwhile are not judged) and names the first
    /// entry that does not match. An entry altered together with its own hash shows as the next entry not following it.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var db = redis.GetDatabase();
        var head = await HeadAsync();
        var previousHash = Genesis;
        long expectedSeq = 1, checkedCount = 0;
        RedisValue from = "-";
        while (expectedSeq <= head.Seq)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await db.StreamRangeAsync(keys.AuditStream, from, $"{head.Seq}-0", 500);
            var fresh = page.Where(raw => raw.Id != from).ToList();
            if (fresh.Count == 0) break;
            foreach (var raw in fresh)
            {
                StoredAuditEntry stored;
                try
                {
                    stored = Read(raw);
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
                {
                    return new(false, checkedCount, head.Hash, expectedSeq, $"entry {raw.Id} cannot be read: {e.Message}");
                }

                var seq = stored.Entry.Seq;
                if (raw.Id != $"{seq}-0")
                    return new(false, checkedCount, head.Hash, seq, $"entry {raw.Id} claims sequence {seq}");
                if (seq != expectedSeq)
                    return new(false, checkedCount, head.Hash, expectedSeq, $"entry {expectedSeq} is missing (next found: {seq})");
                if (HashOf(stored.Body) != stored.Hash)
                    return new(false, checkedCount, head.Hash, seq, $"entry {seq} was altered: its content does not match its hash");
                if (stored.Entry.PreviousHash != previousHash)
                    return new(false, checkedCount, head.Hash, seq, $"entry {seq} does not follow entry {seq - 1}: one of the two was altered");
                previousHash = stored.Hash;
                expectedSeq++;
                checkedCount++;
            }

            from = fresh[^1].Id;
        }

        if (checkedCount != head.Seq)
            return new(false, checkedCount, head.Hash, checkedCount + 1, $"entry {checkedCount + 1} is missing: the head says the chain has {head.Seq} entries");
        if (head.Hash != previousHash)
            return new(false, checkedCount, head.Hash, head.Seq, $"entry {head.Seq} was altered: the head records another hash ({Short(head.Hash)}) than the chain's last ({Short(previousHash)})");
        return new(true, checkedCount, previousHash, null, null);
    }

    private static StoredAuditEntry Read(StreamEntry raw)
    {
        var body = raw["body"];
        if (body.IsNull) throw new FormatException("no body");
        var hash = (string?)raw["hash"] ?? throw new FormatException("no hash");
        var bytes = (byte[])body!;
        return new StoredAuditEntry(Json.DeserializeUtf8<AuditEntry>(bytes), bytes, hash);
    }

    public static string HashOf(string body) => HashOf(Encoding.UTF8.GetBytes(body));

    /// <summary>The chain's hash of an entry: SHA-256 of its stored UTF-8 text, in lower-case hex.</summary>
    public static string HashOf(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
