using StackExchange.Redis;

namespace MediaGateway.Storage;

/// <summary>
/// Whether Redis can be reached and how durable it is, for the health answers, the start-up check and the outage gate:
/// they ask this instead of holding the connection themselves (decision 34).
/// </summary>
internal sealed class RedisProbe(IConnectionMultiplexer redis)
{
    /// <summary>False while the multiplexer has no connection: answered at once, without a command.</summary>
    public bool IsConnected => redis.IsConnected;

    /// <summary>Pings and reads the persistence settings, or fails within <paramref name="budget"/> (see <see cref="RedisPersistence.ProbeAsync"/>).</summary>
    public Task<RedisPersistence> ProbeAsync(TimeSpan budget) => RedisPersistence.ProbeAsync(redis, budget);

    /// <summary>The persistence settings of the primary, with the commands' own timeouts.</summary>
    public Task<RedisPersistence> ReadPersistenceAsync() => RedisPersistence.ReadAsync(redis);
}
