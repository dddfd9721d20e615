using MediaGateway.Hosting;
using StackExchange.Redis;
using StackExchange.Redis.Configuration;

namespace MediaGateway.Storage;

/// <summary>
/// How the gateway connects to Redis: the configured connection string, with the gateway's defaults for what it does
/// not say. Defaults, not overrides: a connection string that sets syncTimeout or asyncTimeout keeps its values.
/// </summary>
internal static class RedisConnection
{
    public static ConfigurationOptions Options(RedisOptions options)
    {
        var config = ConfigurationOptions.Parse(options.ConnectionString);
        config.Defaults = new GatewayDefaults(TimeSpan.FromMilliseconds(options.CommandTimeoutMilliseconds));
        config.AbortOnConnectFail = false;
        config.AllowAdmin = true; // INFO and CONFIG GET: the persistence check and /healthz
        config.ClientName = "media-gateway";
        return config;
    }

    /// <summary>
    /// The library's 5 s command timeout would hold an API call for 5 s on a hung connection; ours is shorter. Timeouts
    /// are only noticed at the multiplexer's heartbeat (every second by default), so it beats a quarter of the timeout:
    /// a command on a hung connection fails within about 1.25 times the timeout, not the timeout plus a second.
    /// </summary>
    private sealed class GatewayDefaults(TimeSpan commandTimeout) : DefaultOptionsProvider
    {
        public override TimeSpan SyncTimeout => commandTimeout; // asyncTimeout falls back to this

        public override TimeSpan HeartbeatInterval => TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, commandTimeout.Ticks / 4));
    }
}
