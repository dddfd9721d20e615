using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Webhooks;

/// <summary>What one attempt means for the subscription's health.</summary>
internal enum HealthChange
{
    /// <summary>2xx: the subscription works; its failure record is cleared.</summary>
    Succeeded,
    /// <summary>A failed attempt: remember since when the subscription fails.</summary>
    Failed,
    /// <summary>A delivery ran out of retries: also counted towards disabling the subscription.</summary>
    Exhausted,
    None,
}

/// <summary>Deliveries, their due set, the per-subscription delivery log and health in Redis.</summary>
internal sealed class WebhookStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    // Takes due deliveries and pushes them a lease into the future: a sender that dies leaves them due again.
    private static readonly LuaScript ClaimDue = LuaScript.Prepare("""
        local ids = redis.call('ZRANGEBYSCORE', @due, '-inf', @now, 'LIMIT', 0, @batch)
        for _, id in ipairs(ids) do redis.call('ZADD', @due, @until, id) end
        return ids
        """);

    /// <summary>The domain events, read by the fan-out in the consumer group <see cref="RedisKeys.WebhookGroup"/>.</summary>
    public RedisKey EventStream => keys.EventStream;

    // Ten at a time: an event for an item with 200 accounts is ~70 KB, and the client buffers a whole reply (and the
    // batch's audit transaction) in one pooled array, which the pool then keeps. Fifty made 3.5 MB replies; with ten
    // the gateway settles ~25 MB lower and peaks ~40 MB lower after queueing 100,000 publications (docs/benchmarks.md).
    public const int EventBatch = 10;

    /// <summary>
    /// Creates the deliveries of one event and acknowledges it, atomically, together with what <paramref name="also"/>
    /// queues (the audit append). False when a condition failed (the audit head moved): nothing was written.
    /// </summary>
    public Task<bool> CreateAsync(IReadOnlyList<WebhookDelivery> deliveries, RedisValue eventEntry, DateTimeOffset now, Action<ITransaction> also,
        TimeSpan? retention = null)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        also(tx);
        foreach (var d in deliveries)
        {
            _ = tx.StringSetAsync(keys.WebhookDelivery(d.Id), Json.SerializeUtf8(d), retention ?? TimeSpan.FromDays(7), When.NotExists);
            _ = tx.SortedSetAddAsync(keys.WebhookDue, d.Id, now.ToUnixTimeMilliseconds(), When.NotExists);
        }

        _ = tx.StreamAcknowledgeAsync(keys.EventStream, RedisKeys.WebhookGroup, eventEntry);
        _ = tx.StreamDeleteAsync(keys.EventStream, [eventEntry]);
        return tx.ExecuteAsync();
    }

    /// <summary>
    /// The same for a batch of events in one transaction: every event's deliveries, acknowledgement and deletion, with
    /// what <paramref name="also"/> queues (the audit appends of all of them). False when a condition failed: nothing written.
    /// </summary>
    public Task<bool> CreateBatchAsync(IReadOnlyList<(IReadOnlyList<WebhookDelivery> Deliveries, RedisValue EventEntry)> batch, DateTimeOffset now,
        Action<ITransaction> also, TimeSpan retention)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        also(tx);
        foreach (var (deliveries, _) in batch)
        {
            foreach (var d in deliveries)
            {
                _ = tx.StringSetAsync(keys.WebhookDelivery(d.Id), Json.SerializeUtf8(d), retention, When.NotExists);
                _ = tx.SortedSetAddAsync(keys.WebhookDue, d.Id, now.ToUnixTimeMilliseconds(), When.NotExists);
            }
        }

        var entries = batch.Select(b => b.EventEntry).ToArray();
        _ = tx.StreamAcknowledgeAsync(keys.EventStream, RedisKeys.WebhookGroup, entries);
        _ = tx.StreamDeleteAsync(keys.EventStream, entries);
        return tx.ExecuteAsync();
    }

    public async Task<string[]> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int batch)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(ClaimDue, new
        {
            due = (RedisKey)keys.WebhookDue, now = now.ToUnixTimeMilliseconds(), until = (now + lease).ToUnixTimeMilliseconds(), batch,
        });
        return ((RedisValue[])result!).Select(v => (string)v!).ToArray();
    }

    public async Task<WebhookDelivery?> GetAsync(string id)
    {
        var json = await redis.GetDatabase().StringGetAsync(keys.WebhookDelivery(id));
        return json.IsNull ? null : Json.Deserialize<WebhookDelivery>(json!);
    }

    /// <summary>Several deliveries in one round trip; null where one no longer exists.</summary>
    public async Task<WebhookDelivery?[]> GetManyAsync(IReadOnlyList<string> ids)
    {
        if (ids.Count == 0) return [];
        var values = await redis.GetDatabase().StringGetAsync(ids.Select(id => (RedisKey)keys.WebhookDelivery(id)).ToArray());
        return values.Select(v => v.IsNull ? null : Json.Deserialize<WebhookDelivery>(v!)).ToArray();
    }

    /// <summary>
    /// Records an attempt: the new state, the log line, the next due time (or removal from the due set), and the
    /// subscription's health. Returns, for <see cref="HealthChange.Exhausted"/>, the subscription's exhausted count and
    /// since when it fails (milliseconds); otherwise (0, null).
    /// </summary>
    public async Task<(long Exhausted, long? FailingSinceMs)> RecordAsync(WebhookDelivery delivery, DeliveryLogEntry log, DateTimeOffset? nextAttempt,
        HealthChange health, TimeSpan retention, bool trimLog = true)
    {
        var db = redis.GetDatabase();
        var tx = db.CreateTransaction();
        var now = log.At.ToUnixTimeMilliseconds();
        var attempts = keys.WebhookAttempts(delivery.SubscriptionId);
        var healthKey = keys.WebhookHealth(delivery.SubscriptionId);
        _ = tx.StringSetAsync(keys.WebhookDelivery(delivery.Id), Json.SerializeUtf8(delivery), retention);
        _ = tx.SortedSetAddAsync(attempts, Json.SerializeUtf8(log), now);
        if (trimLog)
        {
            // Callers trim at least every minute per subscription: entries live the retention period or a minute longer.
            _ = tx.SortedSetRemoveRangeByScoreAsync(attempts, double.NegativeInfinity, now - (long)retention.TotalMilliseconds);
            _ = tx.KeyExpireAsync(attempts, retention + TimeSpan.FromDays(1));
        }

        _ = nextAttempt is { } at
            ? tx.SortedSetAddAsync(keys.WebhookDue, delivery.Id, at.ToUnixTimeMilliseconds())
            : tx.SortedSetRemoveAsync(keys.WebhookDue, delivery.Id);
        Task<long>? exhausted = null;
        Task<RedisValue>? since = null;
        switch (health)
        {
            case HealthChange.Succeeded:
                _ = tx.KeyDeleteAsync(healthKey);
                break;
            case HealthChange.Failed:
            case HealthChange.Exhausted:
                _ = tx.HashSetAsync(healthKey, "failingSince", now, When.NotExists);
                if (health == HealthChange.Exhausted)
                {
                    exhausted = tx.HashIncrementAsync(healthKey, "exhausted");
                }

                since = tx.HashGetAsync(healthKey, "failingSince");
                _ = tx.KeyExpireAsync(healthKey, TimeSpan.FromDays(30));
                break;
        }

        await tx.ExecuteAsync();
        return (exhausted is null ? 0 : await exhausted, since is null ? null : (long?)(long)(await since));
    }

    /// <summary>Puts claimed deliveries back, due at <paramref name="at"/> (their subscription has as many in flight as it may).</summary>
    public Task DeferAsync(IReadOnlyList<string> ids, DateTimeOffset at) => ids.Count == 0
        ? Task.CompletedTask
        : redis.GetDatabase().SortedSetAddAsync(keys.WebhookDue, ids.Select(id => new SortedSetEntry(id, at.ToUnixTimeMilliseconds())).ToArray());

    /// <summary>Makes a delivery due now again (manual redelivery).</summary>
    public Task<bool> RequeueAsync(WebhookDelivery delivery, DateTimeOffset now, TimeSpan retention)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        _ = tx.StringSetAsync(keys.WebhookDelivery(delivery.Id), Json.SerializeUtf8(delivery), retention);
        _ = tx.SortedSetAddAsync(keys.WebhookDue, delivery.Id, now.ToUnixTimeMilliseconds());
        return tx.ExecuteAsync();
    }

    public Task RemoveDueAsync(string id) => redis.GetDatabase().SortedSetRemoveAsync(keys.WebhookDue, id);

    /// <summary>The subscription's failure record: since when (ms) and how many deliveries exhausted their retries.</summary>
    public async Task<(long? FailingSinceMs, long Exhausted)> HealthAsync(string subscriptionId)
    {
        var values = await redis.GetDatabase().HashGetAsync(keys.WebhookHealth(subscriptionId), ["failingSince", "exhausted"]);
        return (values[0].IsNull ? null : (long)values[0], values[1].IsNull ? 0 : (long)values[1]);
    }

    public Task ClearHealthAsync(string subscriptionId) => redis.GetDatabase().KeyDeleteAsync(keys.WebhookHealth(subscriptionId));

    /// <summary>The delivery log, newest first, within the retention period.</summary>
    public async Task<IReadOnlyList<DeliveryLogEntry>> ReadLogAsync(string subscriptionId, int take)
    {
        var lines = await redis.GetDatabase().SortedSetRangeByRankAsync(keys.WebhookAttempts(subscriptionId), 0, take - 1, Order.Descending);
        return lines.Select(l => Json.Deserialize<DeliveryLogEntry>(l!)).ToList();
    }
}
