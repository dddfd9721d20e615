using MediaGateway.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Hosting;

/// <summary>At start: in production mode, refuse to run on a Redis without AOF and noeviction (it could lose or evict approved work).</summary>
internal sealed partial class PersistenceGuard(RedisProbe redis, IOptions<GatewayOptions> options, ILogger<PersistenceGuard> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        RedisPersistence persistence;
        try
        {
            persistence = await redis.ReadPersistenceAsync();
        }
        catch (Exception e) when (e is RedisException or RedisCommandException or InvalidOperationException)
        {
            if (options.Value.Mode == GatewayMode.Production)
            {
                throw new ConfigurationException("Redis:ConnectionString", $"Redis is not reachable ({e.Message})");
            }

            Log.Unreachable(logger, e.Message);
            return;
        }

        if (persistence.IsDurable)
        {
            return;
        }

        var problem = $"Redis has appendonly={(persistence.AofEnabled ? "yes" : "no")} and maxmemory-policy={persistence.MaxMemoryPolicy}; "
                      + "the gateway needs appendonly yes and maxmemory-policy noeviction";
        if (options.Value.Mode == GatewayMode.Production)
        {
            throw new ConfigurationException("Redis:ConnectionString", problem + " in Production mode (set Gateway:Mode=Development only for demos and tests)");
        }

        Log.NotDurable(logger, problem);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventIds.StoreNotDurable, LogLevel.Warning, "{Problem}; tolerated in Development mode")]
        public static partial void NotDurable(ILogger logger, string problem);

        [LoggerMessage(EventIds.StoreUnreachableAtStart, LogLevel.Warning, "Redis is not reachable at start ({Reason}); /healthz answers 503 until it is")]
        public static partial void Unreachable(ILogger logger, string reason);
    }
}
