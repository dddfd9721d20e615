namespace MediaGateway.Platforms.Tests.Clients;

/// <summary>
/// What an error says besides its class (decision 33): whether a limit is the account's, and when a closed window
/// reopens. The gateway reads these instead of the platforms' codes.
/// </summary>
public class PlatformErrorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 58, 30, TimeSpan.Zero); // 11:58:30 in China

    [Theory]
    [InlineData(PlatformErrorClass.RateLimited, true)]
    [InlineData(PlatformErrorClass.Quota, true)]
    [InlineData(PlatformErrorClass.Transient, false)]
    [InlineData(PlatformErrorClass.Auth, false)]
    [InlineData(PlatformErrorClass.Content, false)]
    [InlineData(PlatformErrorClass.Permanent, false)]
    public void ALimitIsTheAccounts_UnlessTheCodeSaysOtherwise(PlatformErrorClass errorClass, bool limitsAccount)
    {
        // e.g. an HTTP 429 without a platform code: the account's window.
        Assert.Equal(limitsAccount, new PlatformException(Platform.Weibo, "http-429", "m", errorClass, "e").LimitsAccount);
        Assert.False(new PlatformException(Platform.WeChat, "45066", "m", errorClass, "e") { LimitsAccount = false }.LimitsAccount);
    }

    [Fact]
    public void AWindowReopens_AfterThePlatformsTime_WhenItGivesOne()
    {
        var e = new PlatformException(Platform.WeChat, "45011", "m", PlatformErrorClass.RateLimited, "e", TimeSpan.FromSeconds(30));
        Assert.Equal(Now.AddSeconds(30), e.ReopensAt(Now));
    }

    [Theory]
    [InlineData(Platform.WeChat, PlatformErrorClass.Quota, "2026-12-08T00:00:00+08:00")] // a daily quota: the next China day
    [InlineData(Platform.WeChat, PlatformErrorClass.RateLimited, "2026-12-07T03:59:00Z")] // per minute: the next minute
    [InlineData(Platform.Weibo, PlatformErrorClass.Quota, "2026-12-08T00:00:00+08:00")]
    [InlineData(Platform.Weibo, PlatformErrorClass.RateLimited, "2026-12-07T04:00:00Z")] // Weibo's hourly windows: the next hour
    public void AWindowWithoutTheirTime_ReopensWhenThePlatformsWindowForTheClassDoes(Platform platform, PlatformErrorClass errorClass, string reopens)
    {
        var e = new PlatformException(platform, "x", "m", errorClass, "e");
        Assert.Equal(DateTimeOffset.Parse(reopens, System.Globalization.CultureInfo.InvariantCulture), e.ReopensAt(Now));
    }
}
