using MediaGateway.Platforms.Weibo;

namespace MediaGateway.Platforms.Tests.Clients;

public class WeiboErrorsTests
{
    /// <summary>Every row of weibo.md "Error codes and what the client does" (and 21335 from "Tokens").</summary>
    public static TheoryData<int, PlatformErrorClass> SheetRows() => new()
    {
        { 10001, PlatformErrorClass.Transient }, { 10002, PlatformErrorClass.Transient }, { 10003, PlatformErrorClass.Transient },
        { 10009, PlatformErrorClass.Transient }, { 10010, PlatformErrorClass.Transient }, { 10011, PlatformErrorClass.Transient },
        { 10022, PlatformErrorClass.RateLimited }, { 10023, PlatformErrorClass.RateLimited }, { 10024, PlatformErrorClass.RateLimited },
        { 20016, PlatformErrorClass.RateLimited },
        { 21327, PlatformErrorClass.Auth }, { 21332, PlatformErrorClass.Auth }, { 21301, PlatformErrorClass.Auth },
        { 21314, PlatformErrorClass.Auth }, { 21315, PlatformErrorClass.Auth }, { 21316, PlatformErrorClass.Auth },
        { 21317, PlatformErrorClass.Auth }, { 21318, PlatformErrorClass.Auth }, { 21319, PlatformErrorClass.Auth },
        { 21335, PlatformErrorClass.Auth },
        { 10014, PlatformErrorClass.Configuration },
        { 10016, PlatformErrorClass.Permanent }, { 10018, PlatformErrorClass.Content },
        { 20005, PlatformErrorClass.Content }, { 20006, PlatformErrorClass.Content }, { 20007, PlatformErrorClass.Content },
        { 20008, PlatformErrorClass.Content }, { 20012, PlatformErrorClass.Content }, { 20013, PlatformErrorClass.Content },
        { 20017, PlatformErrorClass.Content }, { 20019, PlatformErrorClass.Content }, { 20111, PlatformErrorClass.Content },
        { 20018, PlatformErrorClass.Content }, { 20020, PlatformErrorClass.Content }, { 20021, PlatformErrorClass.Content },
        { 20022, PlatformErrorClass.Auth },
        { 20032, PlatformErrorClass.DuplicateOrSuccess }, { 20053, PlatformErrorClass.DuplicateOrSuccess },
        { 20101, PlatformErrorClass.Permanent }, { 20102, PlatformErrorClass.Permanent },
    };

    [Theory]
    [MemberData(nameof(SheetRows))]
    public void Classify_EverySheetRow_HasItsClassAndABilingualExplanation(int code, PlatformErrorClass expected)
    {
        var info = WeiboErrors.Classify(code, "some error");

        Assert.Equal(expected, info.ErrorClass);
        ExplanationAssert.IsBilingual(info.Explanation);
    }

    [Theory]
    [MemberData(nameof(SheetRows))]
    public void Classify_EverySheetRow_SaysWhetherItLimitsTheAccount_AndWhetherThePostIsGone(int code, PlatformErrorClass expected)
    {
        var raised = WeiboErrors.ToException(code.ToString(System.Globalization.CultureInfo.InvariantCulture), "some error", DateTimeOffset.UnixEpoch);

        var limitsAccount = expected is PlatformErrorClass.RateLimited or PlatformErrorClass.Quota;
        Assert.Equal((expected, limitsAccount, code == 20101), (raised.ErrorClass, raised.LimitsAccount, raised.TargetGone));
        Assert.Equal(code == 20101, WeiboErrors.Classify(code, "some error").TargetGone);
        if (limitsAccount)
        {
            Assert.NotNull(raised.RetryAfter);
        }
    }

    [Theory]
    [InlineData("text not find domain!", PlatformErrorClass.Content)]
    [InlineData("appkey not bind domain!", PlatformErrorClass.Configuration)]
    [InlineData("parameter (status)'s value invalid, topic #a# is not supported by share", PlatformErrorClass.Content)]
    [InlineData("parameter (id)'s value invalid,expect (long) , but get (x)", PlatformErrorClass.Permanent)]
    public void Classify_InvalidParameter_IsDecidedByTheMessage(string error, PlatformErrorClass expected)
    {
        var info = WeiboErrors.Classify(10017, error);

        Assert.Equal(expected, info.ErrorClass);
        ExplanationAssert.IsBilingual(info.Explanation);
    }

    [Theory]
    [InlineData(20017)]
    [InlineData(20019)]
    [InlineData(20111)]
    public void Classify_RepeatContent_IsARepeatRefusal(int code)
    {
        var info = WeiboErrors.Classify(code, "repeat content!");

        Assert.True(info.RefusedAsRepeat);
        Assert.Contains("核对", info.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10022)]
    [InlineData(10023)]
    [InlineData(10024)]
    [InlineData(20016)]
    public void Classify_RateLimits_WaitForTheHourWindow(int code)
    {
        var now = new DateTimeOffset(2025, 3, 4, 10, 45, 30, TimeSpan.FromHours(8));

        Assert.Equal(TimeSpan.FromSeconds((14 * 60) + 30), WeiboErrors.Classify(code, "limit", now).RetryAfter);
        Assert.Equal(TimeSpan.FromHours(1), WeiboErrors.Classify(code, "limit").RetryAfter);
    }

    [Fact]
    public void Classify_UnknownCode_IsPermanentWithThePlatformMessage()
    {
        var info = WeiboErrors.Classify(99999, "something odd");

        Assert.Equal(PlatformErrorClass.Permanent, info.ErrorClass);
        Assert.Contains("something odd", info.Explanation, StringComparison.Ordinal);
        Assert.Null(info.RetryAfter);
        Assert.False(info.RefusedAsRepeat);
    }

    [Theory]
    [InlineData(20032, true)]
    [InlineData(20053, true)]
    [InlineData(20019, false)]
    public void MeansPostExists_OnlyForDelayedSuccessAndReview(int code, bool expected) =>
        Assert.Equal(expected, WeiboErrors.MeansPostExists(code));
}
