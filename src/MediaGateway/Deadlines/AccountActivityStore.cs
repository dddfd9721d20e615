using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Deadlines;

/// <summary>
/// What the dormancy watch keeps in Redis (<see cref="AccountActivity"/>): each account's last publication time and since
/// when it is watched, and how far the audit chain has been counted. Every write only moves forward (max-merge), so
/// several processes counting the same entries agree.
/// </summary>
internal sealed class AccountActivityStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    private const string MaxMerge = """
        local current = redis.call('HGET', KEYS[1], ARGV[1])
        if (not current) or tonumber(current) < tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
        return 1
        """;

    private const string CursorForward = """
        local current = redis.call('GET', KEYS[1])
        if (not current) or tonumber(current) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
        return 1
        """;

    /// <summary>The last audit sequence number already counted (0: none).</summary>
    public async Task<long> CursorAsync() => (long?)await redis.GetDatabase().StringGetAsync(keys.DormancyCursor) ?? 0;

    /// <summary>Moves the cursor to <paramref name="seq"/> unless it is further already.</summary>
    public Task MoveCursorAsync(long seq) => redis.GetDatabase().ScriptEvaluateAsync(CursorForward, [keys.DormancyCursor], [seq]);

    /// <summary>Records a publication of <paramref name="accountId"/> at <paramref name="at"/> unless a later one is recorded.</summary>
    public Task PublishedAsync(string accountId, DateTimeOffset at) =>
        redis.GetDatabase().ScriptEvaluateAsync(MaxMerge, [keys.AccountLastPublished], [accountId, at.ToUnixTimeMilliseconds()]);

    /// <summary>Each account's last publication (Unix milliseconds).</summary>
    public Task<Dictionary<string, long>> LastPublishedAsync() => ReadAllAsync(keys.AccountLastPublished);

    /// <summary>Since when each account is watched (Unix milliseconds).</summary>
    public Task<Dictionary<string, long>> WatchedSinceAsync() => ReadAllAsync(keys.AccountWatchedSince);

    /// <summary>Sets since when an account is watched, unless it is set.</summary>
    public Task WatchFromAsync(string accountId, long sinceMs) =>
        redis.GetDatabase().HashSetAsync(keys.AccountWatchedSince, accountId, sinceMs, When.NotExists);

    private async Task<Dictionary<string, long>> ReadAllAsync(string key) =>
        (await redis.GetDatabase().HashGetAllAsync(key)).ToDictionary(e => (string)e.Name!, e => (long)e.Value, StringComparer.Ordinal);
}
