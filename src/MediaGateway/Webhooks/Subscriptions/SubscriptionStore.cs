using System.Collections.Frozen;
using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Webhooks.Subscriptions;

/// <summary>
/// Subscriptions in Redis: a hash of JSON records, changed by compare-and-set, and a version counter bumped by every
/// change so each process reloads its cached copy (<see cref="RefreshAsync"/>) with one GET when nothing changed.
/// </summary>
internal sealed class SubscriptionStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    private volatile Snapshot _snapshot = new(-1, FrozenDictionary<string, WebhookSubscription>.Empty);

    private sealed record Snapshot(long Version, FrozenDictionary<string, WebhookSubscription> Subscriptions);

    /// <summary>The cached subscriptions (as of the last <see cref="RefreshAsync"/>).</summary>
    public IReadOnlyCollection<WebhookSubscription> Cached => _snapshot.Subscriptions.Values;

    public WebhookSubscription? FindCached(string id) => _snapshot.Subscriptions.GetValueOrDefault(id);

    /// <summary>Reloads the cache if any subscription changed since the last load.</summary>
    public async Task RefreshAsync()
    {
        var db = redis.GetDatabase();
        var version = (long)(await db.StringGetAsync(keys.WebhookSubscriptionsVersion) is { IsNull: false } v ? (long)v : 0);
        if (version == _snapshot.Version) return;
        var all = await db.HashGetAllAsync(keys.WebhookSubscriptions);
        _snapshot = new Snapshot(version, all
            .Select(e => new WebhookSubscription(Json.Deserialize<SubscriptionRecord>(e.Value!)))
            .ToFrozenDictionary(s => s.Id, StringComparer.Ordinal));
    }

    public async Task<IReadOnlyList<SubscriptionRecord>> ListAsync() =>
        (await redis.GetDatabase().HashGetAllAsync(keys.WebhookSubscriptions))
        .Select(e => Json.Deserialize<SubscriptionRecord>(e.Value!))
        .OrderBy(s => s.Id, StringComparer.Ordinal)
        .ToList();

    public async Task<Versioned<SubscriptionRecord>?> GetAsync(string id)
    {
        var json = await redis.GetDatabase().HashGetAsync(keys.WebhookSubscriptions, id);
        return json.IsNull ? null : new Versioned<SubscriptionRecord>(Json.Deserialize<SubscriptionRecord>(json!), json!);
    }

    /// <summary>Stores a new subscription; false when the id is taken.</summary>
    public async Task<bool> CreateAsync(SubscriptionRecord record)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.HashNotExists(keys.WebhookSubscriptions, record.Id));
        _ = tx.HashSetAsync(keys.WebhookSubscriptions, record.Id, Json.SerializeUtf8(record));
        _ = tx.StringIncrementAsync(keys.WebhookSubscriptionsVersion);
        return await Done(tx);
    }

    /// <summary>
    /// Replaces a subscription if it is still as read (compare-and-set); false when someone changed it meanwhile.
    /// <paramref name="also"/> queues more into the same transaction (an event, the health record).
    /// </summary>
    public async Task<bool> ReplaceAsync(Versioned<SubscriptionRecord> current, SubscriptionRecord updated, Action<ITransaction>? also = null)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.HashEqual(keys.WebhookSubscriptions, current.Value.Id, current.Stored));
        _ = tx.HashSetAsync(keys.WebhookSubscriptions, updated.Id, Json.SerializeUtf8(updated));
        _ = tx.StringIncrementAsync(keys.WebhookSubscriptionsVersion);
        also?.Invoke(tx);
        return await Done(tx);
    }

    public async Task<bool> DeleteAsync(Versioned<SubscriptionRecord> current)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.HashEqual(keys.WebhookSubscriptions, current.Value.Id, current.Stored));
        _ = tx.HashDeleteAsync(keys.WebhookSubscriptions, current.Value.Id);
        _ = tx.KeyDeleteAsync(keys.WebhookHealth(current.Value.Id));
        _ = tx.StringIncrementAsync(keys.WebhookSubscriptionsVersion);
        return await Done(tx);
    }

    /// <summary>
    /// Seeds the configured subscriptions: a new one is stored; one whose configured definition changed since it was
    /// seeded gets the new definition (its history, state and the API's changes to a definition that did not change stay).
    /// </summary>
    public async Task SeedAsync(ConfiguredSubscriptions configured, DateTimeOffset now)
    {
        foreach (var record in configured.All)
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var current = await GetAsync(record.Id);
                if (current is null)
                {
                    if (await CreateAsync(record with { CreatedAt = now, UpdatedAt = now })) break;
                    continue;
                }

                if (current.Value.ConfigurationHash == record.ConfigurationHash) break;
                var updated = record with
                {
                    CreatedAt = current.Value.CreatedAt, UpdatedAt = now, UpdatedBy = "configuration",
                    DisabledAt = record.Enabled ? null : now,
                };
                if (await ReplaceAsync(current, updated)) break;
            }
        }

        await RefreshAsync();
    }

    private async Task<bool> Done(ITransaction tx)
    {
        var ok = await tx.ExecuteAsync();
        if (ok) await RefreshAsync();
        return ok;
    }
}
