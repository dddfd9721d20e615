using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Webhooks;

/// <summary>Appends domain events to the Redis event stream inside a caller's transaction.</summary>
public static class EventStream
{
    /// <summary>Events are kept for this many entries; deliveries keep their own copy.</summary>
    public const int MaxLength = 100_000;

    public static void Append(ITransaction tx, RedisKeys keys, IEnumerable<GatewayEvent> events)
    {
        foreach (var e in events)
        {
            _ = tx.StreamAddAsync(keys.EventStream, "event", Json.Serialize(e), maxLength: MaxLength, useApproximateMaxLength: true);
        }
    }
}
