using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Observability;

/// <summary>The trace context of each content item's submitting request (<c>{mg}:trace:ID</c>), written once, kept 30 days.</summary>
internal sealed class ItemTraceStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    private static readonly TimeSpan Keep = TimeSpan.FromDays(30);

    /// <summary>Stores <paramref name="traceparent"/> unless the item has one already (first writer wins).</summary>
    public Task RememberAsync(string contentId, string traceparent) =>
        redis.GetDatabase().StringSetAsync(keys.ContentTrace(contentId), traceparent, Keep, When.NotExists);

    public async Task<string?> FindAsync(string contentId) => await redis.GetDatabase().StringGetAsync(keys.ContentTrace(contentId));
}
