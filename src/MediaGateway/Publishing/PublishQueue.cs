using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>An entry of a lane's work stream.</summary>
internal readonly record struct QueueEntry(PublishLane Lane, StreamEntry Entry)
{
    public RedisValue Id => Entry.Id;
}

/// <summary>
/// A worker's hold on one publication: the lock's token, and the stream entry it came with. A step's save renews it (and
/// resets the entry's idle time) only once a tenth of it has passed since it was taken or last renewed, so it has at
/// least nine tenths left whenever a platform call starts, without three more Redis commands at every step of a
/// publication that goes through in a second. The last save, which acknowledges the entry, releases it.
/// </summary>
internal sealed record PublicationLease(string PublicationId, string Token, QueueEntry Entry, string Consumer, TimeSpan Duration)
{
    /// <summary>
    /// When the lease was last set (taken or renewed): a timestamp of real time (<see cref="TimeProvider.System"/>, as Redis
    /// expires the lock in real time, whatever clock the gateway is given), taken before the command was sent.
    /// </summary>
    public long SetAt { get; set; } = TimeProvider.System.GetTimestamp();

    /// <summary>True once a save released the lock (with the entry's acknowledgement): nothing is left to release.</summary>
    public bool Released { get; set; }

    /// <summary>More than a tenth of the lease has passed since it was last set: the next save renews it.</summary>
    public bool NeedsRenewal => TimeProvider.System.GetElapsedTime(SetAt) >= Duration / 10;
}

/// <summary>
/// The work streams (one per lane) and their consumer group, the due sets, and per-publication leases.
/// The multiplexer cannot block (no XREAD BLOCK on a shared connection), so readers poll with back-off.
/// </summary>
internal sealed class PublishQueue(IConnectionMultiplexer redis, RedisKeys keys)
{
    // Moves due publications into the stream. The script is atomic, so two schedulers never move one twice; the ids read
    // are the lowest-scored ones, ranks 0 to n-1, removed with one command rather than one ZREM each.
    private static readonly LuaScript MoveDue = LuaScript.Prepare("""
        local ids = redis.call('ZRANGEBYSCORE', @due, '-inf', @now, 'LIMIT', 0, @batch)
        if #ids == 0 then return 0 end
        redis.call('ZREMRANGEBYRANK', @due, 0, #ids - 1)
        for _, id in ipairs(ids) do
          redis.call('XADD', @stream, '*', 'pub', id)
        end
        return #ids
        """);

    // Hands an entry still pending to this consumer back to the stream as a new entry (on stop), in one step.
    private static readonly LuaScript HandBack = LuaScript.Prepare("""
        local pending = redis.call('XPENDING', @stream, @group, @id, @id, 1)
        if #pending == 0 then return 0 end
        redis.call('XACK', @stream, @group, @id)
        redis.call('XDEL', @stream, @id)
        redis.call('XADD', @stream, '*', 'pub', @pub)
        return 1
        """);

    private static readonly LuaScript ReleaseIfOwner = LuaScript.Prepare(
        "if redis.call('GET', @key) == @token then return redis.call('DEL', @key) else return 0 end");

    /// <summary>Lanes in the order they are served: emergency first.</summary>
    public static readonly PublishLane[] Lanes = [PublishLane.Emergency, PublishLane.Routine];

    /// <summary>The lanes' work streams in the order they are served: emergency first (read by <see cref="StreamPoller"/>).</summary>
    public RedisKey[] Streams => [.. Lanes.Select(lane => (RedisKey)keys.PublishStreamOf(lane))];

    /// <summary>A read entry with the lane of the stream it came from.</summary>
    public QueueEntry EntryOf(StreamMessage message) => new(Lanes.First(lane => keys.PublishStreamOf(lane) == message.Stream), message.Entry);

    /// <summary>How often the entry has been handed to a consumer (1 on first delivery).</summary>
    public async Task<int> DeliveryCountAsync(QueueEntry entry)
    {
        var pending = await redis.GetDatabase().StreamPendingMessagesAsync(keys.PublishStreamOf(entry.Lane), RedisKeys.PublishGroup, 1,
            RedisValue.Null, entry.Id, entry.Id);
        return pending.Length == 0 ? 0 : pending[0].DeliveryCount;
    }

    /// <summary>Moves due publications of every lane into that lane's stream.</summary>
    public async Task<int> MoveDueAsync(DateTimeOffset now, int batch = 100)
    {
        var moved = 0;
        foreach (var lane in Lanes)
        {
            moved += (int)await redis.GetDatabase().ScriptEvaluateAsync(MoveDue, new
            {
                due = (RedisKey)keys.PublishDueOf(lane), stream = (RedisKey)keys.PublishStreamOf(lane), now = now.ToUnixTimeMilliseconds(), batch,
            });
        }

        return moved;
    }

    /// <summary>Exclusive right to work on one publication for <paramref name="lease"/>; null if someone else holds it.</summary>
    public async Task<string?> TryLeaseAsync(string publicationId, TimeSpan lease)
    {
        var token = Guid.NewGuid().ToString("N");
        return await redis.GetDatabase().StringSetAsync(keys.PublicationLock(publicationId), token, lease, When.NotExists) ? token : null;
    }

    /// <summary>On stop: an entry this worker took and did not finish goes back to its stream at once (no wait for the lease).</summary>
    public async Task HandBackAsync(QueueEntry entry, string publicationId) =>
        await redis.GetDatabase().ScriptEvaluateAsync(HandBack, new
        {
            stream = (RedisKey)keys.PublishStreamOf(entry.Lane), group = RedisKeys.PublishGroup, id = entry.Id, pub = publicationId,
        });

    public Task ReleaseAsync(string publicationId, string token) =>
        redis.GetDatabase().ScriptEvaluateAsync(ReleaseIfOwner, new { key = (RedisKey)keys.PublicationLock(publicationId), token });
}
