using MediaGateway.Publishing;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace MediaGateway.Tests.Publishing;

/// <summary>
/// WeChat tokens are fetched ahead of use (wechat-mp.md, "refresh ahead of expiry"), so the first publication after a start
/// does not wait for one; a fresh token is not fetched again.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class WeChatTokenKeeperTests(GatewayTestHost host)
{
    [Fact]
    public async Task AMissingToken_IsFetchedBeforeAnyPublicationNeedsIt_AndAFreshOneIsNotFetchedAgain()
    {
        var keeper = host.Services.GetServices<IHostedService>().OfType<WeChatTokenKeeper>().Single();
        var key = host.Services.GetRequiredService<RedisKeys>().WeChatToken(GatewayTestHost.CityAppId);
        var db = host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

        // As after a start with an empty cache. (Tests in this collection run one at a time, so nothing else fetches.)
        await db.KeyDeleteAsync(key);
        var before = host.WeChat.TokenFetchCount(GatewayTestHost.CityAppId);
        await keeper.KeepAllAsync(CancellationToken.None);
        Assert.False((await db.StringGetAsync(key)).IsNull, "the keeper put the account's token in the shared cache");
        var fetched = host.WeChat.TokenFetchCount(GatewayTestHost.CityAppId);
        Assert.True(fetched > before, "the keeper asked the platform");

        await keeper.KeepAllAsync(CancellationToken.None);
        Assert.Equal(fetched, host.WeChat.TokenFetchCount(GatewayTestHost.CityAppId));
    }
}
