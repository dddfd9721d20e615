using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>How much work each publishing lane holds, for the <c>mediagateway.queue.depth</c> gauge (read only).</summary>
internal sealed class QueueDepthStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>Entries in the lane's work stream, publications in its due set, and stream entries taken and not yet acknowledged.</summary>
    public async Task<(long Stream, long Due, long Pending)> DepthAsync(PublishLane lane)
    {
        var db = redis.GetDatabase();
        var stream = keys.PublishStreamOf(lane);
        var length = await db.StreamLengthAsync(stream);
        var due = await db.SortedSetLengthAsync(keys.PublishDueOf(lane));
        long pending = 0;
        try
        {
            pending = (await db.StreamPendingAsync(stream, RedisKeys.PublishGroup)).PendingMessageCount;
        }
        catch (RedisServerException e) when (StreamGroups.IsMissingGroup(e) || e.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            // No worker has read the lane yet: nothing is pending.
        }

        return (length, due, pending);
    }
}
