namespace MediaGateway.Platforms;

/// <summary>
/// Every log event id the platform clients write, in one place. They share the gateway's log, so they keep to
/// 1100–1299, which the gateway's own registry (<c>MediaGateway.Observability.EventIds</c>) leaves free; an id is
/// unique across both registries (the gateway's LogEventIdTests fails otherwise).
/// </summary>
internal static class PlatformEventIds
{
    // WeChat client (1100–1199)
    public const int WeChatTokenFetched = 1101;
    public const int WeChatRefreshLockNotAcquired = 1102;
    public const int WeChatRefreshFailedUsingCached = 1103;
    public const int WeChatTokenRejected = 1104;
    public const int WeChatPlatformError = 1105;
    public const int WeChatMalformedRequest = 1106;
    public const int WeChatTransportError = 1107;
    public const int WeChatMassAlreadySent = 1108;

    // Weibo client (1200–1299)
    public const int WeiboPlatformError = 1201;
    public const int WeiboTransportError = 1202;
    public const int WeiboAcceptedWithoutStatus = 1203;
    public const int WeiboMalformedRequest = 1204;
    public const int WeiboPostReconciled = 1205;
}
