using StackExchange.Redis;

namespace MediaGateway.Storage;

/// <summary>Consumer groups are created on first use and again whenever Redis says they are gone.</summary>
internal static class StreamGroups
{
    public static async Task EnsureAsync(IConnectionMultiplexer redis, string stream, string group)
    {
        try
        {
            await redis.GetDatabase().StreamCreateConsumerGroupAsync(stream, group, "0-0", createStream: true);
        }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
        }
    }

    public static bool IsMissingGroup(Exception e) => e is RedisServerException && e.Message.StartsWith("NOGROUP", StringComparison.Ordinal);
}
