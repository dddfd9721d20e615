namespace MediaGateway.Observability;

/// <summary>
/// Every log event id the gateway writes, in one place, by feature. An id names one kind of event, so that an alert or
/// a log query on it finds that event and no other. The gateway's log also carries its platform clients' events, whose
/// ids are in <c>MediaGateway.Platforms.PlatformEventIds</c> (1100–1299); an id is unique across both registries, and
/// every <c>[LoggerMessage]</c> takes its id from one of them (LogEventIdTests fails otherwise).
/// </summary>
internal static class EventIds
{
    // Hosting (1000–1099)
    public const int StoreNotDurable = 1001;
    public const int StoreUnreachableAtStart = 1002;

    // 1100–1299 belong to the platform clients (MediaGateway.Platforms.PlatformEventIds).

    // Accounts (1300–1399; 1301 and 1302 were 1101 and 1102 until they were found shared with the WeChat client)
    public const int AccountStateNotSynchronised = 1301;
    public const int AccountDefinitionUnusable = 1302;

    // Auth (1400–1499)
    public const int JwtUserUnknown = 1401;

    // Storage (1500–1599)
    public const int StreamUnreachable = 1501;
    public const int StreamReadAgain = 1502;

    // Publishing (2000–2399)
    public const int PublicationChangedConcurrently = 2001;
    public const int PublicationPlatformError = 2002;
    public const int PublicationLeaseLost = 2003;
    public const int PublicationResultRecordedLate = 2004;
    public const int PublicationMissing = 2005;
    public const int PublicationPostHeldElsewhere = 2006;
    public const int PublisherRedisUnavailable = 2101;
    public const int PublicationFailedUnexpectedly = 2102;
    public const int WeChatCallbackRefused = 2201;
    public const int WeiboTokenExpiring = 2301;
    public const int WeiboTokenCheckFailed = 2302;
    public const int WeChatTokenNotKept = 2311;

    // Webhooks (3000–3999)
    public const int WebhookDeliveryFailed = 3001;
    public const int WebhookRedisUnavailable = 3002;
    public const int WebhookEventUnreadable = 3003;
    public const int WebhookDeliveryNotRecorded = 3004;
    public const int WebhookSubscriptionDisabled = 3010;

    // Audit (4000–4999)
    public const int RuleListReloadNotAudited = 4001;
    public const int AuditCheckpointWritten = 4002;
    public const int AuditCheckpointFailed = 4003;

    // Content review rules (5000–5999)
    public const int RulesLoaded = 5001;
    public const int RulesReloaded = 5002;
    public const int RuleListRejected = 5003;

    // Calendar and deadlines (8000–8999)
    public const int CalendarYearProvisional = 8001;
    public const int CalendarYearMissing = 8002;
    public const int HolidayNoticeMissing = 8003;
    public const int HolidayNoticeCheckFailed = 8004;
    public const int HolidayNoticeLoaded = 8011;
    public const int HolidayNoticeStoredInvalid = 8012;
    public const int HolidayNoticesNotRead = 8013;
    public const int DeadlineAnnounced = 8101;
    public const int DeadlineCheckFailed = 8102;
    public const int AccountDormant = 8201;
    public const int DormancyCheckFailed = 8202;

    // Observability (9000–9099)
    public const int QueueDepthNotSampled = 9001;
    public const int MemoryTrimmed = 9021;

    // Configuration reload (9100–9399)
    public const int ConfigReloadRejected = 9101;
    public const int AccountOpenedByReload = 9102;
    public const int CalendarReloaded = 9301;
    public const int CalendarReloadRejected = 9302;

    // Notifications: work-chat robots (9400–9499)
    public const int RobotSendFailed = 9401;
    public const int RobotDisabled = 9402;
    public const int RobotEventsUnread = 9403;
}
