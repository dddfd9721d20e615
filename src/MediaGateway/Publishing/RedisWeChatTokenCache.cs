using MediaGateway.Platforms.WeChat;
using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>One access token per appid, shared by every gateway instance on this Redis; refresh under a short lock.</summary>
internal sealed class RedisWeChatTokenCache(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time) : IWeChatTokenCache
{
    private static readonly LuaScript ReleaseIfOwner = LuaScript.Prepare(
        "if redis.call('GET', @key) == @token then return redis.call('DEL', @key) else return 0 end");

    private static readonly LuaScript DeleteIfToken = LuaScript.Prepare(
        "local v = redis.call('GET', @key) if v and string.find(v, @token, 1, true) then return redis.call('DEL', @key) else return 0 end");

    public async Task<WeChatAccessToken?> GetAsync(string appId, CancellationToken cancellationToken)
    {
        var json = await redis.GetDatabase().StringGetAsync(keys.WeChatToken(appId));
        return json.IsNull ? null : Json.Deserialize<WeChatAccessToken>(json!);
    }

    public async Task SetAsync(string appId, WeChatAccessToken token, CancellationToken cancellationToken)
    {
        var ttl = token.ExpiresAt - time.GetUtcNow();
        if (ttl > TimeSpan.Zero)
        {
            await redis.GetDatabase().StringSetAsync(keys.WeChatToken(appId), Json.SerializeUtf8(token), ttl);
        }
    }

    public Task InvalidateAsync(string appId, string token, CancellationToken cancellationToken) =>
        redis.GetDatabase().ScriptEvaluateAsync(DeleteIfToken, new { key = (RedisKey)keys.WeChatToken(appId), token });

    public async Task<IAsyncDisposable?> AcquireRefreshLockAsync(string appId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var key = keys.WeChatTokenLock(appId);
        var owner = Guid.NewGuid().ToString("N");
        var deadline = time.GetUtcNow() + wait;
        do
        {
            if (await db.StringSetAsync(key, owner, TimeSpan.FromSeconds(30), When.NotExists))
            {
                return new Lock(db, key, owner);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }
        while (time.GetUtcNow() < deadline);

        return null;
    }

    private sealed class Lock(IDatabase db, string key, string owner) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await db.ScriptEvaluateAsync(ReleaseIfOwner, new { key = (RedisKey)key, token = owner });
    }
}
