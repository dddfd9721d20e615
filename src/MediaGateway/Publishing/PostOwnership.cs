using System.Security.Cryptography;
using System.Text;
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
internal sealed class PostOwnership(IConnectionMultiplexer redis, RedisKeys keys)
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

    /// <summary>What identifies a send's content on the platform, hashed: the Weibo text, or the WeChat title and "read original" link.</summary>
    public static string ContentHash(string content) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..32];

    /// <summary>
    /// Queues, with the save of a send marker, the record that this publication sends this content on this account from
    /// <paramref name="sendAt"/> on (ZADD NX: a retry keeps the first send's time, so nothing else needs to remember it).
    /// </summary>
    public void RecordSend(ConditionalWrite write, Account account, string contentHash, string publicationId, DateTimeOffset sendAt)
    {
        var key = keys.ContentSends(account.Id, contentHash);
        write.SortedSetAddNew(key, publicationId, sendAt.ToUnixTimeMilliseconds());
        write.KeyExpire(key, TimeSpan.FromDays(7));
    }

    /// <summary>
    /// When the other publications that sent the same content on this account and hold no post yet started sending: any of
    /// them may have made a post found now.
    /// </summary>
    public async Task<IReadOnlyList<DateTimeOffset>> OtherUnresolvedSendsAsync(Account account, string contentHash, string publicationId)
    {
        var db = redis.GetDatabase();
        var sends = await db.SortedSetRangeByRankWithScoresAsync(keys.ContentSends(account.Id, contentHash));
        var others = sends.Where(s => (string?)s.Element != publicationId).ToList();
        if (others.Count == 0)
        {
            return [];
        }

        var stored = await db.StringGetAsync(others.Select(s => (RedisKey)keys.Publication((string)s.Element!)).ToArray());
        var unresolved = new List<DateTimeOffset>();
        for (var i = 0; i < others.Count; i++)
        {
            if (stored[i].IsNull || Json.Deserialize<Publication>(stored[i]).PlatformId is null)
            {
                unresolved.Add(DateTimeOffset.FromUnixTimeMilliseconds((long)others[i].Score));
            }
        }

        return unresolved;
    }
}

/// <summary>What a look on the platform found for a publication whose send may have happened.</summary>
internal abstract record Reconciled
{
    /// <summary>Exactly one post is this publication's: held by it, or the only free one made after it existed that no other unresolved send could have made.</summary>
    internal sealed record Mine(PostCandidate Post) : Reconciled;

    /// <summary>Nothing that could be this publication's.</summary>
    internal sealed record None : Reconciled;

    /// <summary>Two or more posts could be: a person decides.</summary>
    internal sealed record Several(IReadOnlyList<PostCandidate> Candidates) : Reconciled;

    /// <summary>One post could be this publication's, but another unresolved send of the same content could have made it too.</summary>
    internal sealed record Shared(PostCandidate Post) : Reconciled;

    /// <summary>
    /// The rule of the fact sheets ("How to reconcile without guessing", "Text is not an identity"). A post found on the
    /// platform is this publication's only if nobody else holds it, it was created after the publication existed
    /// (<paramref name="notBefore"/>, less <paramref name="skew"/> for the platform's clock), and no other publication that
    /// sent the same content on the account and holds nothing yet had started sending by then
    /// (<paramref name="otherUnresolvedSends"/>): that one could have made it. A post held by this publication is its own
    /// whatever else is found; two or more free ones are never picked between.
    /// </summary>
    /// <remarks>
    /// The lower bound is the publication's creation, not its first send attempt: a crash or a Redis failover can lose the
    /// saved send marker (and with it the first attempt's time) after the post was made, and the post must still be found.
    /// A post of another item with the same content made after this publication existed is either held by that item, or
    /// that item's send is unresolved and makes the post <see cref="Shared"/>.
    /// </remarks>
    /// <param name="found">Posts that match the content (text, or title and link), with who holds each (null: nobody).</param>
    public static Reconciled Choose(string publicationId, DateTimeOffset notBefore, TimeSpan skew, IReadOnlyList<PostCandidate> found,
        IReadOnlyList<DateTimeOffset> otherUnresolvedSends)
    {
        if (found.FirstOrDefault(f => f.HeldBy == publicationId) is { } own)
        {
            return new Mine(own);
        }

        // One post is one candidate however often the platform lists it (a listing can page over the same article twice).
        var free = found.Where(f => f.HeldBy is null && f.CreatedAt is { } at && at >= notBefore - skew).DistinctBy(f => f.PlatformId).ToList();
        return free.Count switch
        {
            0 => new None(),
            1 when otherUnresolvedSends.Any(s => s <= free[0].CreatedAt!.Value + skew) => new Shared(free[0]),
            1 => new Mine(free[0]),
            _ => new Several(free),
        };
    }
}
