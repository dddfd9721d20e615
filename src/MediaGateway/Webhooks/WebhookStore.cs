using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Webhooks;

/// <summary>Deliveries, their due set and the per-subscription delivery log in Redis.</summary>
public sealed class WebhookStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    public const int LogLength = 1000;

    // Takes due deliveries and pushes them a lease into the future: a sender that dies leaves them due again.
    private static readonly LuaScript ClaimDue = LuaScript.Prepare("""
        local ids = redis.call('ZRANGEBYSCORE', @due, '-inf', @now, 'LIMIT', 0, @batch)
        for _, id in ipairs(ids) do redis.call('ZADD', @due, @until, id) end
        return ids
        """);

    public Task EnsureGroupAsync() => StreamGroups.EnsureAsync(redis, keys.EventStream, RedisKeys.WebhookGroup);

    public async Task<StreamEntry[]> ReadEventsAsync(string consumer, TimeSpan lease)
    {
        var db = redis.GetDatabase();
        var entries = await db.StreamReadGroupAsync(keys.EventStream, RedisKeys.WebhookGroup, consumer, ">", 50);
        return entries.Length > 0
            ? entries
            : (await db.StreamAutoClaimAsync(keys.EventStream, RedisKeys.WebhookGroup, consumer, (long)lease.TotalMilliseconds, "0-0", 50)).ClaimedEntries;
    }

    /// <summary>
    /// Creates the deliveries of one event and acknowledges it, atomically, together with what <paramref name="also"/>
    /// queues (the audit append). False when a condition failed (the audit head moved): nothing was written.
    /// </summary>
    public Task<bool> CreateAsync(IReadOnlyList<WebhookDelivery> deliveries, RedisValue eventEntry, DateTimeOffset now, Action<ITransaction> also)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        also(tx);
        foreach (var d in deliveries)
        {
            _ = tx.StringSetAsync(keys.WebhookDelivery(d.Id), Json.Serialize(d), TimeSpan.FromDays(7), When.NotExists);
            _ = tx.SortedSetAddAsync(keys.WebhookDue, d.Id, now.ToUnixTimeMilliseconds(), When.NotExists);
        }

        _ = tx.StreamAcknowledgeAsync(keys.EventStream, RedisKeys.WebhookGroup, eventEntry);
        _ = tx.StreamDeleteAsync(keys.EventStream, [eventEntry]);
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

    /// <summary>Records an attempt: the new state, the log line, and either the next due time or removal from the due set.</summary>
    public Task RecordAsync(WebhookDelivery delivery, DeliveryLogEntry log, DateTimeOffset? nextAttempt)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        _ = tx.StringSetAsync(keys.WebhookDelivery(delivery.Id), Json.Serialize(delivery), TimeSpan.FromDays(7));
        _ = tx.ListLeftPushAsync(keys.WebhookLog(delivery.SubscriptionId), Json.Serialize(log));
        _ = tx.ListTrimAsync(keys.WebhookLog(delivery.SubscriptionId), 0, LogLength - 1);
        _ = nextAttempt is { } at
            ? tx.SortedSetAddAsync(keys.WebhookDue, delivery.Id, at.ToUnixTimeMilliseconds())
            : tx.SortedSetRemoveAsync(keys.WebhookDue, delivery.Id);
        return tx.ExecuteAsync();
    }

    public Task RemoveDueAsync(string id) => redis.GetDatabase().SortedSetRemoveAsync(keys.WebhookDue, id);

    public async Task<IReadOnlyList<DeliveryLogEntry>> ReadLogAsync(string subscriptionId, int take)
    {
        var lines = await redis.GetDatabase().ListRangeAsync(keys.WebhookLog(subscriptionId), 0, take - 1);
        return lines.Select(l => Json.Deserialize<DeliveryLogEntry>(l!)).ToList();
    }
}
