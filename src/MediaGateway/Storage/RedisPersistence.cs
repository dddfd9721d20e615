using StackExchange.Redis;

namespace MediaGateway.Storage;

/// <summary>What Redis says about durability: AOF on, and no eviction of our keys.</summary>
internal sealed record RedisPersistence(bool AofEnabled, string AppendFsync, string MaxMemoryPolicy)
{
    public bool IsDurable => AofEnabled && MaxMemoryPolicy == "noeviction";

    /// <summary>
    /// For the health probes: pings Redis and reads its persistence, or fails within <paramref name="budget"/> — at once
    /// when the multiplexer has no connection, so a probe answers promptly during an outage rather than after the command
    /// timeouts of each step.
    /// </summary>
    public static async Task<RedisPersistence> ProbeAsync(IConnectionMultiplexer redis, TimeSpan budget)
    {
        if (!redis.IsConnected)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "not connected to Redis", null, CommandStatus.WaitingToBeSent);
        }

        var probe = PingAndReadAsync(redis);
        try
        {
            return await probe.WaitAsync(budget);
        }
        catch (TimeoutException)
        {
            _ = probe.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed: it ends on its own timeout
            throw;
        }
    }

    private static async Task<RedisPersistence> PingAndReadAsync(IConnectionMultiplexer redis)
    {
        await redis.GetDatabase().PingAsync();
        return await ReadAsync(redis);
    }

    public static async Task<RedisPersistence> ReadAsync(IConnectionMultiplexer redis)
    {
        var server = redis.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica)
            ?? throw new InvalidOperationException("no connected Redis primary");
        var info = (await server.InfoAsync("persistence")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        var memory = (await server.InfoAsync("memory")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        var fsync = "unknown";
        try
        {
            // CONFIG may be renamed away on managed Redis; INFO is enough for the verdict.
            var config = await server.ConfigGetAsync("appendfsync");
            if (config.Length > 0) fsync = config[0].Value;
        }
        catch (RedisException)
        {
        }

        return new RedisPersistence(
            info.GetValueOrDefault("aof_enabled") == "1",
            fsync,
            memory.GetValueOrDefault("maxmemory_policy", "unknown"));
    }
}
