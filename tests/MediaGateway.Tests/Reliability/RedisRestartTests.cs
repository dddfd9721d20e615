using System.Collections.Concurrent;
using System.Net;
using MediaGateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MediaGateway.Tests.Reliability;

/// <summary>
/// Reliability promise 1 across a Redis crash: while final approvals arrive through the API, redis-server (AOF
/// everysec, as in production) is killed with SIGKILL and started again on the same data. Every approval the API
/// acknowledged ends published exactly once; approvals refused while Redis was down publish at most once.
/// </summary>
public sealed class RedisRestartTests(ITestOutputHelper output)
{
    private const int Items = 24;

    [Fact]
    public async Task RestartingRedisUnderLoad_LosesNoAcknowledgedApproval()
    {
        await using var world = await ReliabilityWorld.StartAsync();
        world.WeChat.Faults.Latency = TimeSpan.FromMilliseconds(30);
        world.Weibo.Faults.Latency = TimeSpan.FromMilliseconds(30);
        var gateway = await world.StartGatewayAsync("gateway");
        var cover = await world.UploadCoverAsync(gateway);
        var titles = new Dictionary<string, string>();
        for (var i = 0; i < Items; i++)
        {
            var title = TestData.Unique($"重启测试{i:00}-");
            var id = await ReliabilityWorld.SubmitAsync(gateway, cover, title);
            await ReliabilityWorld.ApproveLevelsAsync(gateway, id, GatewayTestHost.Reviewer1Token, GatewayTestHost.Reviewer2Token);
            titles[id] = title;
        }

        // The final sign-offs (each queues six publications) come in two lanes while Redis is killed and restarted.
        var answers = new ConcurrentDictionary<string, HttpStatusCode?>();
        var queue = new ConcurrentQueue<string>(titles.Keys);
        var signedOff = 0;
        async Task LaneAsync()
        {
            while (queue.TryDequeue(out var id))
            {
                answers[id] = await ReliabilityWorld.ApproveAsync(gateway, GatewayTestHost.Reviewer3Token, id);
                Interlocked.Increment(ref signedOff);
                await Task.Delay(100);
            }
        }

        var lanes = Task.WhenAll(LaneAsync(), LaneAsync());
        await TestData.Eventually(() => Volatile.Read(ref signedOff) >= Items / 3, "a third of the sign-offs before the crash", TimeSpan.FromMinutes(2));
        await world.RestartRedisAsync(TimeSpan.FromSeconds(2));
        await lanes;

        var acknowledged = answers.Where(a => a.Value is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent).Select(a => a.Key).ToList();
        output.WriteLine($"{acknowledged.Count} of {Items} sign-offs acknowledged; others: "
                         + string.Join(", ", answers.Where(a => !acknowledged.Contains(a.Key)).Select(a => a.Value?.ToString() ?? "no answer")));
        Assert.True(acknowledged.Count >= Items / 3, "too few sign-offs acknowledged for the test to mean anything");

        var final = await world.WaitAllFinalAsync(acknowledged, TimeSpan.FromMinutes(4), gateway);
        var violations = acknowledged.SelectMany(id => world.Violations(titles[id], final[id])).ToList();
        Assert.True(violations.Count == 0, string.Join('\n', violations) + "\n" + gateway.Tail());
        Assert.All(final.Values.SelectMany(p => p), p => Assert.Equal("published", p!["state"]!.GetValue<string>()));

        // A sign-off Redis did not acknowledge may or may not have been written; either way nothing is doubled.
        foreach (var id in titles.Keys.Except(acknowledged))
        {
            Assert.All(ReliabilityWorld.Accounts, a => Assert.True(world.EffectCount(a.Id, titles[id]) <= 1, $"{titles[id]} doubled on {a.Id}"));
        }
    }
}
