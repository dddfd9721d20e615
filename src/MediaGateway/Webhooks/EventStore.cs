using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Webhooks;

/// <summary>
/// Events written on their own rather than with a state change: a reload registered in the audit chain, and notices
/// announced once (a deadline, a dormant account, an expiring token, a missing holiday notice). A notice's marker key
/// is set in the same transaction as its event, on the condition that it is absent, so of several gateways that see the
/// same thing exactly one announces it.
/// </summary>
internal sealed class EventStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    public async Task AppendAsync(GatewayEvent e)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        EventStream.Append(tx, keys, [e]);
        await tx.ExecuteAsync();
    }

    /// <summary>Whether the notice under <paramref name="marker"/> was announced (a cheap look before building the event).</summary>
    public Task<bool> AnnouncedAsync(string marker) => redis.GetDatabase().KeyExistsAsync(marker);

    /// <summary>
    /// Appends <paramref name="e"/> and sets <paramref name="marker"/> (to the event's id, for <paramref name="keep"/>) unless the
    /// marker exists; true when this call announced it.
    /// </summary>
    public Task<bool> AnnounceOnceAsync(string marker, GatewayEvent e, TimeSpan keep)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.KeyNotExists(marker));
        _ = tx.StringSetAsync(marker, e.Id, keep);
        EventStream.Append(tx, keys, [e]);
        return tx.ExecuteAsync();
    }
}
