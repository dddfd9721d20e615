using MediaGateway.Deadlines;

namespace MediaGateway.Tests.Unit;

/// <summary>Deadlines read as the law reads them (issue 19): the end of a day is "24时前" of that day, in China time.</summary>
public sealed class DueByTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public void ChinaMidnight_IsTheEndOfThePreviousDay_Never0000OfTheNext()
    {
        Assert.Equal("2025年2月13日（星期四）24时前 / by the end of Thu 13 Feb 2025",
            DeadlineClock.DueBy(new DateTimeOffset(2025, 2, 14, 0, 0, 0, China)));
    }

    [Fact]
    public void AnInstantInTheDay_KeepsItsTime_InChinaTime_WhateverTheOffsetGiven()
    {
        // 09:30 UTC is 17:30 in China.
        Assert.Equal("2025年2月13日（星期四）17:30前 / by 17:30 on Thu 13 Feb 2025",
            DeadlineClock.DueBy(new DateTimeOffset(2025, 2, 13, 9, 30, 0, TimeSpan.Zero)));
        // 16:00 UTC is China midnight: the end of the China day, not a UTC date.
        Assert.Equal("2026年12月31日（星期四）24时前 / by the end of Thu 31 Dec 2026",
            DeadlineClock.DueBy(new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void EveryWeekdayIsNamed()
    {
        var names = Enumerable.Range(0, 7)
            .Select(i => DeadlineClock.DueBy(new DateTimeOffset(2026, 12, 7 + i, 12, 0, 0, China)))
            .Select(s => s[(s.IndexOf('（', StringComparison.Ordinal) + 1)..s.IndexOf('）', StringComparison.Ordinal)])
            .ToArray();
        Assert.Equal(["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"], names);
    }
}
