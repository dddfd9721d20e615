namespace MediaGateway.Platforms.WeChat;

/// <summary>
/// The mass-send quotas (wechat-mp.md, "Mass send", Quotas): a verified subscription account makes 1 successful mass
/// send per day; a service account reaches each follower at most 4 times per calendar month (modelled per account).
/// Days and months are China's (UTC+8, no daylight saving since 1991).
/// </summary>
public static class WeChatMassQuota
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>Successful mass sends allowed in one period.</summary>
    public static int Limit(WeChatAccountKind kind) => kind == WeChatAccountKind.Service ? 4 : 1;

    /// <summary>Start of the period containing <paramref name="now"/>: the China day (subscription) or China month (service).</summary>
    public static DateTimeOffset PeriodStart(WeChatAccountKind kind, DateTimeOffset now)
    {
        var local = now.ToOffset(China);
        return kind == WeChatAccountKind.Service
            ? new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, China)
            : new DateTimeOffset(local.Year, local.Month, local.Day, 0, 0, 0, China);
    }

    /// <summary>When the quota reopens after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextPeriodStart(WeChatAccountKind kind, DateTimeOffset now)
    {
        var start = PeriodStart(kind, now);
        return kind == WeChatAccountKind.Service ? start.AddMonths(1) : start.AddDays(1);
    }

    /// <summary>True when <paramref name="sentInPeriod"/> successful sends leave room for one more.</summary>
    public static bool HasRoom(WeChatAccountKind kind, int sentInPeriod) => sentInPeriod < Limit(kind);
}
