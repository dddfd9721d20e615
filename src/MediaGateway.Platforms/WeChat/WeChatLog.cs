using Microsoft.Extensions.Logging;

namespace MediaGateway.Platforms.WeChat;

/// <summary>What the WeChat client logs: appid, path, errcode. Never a secret or a token.</summary>
internal static partial class WeChatLog
{
    [LoggerMessage(EventId = PlatformEventIds.WeChatTokenFetched, Level = LogLevel.Information, Message = "WeChat token fetched for {AppId} (force_refresh={ForceRefresh}, expires in {ExpiresIn} s)")]
    public static partial void TokenFetched(ILogger logger, string appId, bool forceRefresh, int expiresIn);

    [LoggerMessage(EventId = PlatformEventIds.WeChatRefreshLockNotAcquired, Level = LogLevel.Warning, Message = "WeChat token refresh lock for {AppId} not acquired in time; fetching without it")]
    public static partial void RefreshLockNotAcquired(ILogger logger, string appId);

    [LoggerMessage(EventId = PlatformEventIds.WeChatRefreshFailedUsingCached, Level = LogLevel.Warning, Message = "WeChat token refresh for {AppId} failed ({Code}); using the cached token until it expires")]
    public static partial void RefreshFailedUsingCached(ILogger logger, string appId, string code);

    [LoggerMessage(EventId = PlatformEventIds.WeChatTokenRejected, Level = LogLevel.Warning, Message = "WeChat {Path} for {AppId} refused the token (errcode {ErrCode}); refreshing and retrying once")]
    public static partial void TokenRejected(ILogger logger, string path, string appId, int errCode);

    [LoggerMessage(EventId = PlatformEventIds.WeChatPlatformError, Level = LogLevel.Warning, Message = "WeChat {Path} for {AppId} failed: errcode {ErrCode} ({ErrorClass})")]
    public static partial void PlatformError(ILogger logger, string path, string appId, int errCode, PlatformErrorClass errorClass);

    [LoggerMessage(EventId = PlatformEventIds.WeChatMalformedRequest, Level = LogLevel.Error, Message = "WeChat {Path} for {AppId} rejected a malformed request: errcode {ErrCode}")]
    public static partial void MalformedRequest(ILogger logger, string path, string appId, int errCode);

    [LoggerMessage(EventId = PlatformEventIds.WeChatTransportError, Level = LogLevel.Warning, Message = "WeChat {Path} for {AppId} failed in transport: {Code} (outcome unknown: {OutcomeUnknown})")]
    public static partial void TransportError(ILogger logger, string path, string appId, string code, bool outcomeUnknown);

    [LoggerMessage(EventId = PlatformEventIds.WeChatMassAlreadySent, Level = LogLevel.Information, Message = "WeChat mass send for {AppId}: clientmsgid already sent (45065), taking msg_id {MsgId} as success")]
    public static partial void MassAlreadySent(ILogger logger, string appId, string msgId);
}
