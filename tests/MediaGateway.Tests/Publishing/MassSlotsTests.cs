using MediaGateway.Platforms.WeChat;
using MediaGateway.Publishing;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Publishing;

/// <summary>
/// The mass-send quota taken atomically (issue 18), against the real Redis: however many workers race for the period's
/// slots, exactly the quota get one; a publication keeps its slot on a retry; China midnight opens a new day.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class MassSlotsTests(GatewayTestHost host)
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private WeChatMassSlots Slots => host.Services.GetRequiredService<WeChatMassSlots>();

    private static WeChatCredentials Account(WeChatAccountKind kind) =>
        new($"wxslots{Guid.NewGuid():N}"[..18], "unused") { AccountKind = kind };

    [Theory]
    [InlineData(WeChatAccountKind.Subscription)]
    [InlineData(WeChatAccountKind.Service)]
    public async Task ManyPublicationsRacing_TakeExactlyTheQuota(WeChatAccountKind kind)
    {
        var account = Account(kind);
        var now = new DateTimeOffset(2026, 12, 7, 12, 0, 0, China);
        var taken = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => Slots.TryTakeAsync(account, $"pub-{i}", now))));
        Assert.Equal(WeChatMassQuota.Limit(kind), taken.Count(t => t));
    }

    [Fact]
    public async Task APublicationKeepsItsSlot_OnARetry_AndNobodyElseGetsIt()
    {
        var account = Account(WeChatAccountKind.Subscription);
        var now = new DateTimeOffset(2026, 12, 7, 9, 0, 0, China);
        Assert.True(await Slots.TryTakeAsync(account, "first", now));
        Assert.True(await Slots.TryTakeAsync(account, "first", now.AddMinutes(5)));
        Assert.False(await Slots.TryTakeAsync(account, "second", now.AddMinutes(6)));
    }

    [Fact]
    public async Task ChinaMidnight_OpensANewDay_ForASubscriptionAccount()
    {
        var account = Account(WeChatAccountKind.Subscription);
        var beforeMidnight = new DateTimeOffset(2026, 12, 7, 23, 59, 59, China);
        var afterMidnight = beforeMidnight.AddSeconds(2);
        Assert.True(await Slots.TryTakeAsync(account, "evening", beforeMidnight));
        Assert.False(await Slots.TryTakeAsync(account, "late", beforeMidnight.AddMilliseconds(500)));

        // Across midnight: the first to take the new day's slot sends; a send whose marker was stored before midnight but
        // whose call comes after it needs the new day's slot too, and does not get it when another has it.
        Assert.True(await Slots.TryTakeAsync(account, "late", afterMidnight));
        Assert.False(await Slots.TryTakeAsync(account, "evening", afterMidnight));

        // Midnight in UTC is not China's: 16:00 UTC is.
        var service = Account(WeChatAccountKind.Service);
        var monthEnd = new DateTimeOffset(2026, 12, 31, 15, 59, 59, TimeSpan.Zero);
        for (var i = 0; i < WeChatMassQuota.Limit(WeChatAccountKind.Service); i++)
        {
            Assert.True(await Slots.TryTakeAsync(service, $"december-{i}", monthEnd));
        }

        Assert.False(await Slots.TryTakeAsync(service, "december-extra", monthEnd));
        Assert.True(await Slots.TryTakeAsync(service, "january", monthEnd.AddSeconds(2)));
    }
}
