using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Webhooks;

/// <summary>Appends domain events to the Redis event stream inside a caller's transaction or compare-and-set script.</summary>
internal static class EventStream
{
    public static void Append(ITransaction tx, RedisKeys keys, IEnumerable<GatewayEvent> events)
    {
        foreach (var e in events)
        {
            // No MAXLEN: trimming could drop events not yet fanned out. The fan-out deletes each entry once its deliveries exist.
            _ = tx.StreamAddAsync(keys.EventStream, "event", Json.SerializeUtf8(e));
        }
    }

    /// <summary>The same, as writes of a compare-and-set script.</summary>
    public static void Append(ConditionalWrite write, RedisKeys keys, IEnumerable<GatewayEvent> events)
    {
        foreach (var e in events)
        {
            write.StreamAdd(keys.EventStream, "event", Json.SerializeUtf8(e));
        }
    }
}
