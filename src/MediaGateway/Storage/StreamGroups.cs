using StackExchange.Redis;

namespace MediaGateway.Storage;

/// <summary>Consumer groups are created on first use and again whenever Redis says they are gone.</summary>
internal static class StreamGroups
{
    /// <summary>Creates the group (and the stream) unless it exists; <paramref name="start"/> is where a new group begins reading.</summary>
    public static async Task EnsureAsync(IDatabase db, RedisKey stream, string group, RedisValue start)
    {
        try
        {
            await db.StreamCreateConsumerGroupAsync(stream, group, start, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
        }
    }

    public static bool IsMissingGroup(Exception e) => e is RedisServerException && e.Message.StartsWith("NOGROUP", StringComparison.Ordinal);
}
