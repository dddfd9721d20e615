namespace MediaGateway.Platforms.Weibo;

/// <summary>Where a Weibo token stands against the warning window, as of the moment it was checked.</summary>
/// <param name="ExpiresAt">When the token runs out: the check's time plus <c>expire_in</c>.</param>
/// <param name="Remaining">What <c>oauth2/get_token_info</c> said was left.</param>
/// <param name="NearExpiry">True when <see cref="Remaining"/> is within the warning window (or the token has expired).</param>
/// <param name="Expired">True when nothing is left: the owner must re-authorise before anything can be posted.</param>
public sealed record WeiboTokenExpiryState(DateTimeOffset ExpiresAt, TimeSpan Remaining, bool NearExpiry, bool Expired);

/// <summary>
/// Pure helper for the host's token watcher (weibo.md, "Tokens": no refresh token for web apps; an expired token needs the
/// account owner to re-authorise, so the gateway must warn the account's responsible person before expiry).
/// </summary>
public static class WeiboTokenExpiry
{
    /// <summary>Two days: a 7-day token (normal app level) warns on its 5th day; a 1-day test token always warns.</summary>
    public static readonly TimeSpan DefaultWarningWindow = TimeSpan.FromDays(2);

    /// <summary>True when the token has <paramref name="warningWindow"/> or less left.</summary>
    public static bool IsNearExpiry(WeiboTokenInfo info, TimeSpan warningWindow)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentOutOfRangeException.ThrowIfLessThan(warningWindow, TimeSpan.Zero);
        return info.ExpiresIn <= warningWindow;
    }

    /// <summary>The token's state as of <paramref name="checkedAt"/>, when <paramref name="info"/> was fetched.</summary>
    public static WeiboTokenExpiryState Assess(WeiboTokenInfo info, DateTimeOffset checkedAt, TimeSpan warningWindow)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentOutOfRangeException.ThrowIfLessThan(warningWindow, TimeSpan.Zero);
        var remaining = info.ExpiresIn < TimeSpan.Zero ? TimeSpan.Zero : info.ExpiresIn;
        return new WeiboTokenExpiryState(checkedAt + remaining, remaining, remaining <= warningWindow, remaining <= TimeSpan.Zero);
    }

    /// <summary>
    /// When the watcher should look again: half-way to the start of the warning window, at least every
    /// <paramref name="minimum"/> and at most every day, so the warning is never late by more than a day.
    /// </summary>
    public static TimeSpan NextCheckIn(WeiboTokenInfo info, TimeSpan warningWindow, TimeSpan minimum)
    {
        ArgumentNullException.ThrowIfNull(info);
        var untilWarning = info.ExpiresIn - warningWindow;
        var next = untilWarning <= TimeSpan.Zero ? minimum : untilWarning / 2;
        if (next < minimum)
        {
            next = minimum;
        }

        return next > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : next;
    }
}
