using MediaGateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MediaGateway.Tests.Reliability;

/// <summary>
/// Several gateway processes on one Redis share the work and never double it. Each process posts to Weibo with its own
/// <c>rip</c> (Platforms:Weibo:ClientIp), which the sandbox records per status: that shows who made each post.
/// </summary>
public sealed class TwoGatewaysTests(ITestOutputHelper output)
{
    private const int Items = 20;

    [Fact]
    public async Task TwoGatewayProcessesOnOneRedis_ShareTheWork_AndDoubleNothing()
    {
        await using var world = await ReliabilityWorld.StartAsync();
        world.WeChat.Faults.Latency = TimeSpan.FromMilliseconds(30);
        world.Weibo.Faults.Latency = TimeSpan.FromMilliseconds(30);
        // Start both before any work exists, so neither gets a head start.
        var startA = world.StartGatewayAsync("gateway-a", "--Platforms:Weibo:ClientIp=10.0.0.1");
        var startB = world.StartGatewayAsync("gateway-b", "--Platforms:Weibo:ClientIp=10.0.0.2");
        var (a, b) = (await startA, await startB);

        var cover = await world.UploadCoverAsync(a);
        var publishAt = DateTimeOffset.UtcNow.AddSeconds(30);
        var titles = new Dictionary<string, string>();
        for (var i = 0; i < Items; i++)
        {
            var title = TestData.Unique($"双实例{i:00}-");
            var submitVia = i % 2 == 0 ? a : b;
            titles[await ReliabilityWorld.SubmitAsync(submitVia, cover, title, publishAt)] = title;
        }

        foreach (var (id, i) in titles.Keys.Select((id, i) => (id, i)))
        {
            await ReliabilityWorld.ApproveLevelsAsync(i % 2 == 0 ? b : a, id,
                GatewayTestHost.Reviewer1Token, GatewayTestHost.Reviewer2Token, GatewayTestHost.Reviewer3Token);
        }

        var final = await world.WaitAllFinalAsync(titles.Keys, TimeSpan.FromMinutes(4), a, b);
        var violations = titles.SelectMany(t => world.Violations(t.Value, final[t.Key])).ToList();
        Assert.True(violations.Count == 0, string.Join('\n', violations) + "\n" + a.Tail() + "\n" + b.Tail());
        Assert.All(final.Values.SelectMany(p => p), p => Assert.Equal("published", p!["state"]!.GetValue<string>()));
        Assert.Equal(Items * ReliabilityWorld.Accounts.Length, world.TotalEffects(titles.Values));

        var posts = world.Weibo.Statuses.Where(s => titles.Values.Any(t => s.Text.Contains(t, StringComparison.Ordinal))).ToList();
        var byA = posts.Count(s => s.Rip == "10.0.0.1");
        var byB = posts.Count(s => s.Rip == "10.0.0.2");
        output.WriteLine($"Weibo posts by gateway-a: {byA}, by gateway-b: {byB}");
        Assert.Equal(posts.Count, byA + byB);
        Assert.True(byA > 0 && byB > 0, $"the work was not shared: gateway-a made {byA} posts, gateway-b {byB}");
    }
}
