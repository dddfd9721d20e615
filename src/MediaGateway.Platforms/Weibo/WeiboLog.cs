using Microsoft.Extensions.Logging;

namespace MediaGateway.Platforms.Weibo;

/// <summary>What the Weibo client logs: path and error code. Never a token.</summary>
internal static partial class WeiboLog
{
    [LoggerMessage(EventId = PlatformEventIds.WeiboPlatformError, Level = LogLevel.Warning, Message = "Weibo {Path} failed: error_code {ErrorCode} ({ErrorClass})")]
    public static partial void PlatformError(ILogger logger, string path, string errorCode, PlatformErrorClass errorClass);

    [LoggerMessage(EventId = PlatformEventIds.WeiboTransportError, Level = LogLevel.Warning, Message = "Weibo {Path} failed in transport: {Code} (outcome unknown: {OutcomeUnknown})")]
    public static partial void TransportError(ILogger logger, string path, string code, bool outcomeUnknown);

    [LoggerMessage(EventId = PlatformEventIds.WeiboAcceptedWithoutStatus, Level = LogLevel.Information, Message = "Weibo {Path} accepted without a status body: error_code {ErrorCode}")]
    public static partial void AcceptedWithoutStatus(ILogger logger, string path, int errorCode);

    [LoggerMessage(EventId = PlatformEventIds.WeiboMalformedRequest, Level = LogLevel.Error, Message = "Weibo {Path} rejected a malformed request: error_code {ErrorCode}")]
    public static partial void MalformedRequest(ILogger logger, string path, string errorCode);

    [LoggerMessage(EventId = PlatformEventIds.WeiboPostReconciled, Level = LogLevel.Information, Message = "Weibo lookup: post {IdStr} on timeline page {Page} has the same text (whose it is, the caller decides)")]
    public static partial void Reconciled(ILogger logger, string idStr, int page);
}
