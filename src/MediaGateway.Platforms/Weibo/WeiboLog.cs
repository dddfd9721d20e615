using Microsoft.Extensions.Logging;

namespace MediaGateway.Platforms.Weibo;

/// <summary>What the Weibo client logs: path and error code. Never a token.</summary>
internal static partial class WeiboLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Weibo {Path} failed: error_code {ErrorCode} ({ErrorClass})")]
    public static partial void PlatformError(ILogger logger, string path, string errorCode, PlatformErrorClass errorClass);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Weibo {Path} failed in transport: {Code} (outcome unknown: {OutcomeUnknown})")]
    public static partial void TransportError(ILogger logger, string path, string code, bool outcomeUnknown);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Weibo {Path} accepted without a status body: error_code {ErrorCode}")]
    public static partial void AcceptedWithoutStatus(ILogger logger, string path, int errorCode);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Error, Message = "Weibo {Path} rejected a malformed request: error_code {ErrorCode}")]
    public static partial void MalformedRequest(ILogger logger, string path, string errorCode);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Weibo lookup: post {IdStr} on timeline page {Page} has the same text (whose it is, the caller decides)")]
    public static partial void Reconciled(ILogger logger, string idStr, int page);
}
