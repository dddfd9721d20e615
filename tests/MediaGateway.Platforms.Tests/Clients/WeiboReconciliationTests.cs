using MediaGateway.Platforms.Weibo;

namespace MediaGateway.Platforms.Tests.Clients;

/// <summary>The pure helpers behind reconciliation and the token watcher.</summary>
public sealed class WeiboReconciliationTests
{
    private const string Sent = "【通知】国庆假期安排 https://www.example.gov.cn/a/1";

    [Fact]
    public void TheSameText_Matches()
    {
        Assert.True(WeiboPostMatch.SameText(Sent, Sent));
    }

    [Fact]
    public void TheLinkRewrittenAsAShortLink_StillMatches_ButNothingElseMayDiffer()
    {
        Assert.True(WeiboPostMatch.SameText(Sent, "【通知】国庆假期安排 http://t.cn/A6abcdEf"));
        Assert.True(WeiboPostMatch.SameText(Sent, "【通知】国庆假期安排  http://t.cn/A6abcdEf "));
        Assert.False(WeiboPostMatch.SameText(Sent, "【通知】国庆假期安排。 http://t.cn/A6abcdEf"));
        Assert.False(WeiboPostMatch.SameText(Sent, "【通知】春节假期安排 https://www.example.gov.cn/a/1"));
        Assert.False(WeiboPostMatch.SameText(Sent, "【通知】国庆假期安排"));
    }

    [Fact]
    public void ALinkAlone_NeverMatchesAnotherLink()
    {
        Assert.False(WeiboPostMatch.SameText("https://www.example.gov.cn/a", "https://www.example.gov.cn/b"));
    }

    [Fact]
    public void NearExpiry_IsWithinTheWindow_InclusiveAndConfigurable()
    {
        static WeiboTokenInfo Left(TimeSpan t) => new("1", "app", null, null, t);

        Assert.True(WeiboTokenExpiry.IsNearExpiry(Left(TimeSpan.FromDays(2)), TimeSpan.FromDays(2)));
        Assert.False(WeiboTokenExpiry.IsNearExpiry(Left(TimeSpan.FromDays(2) + TimeSpan.FromSeconds(1)), TimeSpan.FromDays(2)));
        Assert.True(WeiboTokenExpiry.IsNearExpiry(Left(TimeSpan.FromHours(5)), TimeSpan.FromHours(6)));
        Assert.False(WeiboTokenExpiry.IsNearExpiry(Left(TimeSpan.FromHours(7)), TimeSpan.FromHours(6)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeiboTokenExpiry.IsNearExpiry(Left(TimeSpan.Zero), TimeSpan.FromHours(-1)));
    }

    [Fact]
    public void Assess_GivesTheExpiryTime_AndFlagsAnExpiredToken()
    {
        var at = new DateTimeOffset(2025, 11, 3, 8, 0, 0, TimeSpan.Zero);

        var week = WeiboTokenExpiry.Assess(new WeiboTokenInfo("1", "app", null, null, TimeSpan.FromDays(7)), at, WeiboTokenExpiry.DefaultWarningWindow);
        var gone = WeiboTokenExpiry.Assess(new WeiboTokenInfo("1", "app", null, null, TimeSpan.Zero), at, WeiboTokenExpiry.DefaultWarningWindow);

        Assert.Equal(new WeiboTokenExpiryState(at.AddDays(7), TimeSpan.FromDays(7), NearExpiry: false, Expired: false), week);
        Assert.Equal(new WeiboTokenExpiryState(at, TimeSpan.Zero, NearExpiry: true, Expired: true), gone);
    }

    [Fact]
    public void NextCheck_IsHalfWayToTheWindow_BoundedByTheMinimumAndADay()
    {
        static WeiboTokenInfo Left(TimeSpan t) => new("1", "app", null, null, t);
        var window = TimeSpan.FromDays(2);
        var minimum = TimeSpan.FromMinutes(30);

        Assert.Equal(TimeSpan.FromDays(1), WeiboTokenExpiry.NextCheckIn(Left(TimeSpan.FromDays(7)), window, minimum));
        Assert.Equal(TimeSpan.FromHours(6), WeiboTokenExpiry.NextCheckIn(Left(TimeSpan.FromDays(2.5)), window, minimum));
        Assert.Equal(minimum, WeiboTokenExpiry.NextCheckIn(Left(TimeSpan.FromDays(1)), window, minimum));
    }
}
