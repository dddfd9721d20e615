using System.Collections.Frozen;
using System.Globalization;

namespace MediaGateway.Platforms.Weibo;

/// <summary>The Weibo error sheet (shared/platforms/weibo.md, "Error codes") as data.</summary>
public static class WeiboErrors
{
    private static readonly TimeSpan HourWindow = TimeSpan.FromHours(1);

    private static readonly FrozenDictionary<int, (PlatformErrorClass Class, string Explanation)> Table = BuildTable();

    /// <summary>20032 (success, server slow) and 20053 (held for review): the post exists.</summary>
    public static bool MeansPostExists(int code) => code is 20032 or 20053;

    /// <summary>Classifies without a clock: the hourly window is given at its longest (one hour).</summary>
    public static PlatformErrorInfo Classify(int code, string error) => Classify(code, error, now: null);

    /// <summary>Classifies; with <paramref name="now"/>, a rate-limit window is measured to the next full hour.</summary>
    public static PlatformErrorInfo Classify(int code, string error, DateTimeOffset? now)
    {
        error ??= string.Empty;
        if (code == 10017)
        {
            return ClassifyInvalidParameter(error);
        }

        if (!Table.TryGetValue(code, out var row))
        {
            return new PlatformErrorInfo(PlatformErrorClass.Permanent,
                $"未知的平台错误（error_code {code.ToString(CultureInfo.InvariantCulture)}）：{error} / Unknown platform error: {error}");
        }

        TimeSpan? retryAfter = code is 10022 or 10023 or 10024 or 20016
            ? now is { } t ? UntilNextHour(t) : HourWindow
            : null;
        return new PlatformErrorInfo(row.Class, row.Explanation, retryAfter)
        {
            RefusedAsRepeat = code is 20017 or 20019 or 20111,
            // 20101: no such post; a delete of it has nothing left to do. (20102, another account's post, is not gone.)
            TargetGone = code == 20101,
        };
    }

    internal static PlatformException ToException(string code, string error, DateTimeOffset now, bool outcomeUnknown = false)
    {
        var info = int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var numeric)
            ? Classify(numeric, error, now)
            : new PlatformErrorInfo(PlatformErrorClass.Permanent, $"未知的平台错误（error_code {code}）：{error} / Unknown platform error: {error}");
        return info.ToException(Platform.Weibo, code, error, outcomeUnknown);
    }

    /// <summary>10017 says which parameter by its message: the safe-domain cases are content and configuration.</summary>
    private static PlatformErrorInfo ClassifyInvalidParameter(string error)
    {
        if (error.Contains("appkey not bind domain", StringComparison.OrdinalIgnoreCase))
        {
            return new PlatformErrorInfo(PlatformErrorClass.Configuration,
                "应用未绑定安全域名 / The app has no safe domain configured");
        }

        if (error.Contains("not find domain", StringComparison.OrdinalIgnoreCase))
        {
            return new PlatformErrorInfo(PlatformErrorClass.Content,
                "微博正文须包含应用安全域名下的链接 / The post must contain a link on the app's safe domain");
        }

        if (error.Contains("(status)", StringComparison.OrdinalIgnoreCase))
        {
            // e.g. a #topic#, which share.json refuses
            return new PlatformErrorInfo(PlatformErrorClass.Content, $"微博正文不被接受：{error} / The post text is not accepted: {error}");
        }

        return new PlatformErrorInfo(PlatformErrorClass.Permanent, $"参数值非法：{error} / A parameter value is invalid: {error}");
    }

    private static TimeSpan UntilNextHour(DateTimeOffset now)
    {
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, now.Offset);
        return hour.AddHours(1) - now;
    }

    private static FrozenDictionary<int, (PlatformErrorClass, string)> BuildTable()
    {
        var t = new Dictionary<int, (PlatformErrorClass, string)>();

        void Add(PlatformErrorClass c, int code, string explanation) => t.Add(code, (c, explanation));

        // system / service unavailable / RPC: back off, retry
        Add(PlatformErrorClass.Transient, 10001, "系统错误 / System error");
        Add(PlatformErrorClass.Transient, 10002, "服务暂停 / The service is unavailable");
        Add(PlatformErrorClass.Transient, 10003, "远程服务错误 / Remote service error");
        Add(PlatformErrorClass.Transient, 10009, "任务过多，系统繁忙 / Too many pending tasks; the system is busy");
        Add(PlatformErrorClass.Transient, 10010, "任务超时 / The job timed out");
        Add(PlatformErrorClass.Transient, 10011, "RPC 错误 / RPC error");

        // rate limits: wait for the hourly window
        Add(PlatformErrorClass.RateLimited, 10022, "IP 请求频次超过上限 / Too many requests from this IP address this hour");
        Add(PlatformErrorClass.RateLimited, 10023, "用户请求频次超过上限 / Too many requests for this user this hour");
        Add(PlatformErrorClass.RateLimited, 10024, "用户请求该接口的频次超过上限 / Too many requests to this API for this user this hour");
        Add(PlatformErrorClass.RateLimited, 20016, "发微博太频繁 / Posting too often");

        // token expired / invalid / revoked: re-authorise, stop, alert owner
        Add(PlatformErrorClass.Auth, 21327, "授权已过期，需账号所有者重新授权 / The access token has expired; the account owner must re-authorise");
        Add(PlatformErrorClass.Auth, 21332, "access_token 无效 / The access token is invalid");
        Add(PlatformErrorClass.Auth, 21301, "认证失败 / Authentication failed");
        Add(PlatformErrorClass.Auth, 21314, "Token 已被使用 / The token was already used");
        Add(PlatformErrorClass.Auth, 21315, "Token 已过期 / The token has expired");
        Add(PlatformErrorClass.Auth, 21316, "Token 不合法 / The token is not valid");
        Add(PlatformErrorClass.Auth, 21317, "Token 不合法 / The token is not valid");
        Add(PlatformErrorClass.Auth, 21318, "授权校验失败 / Authorisation verification failed");
        Add(PlatformErrorClass.Auth, 21319, "授权关系已被解除 / The authorisation was revoked");
        Add(PlatformErrorClass.Auth, 21335, "授权无效，需账号所有者重新授权 / The authorisation is no longer valid; the account owner must re-authorise");

        // app permission: configuration
        Add(PlatformErrorClass.Configuration, 10014, "应用没有该接口的权限 / The app lacks permission for this API");

        // parameters (10017 is decided by its message, see ClassifyInvalidParameter)
        Add(PlatformErrorClass.Permanent, 10016, "缺少必选参数 / A required parameter is missing");
        Add(PlatformErrorClass.Content, 10018, "请求长度超过限制 / The request is too long");

        // image
        Add(PlatformErrorClass.Content, 20005, "不支持的图片类型，仅支持 JPG、GIF、PNG / Unsupported image type (JPEG, GIF and PNG only)");
        Add(PlatformErrorClass.Content, 20006, "图片太大（须小于 5 MB） / The image is too large (must be under 5 MB)");
        Add(PlatformErrorClass.Content, 20007, "图片须以 multipart 方式上传 / The image must be sent as multipart/form-data");

        // text
        Add(PlatformErrorClass.Content, 20008, "内容为空 / The text is empty");
        Add(PlatformErrorClass.Content, 20012, "文字超过 140 个字 / The text is longer than 140 characters");
        Add(PlatformErrorClass.Content, 20013, "文字超过 300 个字 / The text is longer than 300 characters");

        // possible duplicate: reconcile first
        Add(PlatformErrorClass.Content, 20017, "与已发微博内容相似，请先核对是否已发布 / Similar content was already posted; check whether this post already exists");
        Add(PlatformErrorClass.Content, 20019, "与已发微博内容重复，请先核对是否已发布 / Identical content was already posted; check whether this post already exists");
        Add(PlatformErrorClass.Content, 20111, "不能发布相同的微博，请先核对是否已发布 / The same post cannot be published twice; check whether it already exists");

        // content or account: permanent, alert
        Add(PlatformErrorClass.Content, 20018, "包含非法网址 / The post contains an illegal link");
        Add(PlatformErrorClass.Content, 20020, "包含广告信息 / The post contains advertising");
        Add(PlatformErrorClass.Content, 20021, "包含非法内容 / The post contains illegal content");
        Add(PlatformErrorClass.Auth, 20022, "此 IP 地址上的行为异常 / Abnormal activity from this IP address");

        // the post exists
        Add(PlatformErrorClass.DuplicateOrSuccess, 20032, "发布成功，服务器可能有延迟 / Posted; the platform may be slow to show it");
        Add(PlatformErrorClass.DuplicateOrSuccess, 20053, "已发布，需人工审核（约 3 分钟） / Posted and held for manual review (about 3 minutes)");

        // missing / not yours
        Add(PlatformErrorClass.Permanent, 20101, "微博不存在 / The post does not exist");
        Add(PlatformErrorClass.Permanent, 20102, "不是你发布的微博 / The post is not yours");

        return t.ToFrozenDictionary();
    }
}
