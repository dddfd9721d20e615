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
        var body = Json.Serialize(entry);
        var hash = HashOf(body);
        tx.AddCondition(head.Stored.IsNull ? Condition.KeyNotExists(keys.AuditHead) : Condition.StringEqual(keys.AuditHead, head.Stored));
        _ = tx.StreamAddAsync(keys.AuditStream, [new NameValueEntry("body", body), new NameValueEntry("hash", hash)], $"{entry.Seq}-0");
        _ = tx.StringSetAsync(keys.AuditHead, $"{entry.Seq}:{hash}");
        if (e.ContentId is not null)
        {
            _ = tx.ListRightPushAsync(keys.AuditOfContent(e.ContentId), entry.Seq);
        }

        return new StoredAuditEntry(entry, body, hash);
    }

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

    /// <summary>Walks the whole chain and names the first entry that does not match.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var db = redis.GetDatabase();
        var previousHash = Genesis;
        long expectedSeq = 1, checkedCount = 0;
        RedisValue from = "-";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await db.StreamRangeAsync(keys.AuditStream, from, "+", 500);
            foreach (var raw in page)
            {
                if (raw.Id == from) continue;
                StoredAuditEntry stored;
                try
                {
                    stored = Read(raw);
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
                {
                    return new(false, checkedCount, null, expectedSeq, $"entry {raw.Id} cannot be read: {e.Message}");
                }

                var seq = stored.Entry.Seq;
                if (raw.Id != $"{seq}-0")
                    return new(false, checkedCount, null, seq, $"entry {raw.Id} claims sequence {seq}");
                if (seq != expectedSeq)
                    return new(false, checkedCount, null, expectedSeq, $"entry {expectedSeq} is missing (next found: {seq})");
                if (HashOf(stored.Body) != stored.Hash)
                    return new(false, checkedCount, null, seq, $"entry {seq} was altered: its content does not match its hash");
                if (stored.Entry.PreviousHash != previousHash)
                    return new(false, checkedCount, null, seq, $"entry {seq} does not follow entry {seq - 1}: the previous hash differs");
                previousHash = stored.Hash;
                expectedSeq++;
                checkedCount++;
            }

            if (page.Length < 500 || (page.Length == 1 && page[0].Id == from)) break;
            from = page[^1].Id;
        }

        var head = await HeadAsync();
        if (head.Seq != checkedCount || head.Hash != previousHash)
            return new(false, checkedCount, head.Hash, checkedCount + 1, $"the head says entry {head.Seq} ({Short(head.Hash)}), the chain ends at {checkedCount} ({Short(previousHash)})");
        return new(true, checkedCount, previousHash, null, null);
    }

    private static StoredAuditEntry Read(StreamEntry raw)
    {
        var body = (string?)raw["body"] ?? throw new FormatException("no body");
        var hash = (string?)raw["hash"] ?? throw new FormatException("no hash");
        return new StoredAuditEntry(Json.Deserialize<AuditEntry>(body), body, hash);
    }

    public static string HashOf(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
