using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>
/// What a WeChat push (<see cref="WeChatCallbackApi"/>) needs: which publication a finished job belongs to (the index the
/// publisher writes with the step that submitted it), and moving that publication's next outcome poll to now.
/// </summary>
internal sealed class WeChatPushStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>The publication of a WeChat job (a publish_id, or <c>mass-</c> and a msg_id), if the index still has it.</summary>
    public async Task<string?> PublicationOfAsync(string appId, string job) =>
        await redis.GetDatabase().StringGetAsync(keys.WeChatPublishIndex(appId, job));

    /// <summary>
    /// Makes the publication due now in whichever lane it waits. Only a publication already waiting in a due set is moved
    /// forward (XX): a late push cannot revive a finished one.
    /// </summary>
    public async Task PollNowAsync(string publicationId, DateTimeOffset now)
    {
        var db = redis.GetDatabase();
        foreach (var lane in PublishQueue.Lanes)
        {
            await db.SortedSetAddAsync(keys.PublishDueOf(lane), publicationId, now.ToUnixTimeMilliseconds(), SortedSetWhen.Exists);
        }
    }
}
