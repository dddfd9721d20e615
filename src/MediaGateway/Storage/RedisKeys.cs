namespace MediaGateway.Storage;

/// <summary>
/// Every Redis key the gateway writes, in one place. Keys of one content item share the hash tag
/// <c>{c:ID}</c>; the queues are global keys (see docs/architecture.md, "Redis layout").
/// </summary>
public sealed class RedisKeys(string prefix)
{
    public string Content(string id) => $"{prefix}:{{c:{id}}}:content";

    /// <summary>A replaced revision of an item, kept for the reviewer's diff.</summary>
    public string ContentRevision(string id, int revision) => $"{prefix}:{{c:{id}}}:rev:{revision}";

    public string ContentIndex => $"{prefix}:content:index";

    public string Publication(string id) => $"{prefix}:{{c:{ContentIdOf(id)}}}:pub:{id}";

    public string PublicationLock(string id) => $"{prefix}:{{c:{ContentIdOf(id)}}}:pub-lock:{id}";

    public string Media(string id) => $"{prefix}:media:{id}";

    /// <summary>Definitions of accounts opened through the API (id → configuration keys; secrets only as references).</summary>
    public string AccountDefinitions => $"{prefix}:accounts:defined";

    /// <summary>An account's managed state (name, status, ownership, allow-list, history).</summary>
    public string AccountState(string id) => $"{prefix}:account:{id}:state";

    /// <summary>Stream of publications ready to work on (consumer group <see cref="PublishGroup"/>).</summary>
    public string PublishStream => $"{prefix}:publish:stream";

    public const string PublishGroup = "publishers";

    /// <summary>Sorted set: publication id → when it is due (schedule, retry back-off, outcome poll).</summary>
    public string PublishDue => $"{prefix}:publish:due";

    /// <summary>Stream of domain events (consumer group <see cref="WebhookGroup"/> fans them out to subscribers).</summary>
    public string EventStream => $"{prefix}:events";

    public const string WebhookGroup = "webhooks";

    public string WebhookDelivery(string id) => $"{prefix}:webhook:delivery:{id}";

    public string WebhookDue => $"{prefix}:webhook:due";

    public string WebhookLog(string subscriptionId) => $"{prefix}:webhook:log:{subscriptionId}";

    /// <summary>The audit chain (P7): stream with ids "{seq}-0", fields body and hash.</summary>
    public string AuditStream => $"{prefix}:audit";

    /// <summary>"{seq}:{hash}" of the last audit entry.</summary>
    public string AuditHead => $"{prefix}:audit:head";

    /// <summary>Marks an event as appended to the audit chain, so a reclaimed event is never appended twice.</summary>
    public string AuditedEvent(string eventId) => $"{prefix}:audit:event:{eventId}";

    /// <summary>Sequence numbers of one item's audit entries.</summary>
    public string AuditOfContent(string contentId) => $"{prefix}:audit:content:{contentId}";

    /// <summary>publish_id → publication id, so a PUBLISHJOBFINISH push finds its publication.</summary>
    public string WeChatPublishIndex(string appId, string publishId) => $"{prefix}:wechat:publish:{appId}:{publishId}";

    /// <summary>Successful mass sends of one WeChat account in one quota period (day or month, China time).</summary>
    public string WeChatMassCount(string appId, DateTimeOffset periodStart) =>
        $"{prefix}:wechat:mass-count:{appId}:{periodStart:yyyyMMdd}";

    /// <summary>Set once a Weibo token's coming expiry has been announced, so it is announced once.</summary>
    public string WeiboTokenWarned(string accountId, DateTimeOffset expiresAt) => $"{prefix}:weibo:token-warned:{accountId}:{expiresAt:yyyyMMddHH}";

    public string WeChatToken(string appId) => $"{prefix}:wechat:token:{appId}";

    public string WeChatTokenLock(string appId) => $"{prefix}:wechat:token-lock:{appId}";

    /// <summary>Publication ids are "{contentId}.r{revision}.{accountId}"; the content id is their first part.</summary>
    private static string ContentIdOf(string publicationId) => publicationId[..publicationId.IndexOf('.', StringComparison.Ordinal)];
}
