using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Reliability;

/// <summary>
/// Reliability promise 4, quota and rate classes: an account whose platform window is used up waits for it to
/// reopen (not failed, nothing posted) without holding up the other accounts of the same item. Run in a world of its
/// own, since the exhausted accounts stay held for up to a day.
/// </summary>
public sealed class QuotaPauseTests
{
    [Fact]
    public async Task AnAccountOutOfQuota_Waits_WhileTheOtherAccountsPublish()
    {
        await using var world = await ReliabilityWorld.StartAsync();
        // wb-rel-2: Weibo's hourly share limit (10024) used up; wx-rel-2: WeChat's daily API quota (45009) used up.
        world.Weibo.ExhaustRateLimit(10024, "7000000002");
        world.WeChat.Faults.Add(new SandboxFault { Path = "*", AppId = "wx5d3c0rel00002", WeChatErrcode = 45009, Times = 100_000 });
        var gateway = await world.StartGatewayAsync("gateway");
        var cover = await world.UploadCoverAsync(gateway);
        var title = TestData.Unique("配额");
        var id = await ReliabilityWorld.SubmitAsync(gateway, cover, title);
        await ReliabilityWorld.ApproveLevelsAsync(gateway, id,
            GatewayTestHost.Reviewer1Token, GatewayTestHost.Reviewer2Token, GatewayTestHost.Reviewer3Token);

        using var op = gateway.Client(GatewayTestHost.OperatorToken);
        string[] held = ["wx-rel-2", "wb-rel-2"];
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var item = await TestData.GetAsync(op, id);
            var others = ReliabilityWorld.Accounts.Where(a => !held.Contains(a.Id)).Select(a => TestData.Publication(item, a.Id)).ToList();
            var waiting = held.Select(a => TestData.Publication(item, a)).ToList();
            if (others.All(p => p["state"]!.GetValue<string>() == "published") && waiting.All(p => p["error"] is not null))
            {
                foreach (var p in waiting)
                {
                    // The window error is recorded, the publication is not failed, and nothing was posted.
                    Assert.NotEqual("failed", p["state"]!.GetValue<string>());
                    Assert.NotEqual("published", p["state"]!.GetValue<string>());
                    Assert.True(p["error"]!["class"]!.GetValue<string>() is "Quota" or "RateLimited", p.ToJsonString());
                    Assert.Equal(0, world.EffectCount(p["accountId"]!.GetValue<string>(), title));
                }

                Assert.All(ReliabilityWorld.Accounts.Where(a => !held.Contains(a.Id)), a => Assert.Equal(1, world.EffectCount(a.Id, title)));
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not in time: {item["publications"]!.ToJsonString()}\n{gateway.Tail()}");
            }

            await Task.Delay(250);
        }
    }
}
