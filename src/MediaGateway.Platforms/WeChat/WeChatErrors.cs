using System.Collections.Frozen;
using System.Globalization;

namespace MediaGateway.Platforms.WeChat;

/// <summary>The WeChat error sheet (shared/platforms/wechat-mp.md, "Error codes") as data.</summary>
public static class WeChatErrors
{
    /// <summary>Asia/Shanghai has had no daylight saving since 1991: a fixed offset is exact.</summary>
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private static readonly FrozenDictionary<int, (PlatformErrorClass Class, string Explanation)> Table = BuildTable();

    /// <summary>40001, 40014, 42001: the token was refused; the client refreshes it once and retries once.</summary>
    public static bool IsTokenRejected(int errcode) => errcode is 40001 or 40014 or 42001;

    /// <summary>Classifies without a clock: windows are given at their longest (45011 → 60 s).</summary>
    public static PlatformErrorInfo Classify(int errcode, string errmsg) => Classify(errcode, errmsg, now: null);

    /// <summary>Classifies; with <paramref name="now"/>, windows are measured to when they reopen (45011 the next minute, 45009 the next day).</summary>
    public static PlatformErrorInfo Classify(int errcode, string errmsg, DateTimeOffset? now) =>
        Classify(errcode, errmsg, now, WeChatAccountKind.Subscription);

    /// <summary>
    /// As <see cref="Classify(int, string, DateTimeOffset?)"/>; 45028 (mass-send quota) reopens with the account's
    /// period (wechat-mp.md, Mass send, Quotas): the next China day for a subscription account, the next China month for a service account.
    /// </summary>
    public static PlatformErrorInfo Classify(int errcode, string errmsg, DateTimeOffset? now, WeChatAccountKind accountKind)
    {
        if (!Table.TryGetValue(errcode, out var row))
        {
            return new PlatformErrorInfo(PlatformErrorClass.Permanent,
                $"未知的平台错误（errcode {errcode.ToString(CultureInfo.InvariantCulture)}）：{errmsg} / Unknown platform error: {errmsg}");
        }

        TimeSpan? retryAfter = errcode switch
        {
            45011 => now is { } t ? UntilNextMinute(t) : TimeSpan.FromMinutes(1),
            45066 => TimeSpan.FromSeconds(60),
            45009 => now is { } t ? UntilNextShanghaiDay(t) : null,
            45028 => now is { } t ? WeChatMassQuota.NextPeriodStart(accountKind, t) - t : null,
            _ => null,
        };
        return new PlatformErrorInfo(row.Class, row.Explanation, retryAfter)
        {
            // 45066: one clientmsgid was retried too soon; the account's other sends are not limited.
            LimitsAccount = row.Class is PlatformErrorClass.RateLimited or PlatformErrorClass.Quota && errcode != 45066,
            // 53600: the article_id names nothing (any more); a delete of it has nothing left to do.
            TargetGone = errcode == 53600,
        };
    }

    internal static PlatformException ToException(int errcode, string errmsg, DateTimeOffset now, bool outcomeUnknown = false,
        WeChatAccountKind accountKind = WeChatAccountKind.Subscription)
    {
        return Classify(errcode, errmsg, now, accountKind).ToException(Platform.WeChat, errcode.ToString(CultureInfo.InvariantCulture), errmsg, outcomeUnknown);
    }

    private static TimeSpan UntilNextMinute(DateTimeOffset now)
    {
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, now.Offset);
        return minute.AddMinutes(1) - now;
    }

    private static TimeSpan UntilNextShanghaiDay(DateTimeOffset now)
    {
        var local = now.ToOffset(Shanghai);
        return new DateTimeOffset(local.Date, Shanghai).AddDays(1) - now;
    }

    private static FrozenDictionary<int, (PlatformErrorClass, string)> BuildTable()
    {
        var t = new Dictionary<int, (PlatformErrorClass, string)>();

        void Add(PlatformErrorClass c, int code, string explanation) => t.Add(code, (c, explanation));

        // system busy: back off, retry
        Add(PlatformErrorClass.Transient, -1, "系统繁忙，请稍后重试 / The platform is busy; retry later");

        // token invalid / expired: the client refreshes once and retries once; seen again, it is an auth failure
        Add(PlatformErrorClass.Auth, 40001, "access_token 无效或不是最新的 / The access token is invalid or not the latest one");
        Add(PlatformErrorClass.Auth, 40014, "access_token 不合法 / The access token is not valid");
        Add(PlatformErrorClass.Auth, 42001, "access_token 已过期 / The access token has expired");

        // credentials: stop, alert owner
        Add(PlatformErrorClass.Auth, 40013, "AppID 无效 / The AppID is invalid");
        Add(PlatformErrorClass.Auth, 40125, "AppSecret 无效 / The AppSecret is invalid");
        Add(PlatformErrorClass.Auth, 40243, "AppSecret 已被冻结 / The AppSecret has been frozen");
        Add(PlatformErrorClass.Auth, 40002, "grant_type 不合法 / The grant type is not valid");

        // IP whitelist: configuration, stop, alert
        Add(PlatformErrorClass.Configuration, 40164, "调用接口的 IP 不在公众号的 IP 白名单中 / The calling IP address is not on the account's IP whitelist");
        Add(PlatformErrorClass.Configuration, 89501, "该 IP 正在等待管理员确认 / This IP address is waiting for the administrator's confirmation");
        Add(PlatformErrorClass.Configuration, 89502, "调用 IP 需管理员确认或已被拒绝 / The calling IP address needs the administrator's confirmation or was refused");
        Add(PlatformErrorClass.Configuration, 89503, "该 IP 的调用需要管理员确认 / Calls from this IP address need the administrator's confirmation");
        Add(PlatformErrorClass.Configuration, 89504, "调用 IP 需管理员确认或已被拒绝 / The calling IP address needs the administrator's confirmation or was refused");
        Add(PlatformErrorClass.Configuration, 89505, "调用 IP 需管理员确认或已被拒绝 / The calling IP address needs the administrator's confirmation or was refused");
        Add(PlatformErrorClass.Configuration, 89506, "该 IP 24 小时内被管理员拒绝两次 / The administrator refused this IP address twice within 24 hours");
        Add(PlatformErrorClass.Configuration, 89507, "该 IP 1 小时内被管理员拒绝一次 / The administrator refused this IP address within the last hour");

        // quotas and windows
        Add(PlatformErrorClass.Quota, 45009, "接口调用已达每日上限 / The daily API call quota is used up");
        Add(PlatformErrorClass.RateLimited, 45011, "接口调用过于频繁（每分钟上限） / Too many calls this minute");
        Add(PlatformErrorClass.Quota, 45028, "群发配额已用完 / The mass-send quota is used up");
        Add(PlatformErrorClass.DuplicateOrSuccess, 45065, "相同 clientmsgid 已群发过 / A mass send with this clientmsgid was already made");
        Add(PlatformErrorClass.RateLimited, 45066, "相同 clientmsgid 重试过快，请 60 秒后重试 / The same clientmsgid was retried too soon; retry after 60 seconds");
        // 45067: the sheet's "clientmsgid too long" (Mass send); the gateway derives ≤32-byte ids, so seeing it is a bug
        Add(PlatformErrorClass.Permanent, 45067, "clientmsgid 过长 / The clientmsgid is too long");

        // media: content, permanent, tell the operator
        Add(PlatformErrorClass.Content, 40007, "媒体文件 ID 无效 / The media id is invalid");
        Add(PlatformErrorClass.Content, 40005, "文件类型不支持 / The file type is not supported");
        Add(PlatformErrorClass.Content, 40006, "文件大小不符合要求 / The file size is not allowed");
        Add(PlatformErrorClass.Content, 40009, "图片大小不符合要求 / The image size is not allowed");
        Add(PlatformErrorClass.Content, 45001, "多媒体文件大小超过限制 / The media file is too large");

        // content too long
        Add(PlatformErrorClass.Content, 45002, "正文超过长度限制（须少于 2 万字且小于 1 MB） / The content is too long (must be under 20,000 characters and 1 MB)");
        Add(PlatformErrorClass.Content, 45003, "标题超过 32 个字 / The title is longer than 32 characters");
        Add(PlatformErrorClass.Content, 45004, "摘要超过 128 个字 / The digest is longer than 128 characters");
        Add(PlatformErrorClass.Content, 45005, "原文链接过长 / The \"read original\" link is too long");
        Add(PlatformErrorClass.Content, 45008, "图文消息超过 8 篇 / There are more than 8 articles");
        Add(PlatformErrorClass.Content, 45110, "作者超过 16 个字 / The author is longer than 16 characters");

        // unsupported content
        Add(PlatformErrorClass.Content, 45166, "正文含有不支持的内容（如链接） / The content contains something not supported (such as links)");
        Add(PlatformErrorClass.Content, 40155, "正文含有不允许的链接 / The content contains links that are not allowed");

        // malformed request: a bug, permanent, log loudly
        Add(PlatformErrorClass.Permanent, 40033, "请求含有不合法的字符（不能含 \\uxxxx 转义） / The request contains characters that are not allowed (no \\uXXXX escapes)");
        Add(PlatformErrorClass.Permanent, 47001, "请求数据格式错误 / The request body is malformed");
        Add(PlatformErrorClass.Permanent, 44002, "请求体为空 / The request body is empty");
        Add(PlatformErrorClass.Permanent, 41001, "缺少 access_token 参数 / The access_token parameter is missing");
        Add(PlatformErrorClass.Permanent, 43002, "需要 POST 请求 / The call requires POST");
        Add(PlatformErrorClass.Permanent, 40035, "请求参数不合法 / A request argument is not valid");

        // account: stop, alert owner
        Add(PlatformErrorClass.Auth, 48001, "公众号没有该接口的权限 / The account is not authorised for this API");
        Add(PlatformErrorClass.Auth, 48003, "公众号未同意群发协议 / The account has not accepted the mass-send agreement");
        Add(PlatformErrorClass.Auth, 48004, "接口已被封禁 / This API is banned for the account");
        Add(PlatformErrorClass.Auth, 50002, "公众号受限（可能已被封禁或接口权限被收回） / The account is restricted (banned, or the API permission was withdrawn)");
        Add(PlatformErrorClass.Auth, 53500, "发布功能已被封禁 / Publishing is banned for the account");

        // publishing
        Add(PlatformErrorClass.Transient, 53501, "发布请求过于频繁 / Publishing requests are too frequent");
        Add(PlatformErrorClass.Permanent, 53502, "publish_id 无效 / The publish_id is invalid");
        Add(PlatformErrorClass.Permanent, 53600, "article_id 无效 / The article_id is invalid");

        return t.ToFrozenDictionary();
    }
}
