using MediaGateway.Storage;
using MediaGateway.Webhooks;
using StackExchange.Redis;

namespace MediaGateway.Content;

/// <summary>
/// Content items in Redis: one JSON document each, changed only here, by compare-and-set, with their events and a new stamp
/// (<see cref="RedisKeys.ContentStamp"/>) in the same transaction.
/// </summary>
internal sealed class ContentStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    public Task<Versioned<ContentItem>?> GetAsync(string id) =>
        Versioned.ReadAsync<ContentItem>(redis.GetDatabase(), keys.Content(id));

    public async Task<IReadOnlyList<ContentItem>> ListAsync(int take)
    {
        var db = redis.GetDatabase();
        var ids = await db.SortedSetRangeByRankAsync(keys.ContentIndex, 0, take - 1, Order.Descending);
        var values = await db.StringGetAsync(ids.Select(i => (RedisKey)keys.Content(i!)).ToArray());
        return values.Where(v => !v.IsNull).Select(v => Json.Deserialize<ContentItem>(v!)).ToList();
    }

    /// <summary>
    /// One batch of the content index newest first, strictly after <paramref name="after"/> (or from the newest) and no
    /// older than <paramref name="oldestMs"/>, no newer than <paramref name="newestMs"/>. Items created in the same
    /// millisecond are ordered by id (descending, as Redis orders equal scores), so a position is exact and paging neither
    /// repeats nor skips one.
    /// </summary>
    public async Task<IReadOnlyList<IndexPosition>> IndexPageAsync(IndexPosition? after, long oldestMs, long newestMs, int count)
    {
        var db = redis.GetDatabase();
        var page = new List<IndexPosition>(count);
        double max = newestMs;
        if (after is { } position)
        {
            // The rest of the cursor's millisecond first (rarely more than the cursor itself), then strictly older ones.
            var ties = await db.SortedSetRangeByScoreWithScoresAsync(keys.ContentIndex, position.Ms, position.Ms, Exclude.None, Order.Descending);
            page.AddRange(ties.Select(e => new IndexPosition((long)e.Score, e.Element!))
                .Where(p => string.CompareOrdinal(p.Id, position.Id) < 0 && p.Ms <= newestMs).Take(count));
            max = Math.Min(newestMs, position.Ms - 1);
        }

        if (page.Count < count && max >= oldestMs)
        {
            var older = await db.SortedSetRangeByScoreWithScoresAsync(keys.ContentIndex, oldestMs, max, Exclude.None, Order.Descending, 0, count - page.Count);
            page.AddRange(older.Select(e => new IndexPosition((long)e.Score, e.Element!)));
        }

        return page;
    }

    /// <summary>The ids of the items created at or after <paramref name="since"/>, oldest first.</summary>
    public async Task<string[]> IdsCreatedSinceAsync(DateTimeOffset since) =>
        [.. (await redis.GetDatabase().SortedSetRangeByScoreAsync(keys.ContentIndex, since.ToUnixTimeMilliseconds(), double.PositiveInfinity))
            .Select(id => (string)id!)];

    /// <summary>Several items in one round trip; null where one does not exist.</summary>
    public async Task<ContentItem?[]> GetManyAsync(IReadOnlyList<string> ids)
    {
        var values = await redis.GetDatabase().StringGetAsync([.. ids.Select(id => (RedisKey)keys.Content(id))]);
        return [.. values.Select(v => v.IsNull ? null : Json.Deserialize<ContentItem>(v!))];
    }

    /// <summary>
    /// The stored JSON of several items in pooled buffers (null where one does not exist); the caller disposes them. For a
    /// reader of many large items that needs only a few fields of most of them.
    /// </summary>
    public Task<Lease<byte>?[]> GetLeasedAsync(IEnumerable<string> ids)
    {
        var db = redis.GetDatabase();
        return Task.WhenAll(ids.Select(id => db.StringGetLeaseAsync(keys.Content(id))));
    }

    public async Task CreateAsync(ContentItem item, IEnumerable<GatewayEvent> events)
    {
        if (!await TryCreateAsync(item, events))
        {
            throw new InvalidOperationException($"content {item.Id} already exists");
        }
    }

    /// <summary>
    /// Stores a new item with its events; <paramref name="alsoInTransaction"/> queues further writes and conditions (the
    /// schedule index and its slot checks). False, with nothing written, when a condition no longer holds.
    /// </summary>
    public async Task<bool> TryCreateAsync(ContentItem item, IEnumerable<GatewayEvent> events, Action<ITransaction>? alsoInTransaction = null)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.KeyNotExists(keys.Content(item.Id)));
        _ = tx.StringSetAsync(keys.Content(item.Id), Json.SerializeUtf8(item));
        Stamp(tx, item.Id);
        _ = tx.SortedSetAddAsync(keys.ContentIndex, item.Id, item.CreatedAt.ToUnixTimeMilliseconds());
        EventStream.Append(tx, keys, events);
        alsoInTransaction?.Invoke(tx);
        return await tx.ExecuteAsync();
    }

    /// <summary>
    /// Replaces the item if it is still exactly as read; <paramref name="alsoInTransaction"/> queues further
    /// writes (publications, queue entries) that must happen together with it. False when someone else changed it first.
    /// </summary>
    public async Task<bool> TryUpdateAsync(Versioned<ContentItem> current, ContentItem updated, IEnumerable<GatewayEvent> events,
        Action<ITransaction>? alsoInTransaction = null)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.StringEqual(keys.Content(updated.Id), current.Stored));
        _ = tx.StringSetAsync(keys.Content(updated.Id), Json.SerializeUtf8(updated));
        Stamp(tx, updated.Id);
        EventStream.Append(tx, keys, events);
        alsoInTransaction?.Invoke(tx);
        return await tx.ExecuteAsync();
    }

    /// <summary>Every write of an item gives it a new stamp (<see cref="RedisKeys.ContentStamp"/>), unique to that write.</summary>
    private void Stamp(ITransaction tx, string id) => _ = tx.StringSetAsync(keys.ContentStamp(id), Guid.NewGuid().ToString("N"));

    /// <summary>Keeps the revision being replaced (its exact stored JSON), to be written with the new one.</summary>
    public void ArchiveRevision(ITransaction tx, Versioned<ContentItem> replaced) =>
        _ = tx.StringSetAsync(keys.ContentRevision(replaced.Value.Id, replaced.Value.Revision), replaced.Stored);

    /// <summary>A replaced revision, or null when it was not kept (revisions replaced before this existed).</summary>
    public async Task<ContentItem?> GetRevisionAsync(string id, int revision)
    {
        var json = await redis.GetDatabase().StringGetAsync(keys.ContentRevision(id, revision));
        return json.IsNull ? null : Json.Deserialize<ContentItem>(json!);
    }
}

/// <summary>A place in the content index: the item's creation time (unix ms, its score) and its id.</summary>
internal readonly record struct IndexPosition(long Ms, string Id)
{
    /// <summary>The opaque paging cursor: "ms.id".</summary>
    public override string ToString() => $"{Ms.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{Id}";

    public static IndexPosition? Parse(string? text)
    {
        var dot = text?.IndexOf('.') ?? -1;
        return dot > 0 && long.TryParse(text![..dot], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            && dot < text.Length - 1 ? new IndexPosition(ms, text[(dot + 1)..]) : null;
    }
}
