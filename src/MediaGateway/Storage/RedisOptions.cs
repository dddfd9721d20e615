using System.ComponentModel.DataAnnotations;

namespace MediaGateway.Storage;

/// <summary>Section "Redis".</summary>
internal sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. "127.0.0.1:6379".</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Prefix of every key the gateway writes, so several gateways can share a Redis.</summary>
    [Required, RegularExpression("^[a-z0-9-]{1,20}$", ErrorMessage = "Redis:KeyPrefix must be 1-20 lowercase letters, digits or '-'")]
    public string KeyPrefix { get; set; } = "mg";

    /// <summary>
    /// How long one Redis command may take before it fails (StackExchange.Redis syncTimeout and asyncTimeout, unless the
    /// connection string sets them). Shorter than the library's 5 s, so that when Redis hangs an API call answers 503 in
    /// about 2–3 s instead of waiting on it (issue 19, decision 26), yet long enough that a busy host does not fail
    /// commands that would have succeeded (1 s did, on a saturated 2-core CI machine); the workers simply retry.
    /// </summary>
    [Range(100, 60000)]
    public int CommandTimeoutMilliseconds { get; set; } = 2000;

    public EmbeddedRedisOptions Embedded { get; set; } = new();
}

/// <summary>Section "Redis:Embedded": a local redis-server the gateway starts itself (demo).</summary>
internal sealed class EmbeddedRedisOptions
{
    public bool Enabled { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 6390;

    /// <summary>Where AOF and RDB files live, relative to the config directory's parent (the repository).</summary>
    public string DataDirectory { get; set; } = ".data/redis";

    public string ServerPath { get; set; } = "redis-server";
}
