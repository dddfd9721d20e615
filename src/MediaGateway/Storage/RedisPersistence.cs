using StackExchange.Redis;

namespace MediaGateway.Storage;

/// <summary>What Redis says about durability: AOF on, and no eviction of our keys.</summary>
public sealed record RedisPersistence(bool AofEnabled, string AppendFsync, string MaxMemoryPolicy)
{
    public bool IsDurable => AofEnabled && MaxMemoryPolicy == "noeviction";

    public static async Task<RedisPersistence> ReadAsync(IConnectionMultiplexer redis)
    {
        var server = redis.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica)
            ?? throw new InvalidOperationException("no connected Redis primary");
        var info = (await server.InfoAsync("persistence")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        var memory = (await server.InfoAsync("memory")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        string fsync = "unknown";
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
