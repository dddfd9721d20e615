using MediaGateway.Accounts;
using MediaGateway.Platforms;
using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>
/// Which publication holds which platform post (reliability promise 3a): a post is held by at most one publication,
/// claimed atomically with the save that records its id (<see cref="ConditionalWrite.Claim"/>), so no reconciliation,
/// re-drive or retraction can attach or delete a post that another publication holds.
/// </summary>
public sealed class PostOwnership(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>The name of a post on its platform, as claimed: Weibo idstr, WeChat article_id, WeChat mass msg_id.</summary>
    public static string PostName(Account account, string platformId) =>
        account.Platform == Platform.Weibo ? $"weibo:{platformId}"
        : account.PublishMode == PublishMode.MassSend ? $"wechat:{account.AppId}:mass:{platformId}"
        : $"wechat:{account.AppId}:article:{platformId}";

    public string KeyOf(string postName) => keys.PostClaim(postName);

    /// <summary>The publication holding each post (null: nobody), in the order given.</summary>
    public async Task<IReadOnlyList<string?>> HoldersAsync(Account account, IReadOnlyList<string> platformIds)
    {
        if (platformIds.Count == 0)
        {
            return [];
        }

        var values = await redis.GetDatabase().StringGetAsync(platformIds.Select(id => (RedisKey)keys.PostClaim(PostName(account, id))).ToArray());
        return values.Select(v => v.IsNull ? null : (string?)v).ToList();
    }

    /// <summary>The publication holding a post, or null.</summary>
    public async Task<string?> HolderAsync(Account account, string platformId) => (await HoldersAsync(account, [platformId]))[0];
}

/// <summary>What a look on the platform found for a publication whose send may have happened.</summary>
internal abstract record Reconciled
{
    /// <summary>Exactly one post is this publication's: created after its first send attempt, and held by nobody else (or by it).</summary>
    public sealed record Mine(PostCandidate Post) : Reconciled;

    /// <summary>Nothing that could be this publication's.</summary>
    public sealed record None : Reconciled;

    /// <summary>Two or more posts could be: a person decides.</summary>
    public sealed record Several(IReadOnlyList<PostCandidate> Candidates) : Reconciled;

    /// <summary>
    /// The rule of the fact sheets ("How to reconcile without guessing", "Text is not an identity"): a post found on the
    /// platform counts only if it was created at or after the publication's first send attempt (less
    /// <paramref name="skew"/> for the platform's clock) and is not held by another publication; one held by this
    /// publication is its own whatever else is found; two or more free ones are never picked between.
    /// </summary>
    /// <param name="found">Posts that match the content (text, or title and link), with who holds each (null: nobody).</param>
    public static Reconciled Choose(string publicationId, DateTimeOffset firstSendAt, TimeSpan skew, IReadOnlyList<PostCandidate> found)
    {
        if (found.FirstOrDefault(f => f.HeldBy == publicationId) is { } own)
        {
            return new Mine(own);
        }

        var free = found.Where(f => f.HeldBy is null && f.CreatedAt is { } at && at >= firstSendAt - skew).ToList();
        return free.Count switch
        {
            0 => new None(),
            1 => new Mine(free[0]),
            _ => new Several(free),
        };
    }
}
