using MediaGateway.Platforms.Weibo;

namespace MediaGateway.Platforms.Tests.Clients;

public class WeiboDatesTests
{
    [Fact]
    public void ParseCreatedAt_PlatformFormat_KeepsTheOffset()
    {
        var parsed = WeiboDates.ParseCreatedAt("Wed Oct 24 23:49:17 +0800 2012");

        Assert.Equal(new DateTimeOffset(2012, 10, 24, 23, 49, 17, TimeSpan.FromHours(8)), parsed);
        Assert.Equal(new DateTimeOffset(2012, 10, 24, 15, 49, 17, TimeSpan.Zero), parsed!.Value.ToUniversalTime());
    }

    [Theory]
    [InlineData("Sat Feb 29 08:00:00 -0530 2020", 2020, 2, 29, 8, -330)]
    [InlineData("Mon Jan  6 07:05:09 +08:00 2025", 2025, 1, 6, 7, 480)]
    public void ParseCreatedAt_OtherOffsetsAndSpacing(string text, int year, int month, int day, int hour, int offsetMinutes)
    {
        var parsed = WeiboDates.ParseCreatedAt(text);

        Assert.NotNull(parsed);
        Assert.Equal(new DateTime(year, month, day), parsed.Value.Date);
        Assert.Equal(hour, parsed.Value.Hour);
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), parsed.Value.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2012-10-24T23:49:17+08:00")]
    [InlineData("Wed Foo 24 23:49:17 +0800 2012")]
    [InlineData("Wed Feb 30 23:49:17 +0800 2012")]
    [InlineData("Wed Oct 24 25:49:17 +0800 2012")]
    [InlineData("Wed Oct 24 23:49:17 0800 2012")]
    public void ParseCreatedAt_Garbage_IsNull(string? text) => Assert.Null(WeiboDates.ParseCreatedAt(text));
}
