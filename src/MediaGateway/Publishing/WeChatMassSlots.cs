using MediaGateway.Platforms.WeChat;
using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>
/// A WeChat account's mass-send quota (1 a China day for a subscription account, 4 a China month for a service account)
/// taken atomically with the decision to send: one script checks the period's count and adds the publication, so any
/// number of workers and gateway processes together never call sendall more often than the quota allows (issue 18:
/// three queued sends at China midnight must not all call sendall). Taking is idempotent per publication, so a retry or
/// a resumed send keeps its slot.
/// </summary>
internal sealed class WeChatMassSlots(IConnectionMultiplexer redis, RedisKeys keys)
{
    private const string Script = """
        if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
        if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
        redis.call('SADD', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    /// <summary>True when the publication holds (now or already) one of the period's mass sends; false when they are all taken.</summary>
    public async Task<bool> TryTakeAsync(WeChatCredentials credentials, string publicationId, DateTimeOffset now)
    {
        var period = WeChatMassQuota.PeriodStart(credentials.AccountKind, now);
        var key = keys.WeChatMassSlots(credentials.AppId, period);
        var ttl = (long)(WeChatMassQuota.NextPeriodStart(credentials.AccountKind, now) - now + TimeSpan.FromDays(2)).TotalMilliseconds;
        var taken = await redis.GetDatabase().ScriptEvaluateAsync(Script, [key], [publicationId, WeChatMassQuota.Limit(credentials.AccountKind), ttl]);
        return (long)taken == 1;
    }
}
