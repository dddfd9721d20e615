using System.Globalization;
using System.Text.Json.Serialization;
using MediaGateway.Platforms.Internal;

namespace MediaGateway.Platforms.Weibo;

// The platform's JSON, field for field (weibo.md). Internal: callers see the contracts in WeiboContracts.cs.

internal class WeiboResult
{
    [JsonPropertyName("error")]
    public string? Error { get; set; }

    /// <summary>A number, or a string in older versions.</summary>
    [JsonPropertyName("error_code")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ErrorCode { get; set; }

    [JsonPropertyName("request")]
    public string? Request { get; set; }
}

internal sealed class StatusWire : WeiboResult
{
    [JsonPropertyName("id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }

    [JsonPropertyName("idstr")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? IdStr { get; set; }

    [JsonPropertyName("mid")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Mid { get; set; }

    [JsonPropertyName("created_at")]
    public string? CreatedAt { get; set; }

    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("user")]
    public UserWire? User { get; set; }

    [JsonPropertyName("original_pic")]
    public string? OriginalPic { get; set; }
}

internal sealed class UserWire
{
    [JsonPropertyName("id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }

    [JsonPropertyName("idstr")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? IdStr { get; set; }

    [JsonPropertyName("screen_name")]
    public string? ScreenName { get; set; }
}

internal sealed class TokenInfoWire : WeiboResult
{
    [JsonPropertyName("uid")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Uid { get; set; }

    [JsonPropertyName("appkey")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? AppKey { get; set; }

    [JsonPropertyName("scope")]
    public string? Scope { get; set; }

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("create_at")]
    public long? CreateAt { get; set; }

    /// <summary>Remaining seconds.</summary>
    [JsonPropertyName("expire_in")]
    public long ExpireIn { get; set; }
}

internal sealed class RateLimitWire : WeiboResult
{
    [JsonPropertyName("ip_limit")]
    public int IpLimit { get; set; }

    [JsonPropertyName("remaining_ip_hits")]
    public int RemainingIpHits { get; set; }

    [JsonPropertyName("remaining_user_hits")]
    public int RemainingUserHits { get; set; }

    [JsonPropertyName("reset_time_in_seconds")]
    public int ResetTimeInSeconds { get; set; }

    [JsonPropertyName("user_limit")]
    public int UserLimit { get; set; }

    [JsonPropertyName("limit_time_unit")]
    public string? LimitTimeUnit { get; set; }
}

/// <summary><c>statuses/user_timeline</c>: one page of the user's own statuses, newest first.</summary>
internal sealed class TimelineWire : WeiboResult
{
    [JsonPropertyName("statuses")]
    public List<StatusWire>? Statuses { get; set; }

    [JsonPropertyName("total_number")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? TotalNumber { get; set; }
}

/// <summary>Weibo's <c>created_at</c>: "Wed Oct 24 23:49:17 +0800 2012" (C's asctime with a numeric zone).</summary>
internal static class WeiboDates
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Null when <paramref name="value"/> is missing or not in that shape (a post is never refused for its date).</summary>
    public static DateTimeOffset? ParseCreatedAt(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            return null;
        }

        var month = Array.FindIndex(Months, m => string.Equals(m, parts[1], StringComparison.OrdinalIgnoreCase)) + 1;
        if (month == 0
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !int.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !TimeOnly.TryParseExact(parts[3], "HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            || !TryParseOffset(parts[4], out var offset))
        {
            return null;
        }

        if (day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        return new DateTimeOffset(new DateOnly(year, month, day), time, offset);
    }

    /// <summary>"+0800", "-0530" or "+08:00".</summary>
    private static bool TryParseOffset(string s, out TimeSpan offset)
    {
        offset = default;
        var digits = s.Replace(":", string.Empty, StringComparison.Ordinal);
        if (digits.Length != 5 || (digits[0] != '+' && digits[0] != '-')
            || !int.TryParse(digits.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(digits.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || hours > 14 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (digits[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }
}
