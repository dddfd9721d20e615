namespace MediaGateway.Storage;

/// <summary>
/// Every Redis key the gateway writes, in one place. Every key starts with the prefix as a hash tag
/// (<c>{mg}:…</c>), so every transaction and script touches one slot and the same code runs on a single
/// Redis, behind Sentinel, and on Redis Cluster (see docs/architecture.md, "Redis layout").
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    private readonly string _tag = $"{{{prefix}}}";

    /// <summary>The hash tag every key starts with, e.g. <c>{mg}</c>.</summary>
    public string Tag => _tag;

    /// <summary>A replaced revision of an item, kept for the reviewer's diff.</summary>
    public string ContentRevision(string id, int revision) => $"{_tag}:content:{id}:rev:{revision}";

    public string Content(string id) => $"{_tag}:content:{id}";

    /// <summary>A value that changes, in the same transaction, with every write of the item: readers that keep a parsed
    /// copy check it instead of reading the whole document again.</summary>
    public string ContentStamp(string id) => $"{_tag}:content-stamp:{id}";

    public string ContentIndex => $"{_tag}:content:index";

    public string Publication(string id) => $"{_tag}:pub:{id}";

    public string PublicationLock(string id) => $"{_tag}:pub-lock:{id}";

    /// <summary>The W3C trace context of the request that submitted the item, so its later steps join one trace.</summary>
    public string ContentTrace(string id) => $"{_tag}:trace:{id}";

    public string Media(string id) => $"{_tag}:media:{id}";

    /// <summary>Definitions of accounts opened through the API (id → configuration keys; secrets only as references).</summary>
    public string AccountDefinitions => $"{_tag}:accounts:defined";

    /// <summary>An account's managed state (name, status, ownership, allow-list, history).</summary>
    public string AccountState(string id) => $"{_tag}:account:{id}:state";

    /// <summary>Stream of publications ready to work on (consumer group <see cref="PublishGroup"/>).</summary>
    public string PublishStream => $"{_tag}:publish:stream";

    public const string PublishGroup = "publishers";

    /// <summary>The work stream of a lane (routine: <see cref="PublishStream"/>).</summary>
    public string PublishStreamOf(Publishing.PublishLane lane) =>
        lane == Publishing.PublishLane.Emergency ? $"{_tag}:publish:emergency:stream" : PublishStream;

    /// <summary>The due set of a lane (routine: <see cref="PublishDue"/>).</summary>
    public string PublishDueOf(Publishing.PublishLane lane) =>
        lane == Publishing.PublishLane.Emergency ? $"{_tag}:publish:emergency:due" : PublishDue;

    /// <summary>Sorted set: dead-lettered publication id → when it was dead-lettered.</summary>
    public string DeadLetters => $"{_tag}:publish:dead-letters";

    /// <summary>A publishing pause set by a person: scope "global" or an account id; JSON {by, reason, at}. No expiry.</summary>
    public string Pause(string scope) => $"{_tag}:pause:{scope}";

    /// <summary>An account held by the gateway until its platform window reopens (quota or rate limit); expires by itself.</summary>
    public string AccountHold(string accountId) => $"{_tag}:pause:hold:{accountId}";

    /// <summary>Publications parked by a pause of <paramref name="scope"/>, pulled forward in their order when it is lifted.</summary>
    public string Parked(string scope) => $"{_tag}:pause:parked:{scope}";

    /// <summary>Sends counted against an account's own limit in one window (e.g. Weibo posts per hour).</summary>
    public string AccountSends(string accountId, string window) => $"{_tag}:limits:{accountId}:{window}";

    /// <summary>Sorted set: publication id → when it is due (schedule, retry back-off, outcome poll).</summary>
    public string PublishDue => $"{_tag}:publish:due";

    /// <summary>Stream of domain events (consumer group <see cref="WebhookGroup"/> fans them out to subscribers).</summary>
    public string EventStream => $"{_tag}:events";

    public const string WebhookGroup = "webhooks";

    public string WebhookDelivery(string id) => $"{_tag}:webhook:delivery:{id}";

    public string WebhookDue => $"{_tag}:webhook:due";


    /// <summary>Hash: subscription id → its JSON record (with secrets); <see cref="WebhookSubscriptionsVersion"/> counts changes.</summary>
    public string WebhookSubscriptions => $"{_tag}:webhook:subscriptions";

    public string WebhookSubscriptionsVersion => $"{_tag}:webhook:subscriptions:version";

    /// <summary>Hash: since when a subscription fails, and how many deliveries exhausted their retries since its last success.</summary>
    public string WebhookHealth(string subscriptionId) => $"{_tag}:webhook:health:{subscriptionId}";

    /// <summary>Sorted set: a subscription's delivery attempts (log lines) by time, trimmed to the retention period.</summary>
    public string WebhookAttempts(string subscriptionId) => $"{_tag}:webhook:attempts:{subscriptionId}";

    /// <summary>The audit chain (P7): stream with ids "{seq}-0", fields body and hash.</summary>
    public string AuditStream => $"{_tag}:audit";

    /// <summary>"{seq}:{hash}" of the last audit entry.</summary>
    public string AuditHead => $"{_tag}:audit:head";

    /// <summary>The first signed audit entry's sequence (set once); checkpoints outside Redis carry it too.</summary>
    public string AuditKeyedFrom => $"{_tag}:audit:keyed-from";

    /// <summary>Marks an event as appended to the audit chain, so a reclaimed event is never appended twice.</summary>
    public string AuditedEvent(string eventId) => $"{_tag}:audit:event:{eventId}";

    /// <summary>A list that audit entries share (an item's accounts, its fingerprints), named by the SHA-256 of its JSON (<see cref="Audit.AuditParts"/>).</summary>
    public string AuditPart(string hash) => $"{_tag}:audit:part:{hash}";

    /// <summary>Sequence numbers of one item's audit entries.</summary>
    public string AuditOfContent(string contentId) => $"{_tag}:audit:content:{contentId}";

    /// <summary>
    /// A platform post → the one publication that holds it (issue 18, reliability promise 3a). <paramref name="post"/> names
    /// the post on its platform: "weibo:{idstr}", "wechat:{appid}:article:{article_id}", "wechat:{appid}:mass:{msg_id}".
    /// Written only by a <see cref="ConditionalWrite.Claim"/>, together with the save that records the id.
    /// </summary>
    public string PostClaim(string post) => $"{_tag}:post:{post}";

    /// <summary>
    /// Sorted set: the publications that started a send of the same content (<paramref name="contentHash"/>: the Weibo text,
    /// or the WeChat title and link) on one account → when their first send started. A post found on the platform may be
    /// any of theirs while they hold none.
    /// </summary>
    public string ContentSends(string accountId, string contentHash) => $"{_tag}:sends:{accountId}:{contentHash}";

    /// <summary>publish_id → publication id, so a PUBLISHJOBFINISH push finds its publication.</summary>
    public string WeChatPublishIndex(string appId, string publishId) => $"{_tag}:wechat:publish:{appId}:{publishId}";

    /// <summary>Set: the publications that took one of a WeChat account's mass sends in one quota period (day or month, China time).</summary>
    public string WeChatMassSlots(string appId, DateTimeOffset periodStart) =>
        $"{_tag}:wechat:mass-slots:{appId}:{periodStart:yyyyMMdd}";

    /// <summary>Set once a Weibo token's coming expiry has been announced, so it is announced once.</summary>
    /// <summary>The missing holiday notice of <paramref name="year"/> was announced (<c>calendar.notice_missing</c>, once).</summary>
    public string CalendarNoticeMissing(int year) => $"{_tag}:calendar:notice-missing:{year}";

    public string WeiboTokenWarned(string accountId, DateTimeOffset expiresAt) => $"{_tag}:weibo:token-warned:{accountId}:{expiresAt:yyyyMMddHH}";

    public string WeChatToken(string appId) => $"{_tag}:wechat:token:{appId}";

    public string WeChatTokenLock(string appId) => $"{_tag}:wechat:token-lock:{appId}";

    /// <summary>Set once a deadline notice (a threshold, or "missed") went out for an item's deadline, so it goes out once.</summary>
    public string DeadlineNotified(string contentId, string notice, DateTimeOffset deadline) =>
        $"{_tag}:deadline:{contentId}:{notice}:{deadline.ToUnixTimeSeconds()}";

    /// <summary>Hash: account id → unix ms of its latest publication (from the audit chain), for the dormancy watch.</summary>
    public string AccountLastPublished => $"{_tag}:dormancy:last-published";

    /// <summary>Hash: account id → unix ms since when the dormancy watch knows it (silence of an account that never published).</summary>
    public string AccountWatchedSince => $"{_tag}:dormancy:since";

    /// <summary>The last audit sequence number whose publications were counted into <see cref="AccountLastPublished"/>.</summary>
    public string DormancyCursor => $"{_tag}:dormancy:cursor";

    /// <summary>Set once an account's silence (since <paramref name="silentSinceMs"/>) was announced at a stage.</summary>
    public string DormancyNotified(string accountId, string stage, long silentSinceMs) => $"{_tag}:dormancy:sent:{accountId}:{stage}:{silentSinceMs}";

    /// <summary>ZSET: item id → the time (unix ms) it is scheduled for on one account; a hint index, the item decides (Scheduling, decision 44).</summary>
    public string Schedule(string accountId) => $"{_tag}:schedule:{accountId}";
}
