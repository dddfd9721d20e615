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
/// middle, and a removed or altered one breaks the chain at a named place. Each entry's hash is also signed
/// (HMAC, field "mac") with a key that is not in Redis, and checkpoints outside Redis record how long the chain
/// was: someone with only Redis access can neither rewrite entries and re-hash the rest nor cut the tail unnoticed.
/// </summary>
internal sealed class AuditLog(IConnectionMultiplexer redis, RedisKeys keys, AuditKey key, AuditCheckpoints checkpoints)
{
    /// <summary>The chain's stream, for readers that follow it in a consumer group (<see cref="Observability.AuditStreamListener"/>).</summary>
    public RedisKey Stream => keys.AuditStream;

    public const string Genesis = "genesis";

    /// <summary>
    /// Up to <paramref name="count"/> entries after sequence number <paramref name="afterSeq"/>, in chain order (entry ids are
    /// <c>{seq}-0</c>); empty at the end of the chain. For readers that go through the whole chain a page at a time.
    /// </summary>
    public async Task<AuditEntry[]> ReadAfterAsync(long afterSeq, int count)
    {
        var page = await redis.GetDatabase().StreamRangeAsync(keys.AuditStream, $"{afterSeq + 1}-0", "+", count);
        return [.. page.Select(raw => Json.Deserialize<AuditEntry>(raw["body"]))];
    }

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
        // An item's long lists (its accounts with their ownership, its fingerprints) are stored once and named by their hash.
        var parts = new List<AuditParts.Part>();
        var entry = new AuditEntry
        {
            Seq = head.Seq + 1, At = e.OccurredAt, Type = e.Type, Actor = e.Actor, ContentId = e.ContentId, AccountIds = e.AccountIds,
            EventId = e.Id, Details = AuditParts.Split(e.Data, parts), PreviousHash = head.Hash,
        };
        // UTF-8 straight from the serializer: an entry for an item with 200 accounts is over 100 KB, and as a string it
        // would be twice that on the large object heap before being encoded again for the hash and for Redis.
        var body = Json.SerializeUtf8(entry);
        var hash = HashOf(body);
        tx.AddCondition(head.Stored.IsNull ? Condition.KeyNotExists(keys.AuditHead) : Condition.StringEqual(keys.AuditHead, head.Stored));
        tx.AddCondition(Condition.KeyNotExists(keys.AuditedEvent(e.Id)));
        _ = tx.StringSetAsync(keys.AuditedEvent(e.Id), entry.Seq, TimeSpan.FromDays(30));
        foreach (var part in parts)
        {
            _ = tx.StringSetAsync(keys.AuditPart(part.Hash), part.Json, when: When.NotExists);
        }

        _ = tx.StreamAddAsync(keys.AuditStream,
            [new NameValueEntry("body", body), new NameValueEntry("hash", hash), new NameValueEntry("mac", key.Sign("entry", hash)), new NameValueEntry("kid", key.Id)],
            $"{entry.Seq}-0");
        _ = tx.StringSetAsync(keys.AuditHead, $"{entry.Seq}:{hash}");
        _ = tx.StringSetAsync(keys.AuditKeyedFrom, entry.Seq, when: When.NotExists);
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
    /// Verifies the chain up to the head as read at the start (entries appended meanwhile are not judged): every entry's
    /// content against its hash, its signature, its link to the one before; the head; every checkpoint outside Redis; and
    /// the review decisions recorded on the items against their audit entries (unless <paramref name="crossCheckItems"/> is
    /// false: that reads every item). Names every problem with its place.
    /// </summary>
    public Task<AuditVerification> VerifyAsync(bool crossCheckItems = true, CancellationToken cancellationToken = default) =>
        new AuditVerifier(redis, keys, key, checkpoints).VerifyAsync(crossCheckItems, cancellationToken);

    internal static StoredAuditEntry Read(StreamEntry raw)
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

    internal static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
