using MediaGateway.Platforms.WeChat;

namespace MediaGateway.Platforms.Tests.Clients;

public class WeChatErrorsTests
{
    /// <summary>Every row of wechat-mp.md "Error codes and what the client does".</summary>
    public static TheoryData<int, PlatformErrorClass> SheetRows() => new()
    {
        { -1, PlatformErrorClass.Transient },
        { 40001, PlatformErrorClass.Auth }, { 40014, PlatformErrorClass.Auth }, { 42001, PlatformErrorClass.Auth },
        { 40013, PlatformErrorClass.Auth }, { 40125, PlatformErrorClass.Auth }, { 40243, PlatformErrorClass.Auth }, { 40002, PlatformErrorClass.Auth },
        { 40164, PlatformErrorClass.Configuration },
        { 89501, PlatformErrorClass.Configuration }, { 89502, PlatformErrorClass.Configuration }, { 89503, PlatformErrorClass.Configuration },
        { 89504, PlatformErrorClass.Configuration }, { 89505, PlatformErrorClass.Configuration }, { 89506, PlatformErrorClass.Configuration },
        { 89507, PlatformErrorClass.Configuration },
        { 45009, PlatformErrorClass.Quota },
        { 45011, PlatformErrorClass.RateLimited },
        { 45028, PlatformErrorClass.Quota },
        { 45065, PlatformErrorClass.DuplicateOrSuccess },
        { 45066, PlatformErrorClass.RateLimited },
        { 40007, PlatformErrorClass.Content }, { 40005, PlatformErrorClass.Content }, { 40006, PlatformErrorClass.Content },
        { 40009, PlatformErrorClass.Content }, { 45001, PlatformErrorClass.Content },
        { 45002, PlatformErrorClass.Content }, { 45003, PlatformErrorClass.Content }, { 45004, PlatformErrorClass.Content },
        { 45005, PlatformErrorClass.Content }, { 45008, PlatformErrorClass.Content }, { 45110, PlatformErrorClass.Content },
        { 45166, PlatformErrorClass.Content }, { 40155, PlatformErrorClass.Content },
        { 40033, PlatformErrorClass.Permanent }, { 47001, PlatformErrorClass.Permanent }, { 44002, PlatformErrorClass.Permanent },
        { 41001, PlatformErrorClass.Permanent }, { 43002, PlatformErrorClass.Permanent },
        { 48001, PlatformErrorClass.Auth }, { 48003, PlatformErrorClass.Auth }, { 48004, PlatformErrorClass.Auth },
        { 50002, PlatformErrorClass.Auth }, { 53500, PlatformErrorClass.Auth },
        { 53501, PlatformErrorClass.Transient },
        { 53502, PlatformErrorClass.Permanent }, { 53600, PlatformErrorClass.Permanent },
    };

    [Theory]
    [MemberData(nameof(SheetRows))]
    public void Classify_EverySheetRow_HasItsClassAndABilingualExplanation(int errcode, PlatformErrorClass expected)
    {
        var info = WeChatErrors.Classify(errcode, "platform says no rid: 1-2-3");

        Assert.Equal(expected, info.ErrorClass);
        ExplanationAssert.IsBilingual(info.Explanation);
        Assert.False(info.RefusedAsRepeat);
    }

    [Theory]
    [MemberData(nameof(SheetRows))]
    public void Classify_EverySheetRow_SaysWhetherItLimitsTheAccount_AndWhetherThePostIsGone(int errcode, PlatformErrorClass expected)
    {
        var info = WeChatErrors.Classify(errcode, "platform says no", DateTimeOffset.UnixEpoch);
        var raised = WeChatErrors.ToException(errcode, "platform says no", DateTimeOffset.UnixEpoch);

        // Quotas and rate limits close the account's window, except 45066: one clientmsgid retried too soon.
        var limitsAccount = expected is PlatformErrorClass.RateLimited or PlatformErrorClass.Quota && errcode != 45066;
        Assert.Equal(limitsAccount, info.LimitsAccount);
        Assert.Equal(errcode == 53600, info.TargetGone);
        Assert.Equal((expected, limitsAccount, errcode == 53600, info.RetryAfter), (raised.ErrorClass, raised.LimitsAccount, raised.TargetGone, raised.RetryAfter));
        if (limitsAccount)
        {
            // A window the gateway holds the account for always says when it reopens.
            Assert.NotNull(raised.RetryAfter);
        }
    }

    [Fact]
    public void Classify_TitleTooLong_ExplainsItForTheOperator()
    {
        Assert.Equal("标题超过 32 个字 / The title is longer than 32 characters", WeChatErrors.Classify(45003, "title size out of limit").Explanation);
    }

    [Fact]
    public void Classify_UnknownCode_IsPermanentWithThePlatformMessage()
    {
        var info = WeChatErrors.Classify(61451, "invalid parameter rid: abc");

        Assert.Equal(PlatformErrorClass.Permanent, info.ErrorClass);
        Assert.Contains("invalid parameter rid: abc", info.Explanation, StringComparison.Ordinal);
        Assert.Contains("61451", info.Explanation, StringComparison.Ordinal);
        Assert.Null(info.RetryAfter);
    }

    [Fact]
    public void Classify_PerMinuteQuota_RetriesAtTheNextMinute()
    {
        var now = new DateTimeOffset(2025, 3, 4, 10, 15, 42, TimeSpan.FromHours(8));

        Assert.Equal(TimeSpan.FromSeconds(18), WeChatErrors.Classify(45011, "api freq out of limit", now).RetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(1), WeChatErrors.Classify(45011, "api freq out of limit").RetryAfter);
    }

    [Fact]
    public void Classify_ClientMsgIdRetriedTooSoon_Waits60Seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), WeChatErrors.Classify(45066, "clientmsgid exist").RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(60), WeChatErrors.Classify(45066, "clientmsgid exist", DateTimeOffset.UnixEpoch).RetryAfter);
    }

    [Fact]
    public void Classify_DailyQuota_PausesUntilMidnightInShanghai()
    {
        // 23:30 in Shanghai is 15:30 UTC: the day turns over in 30 minutes.
        var now = new DateTimeOffset(2025, 3, 4, 15, 30, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromMinutes(30), WeChatErrors.Classify(45009, "reach max api daily quota limit", now).RetryAfter);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(40001)]
    [InlineData(45003)]
    [InlineData(53501)]
    public void Classify_CodesWithoutAWindow_HaveNoRetryAfter(int errcode) =>
        Assert.Null(WeChatErrors.Classify(errcode, "x", DateTimeOffset.UnixEpoch).RetryAfter);

    [Theory]
    [InlineData(40001, true)]
    [InlineData(40014, true)]
    [InlineData(42001, true)]
    [InlineData(40013, false)]
    [InlineData(-1, false)]
    public void IsTokenRejected_OnlyForTheRefreshOnceCodes(int errcode, bool expected) =>
        Assert.Equal(expected, WeChatErrors.IsTokenRejected(errcode));
}
