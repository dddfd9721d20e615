using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>
/// The work stream and its consumer group, the due set, and per-publication leases.
/// The multiplexer cannot block (no XREAD BLOCK on a shared connection), so readers poll with back-off.
/// </summary>
public sealed class PublishQueue(IConnectionMultiplexer redis, RedisKeys keys)
{
    // Moves due publications into the stream; ZREM first, so two schedulers never move one twice.
    private static readonly LuaScript MoveDue = LuaScript.Prepare("""
        local ids = redis.call('ZRANGEBYSCORE', @due, '-inf', @now, 'LIMIT', 0, @batch)
        local moved = 0
        for _, id in ipairs(ids) do
          if redis.call('ZREM', @due, id) == 1 then
            redis.call('XADD', @stream, '*', 'pub', id)
            moved = moved + 1
          end
        end
        return moved
        """);

    private static readonly LuaScript ReleaseIfOwner = LuaScript.Prepare(
        "if redis.call('GET', @key) == @token then return redis.call('DEL', @key) else return 0 end");

    private static readonly LuaScript ExtendIfOwner = LuaScript.Prepare(
        "if redis.call('GET', @key) == @token then return redis.call('PEXPIRE', @key, @ms) else return 0 end");

    /// <summary>Creates the consumer group if missing (also after Redis lost its data: NOGROUP).</summary>
    public Task EnsureGroupAsync() => StreamGroups.EnsureAsync(redis, keys.PublishStream, RedisKeys.PublishGroup);

    public async Task<StreamEntry[]> ReadNewAsync(string consumer, int count) =>
        await redis.GetDatabase().StreamReadGroupAsync(keys.PublishStream, RedisKeys.PublishGroup, consumer, ">", count);

    /// <summary>Entries another worker took and did not acknowledge within the lease (it died or hung).</summary>
    public async Task<StreamEntry[]> ClaimAbandonedAsync(string consumer, TimeSpan lease, int count)
    {
        var result = await redis.GetDatabase().StreamAutoClaimAsync(keys.PublishStream, RedisKeys.PublishGroup, consumer,
            (long)lease.TotalMilliseconds, "0-0", count);
        return result.ClaimedEntries;
    }

    /// <summary>How often the entry has been handed to a consumer (1 on first delivery).</summary>
    public async Task<int> DeliveryCountAsync(RedisValue entryId)
    {
        var pending = await redis.GetDatabase().StreamPendingMessagesAsync(keys.PublishStream, RedisKeys.PublishGroup, 1,
            RedisValue.Null, entryId, entryId);
        return pending.Length == 0 ? 0 : pending[0].DeliveryCount;
    }

    /// <summary>
    /// Extends a held lease before the next platform call: the lock's TTL, and the entry's idle time
    /// (XCLAIM to ourselves), so no other worker reclaims work that is still in progress.
    /// False when the lease was lost; the caller must stop.
    /// </summary>
    public async Task<bool> RenewAsync(string publicationId, string token, RedisValue entryId, string consumer, TimeSpan lease)
    {
        var db = redis.GetDatabase();
        var extended = (long)await db.ScriptEvaluateAsync(ExtendIfOwner,
            new { key = (RedisKey)keys.PublicationLock(publicationId), token, ms = (long)lease.TotalMilliseconds });
        if (extended != 1)
        {
            return false;
        }

        await db.StreamClaimIdsOnlyAsync(keys.PublishStream, RedisKeys.PublishGroup, consumer, 0, [entryId]);
        return true;
    }

    public async Task<int> MoveDueAsync(DateTimeOffset now, int batch = 100) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(MoveDue, new
        {
            due = (RedisKey)keys.PublishDue, stream = (RedisKey)keys.PublishStream, now = now.ToUnixTimeMilliseconds(), batch,
        });

    /// <summary>Exclusive right to work on one publication for <paramref name="lease"/>; null if someone else holds it.</summary>
    public async Task<string?> TryLeaseAsync(string publicationId, TimeSpan lease)
    {
        var token = Guid.NewGuid().ToString("N");
        return await redis.GetDatabase().StringSetAsync(keys.PublicationLock(publicationId), token, lease, When.NotExists) ? token : null;
    }

    public Task ReleaseAsync(string publicationId, string token) =>
        redis.GetDatabase().ScriptEvaluateAsync(ReleaseIfOwner, new { key = (RedisKey)keys.PublicationLock(publicationId), token });
}
