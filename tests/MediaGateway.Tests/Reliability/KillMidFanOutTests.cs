using MediaGateway.Sandbox;
using Xunit.Abstractions;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Reliability;

/// <summary>
/// Reliability promises 1 and 2 across a crash: the gateway process is killed with SIGKILL in the middle of a
/// fan-out of 30 items to 6 accounts and started again; every publication ends published exactly once (the
/// sandboxes count the posts) or failed with a reason. Some platform answers are lost after the post was made
/// (5xx after the effect), so reconciliation runs across the crash too.
/// </summary>
public sealed class KillMidFanOutTests(ITestOutputHelper output)
{
    private const int Items = 30;

    [Fact]
    public async Task KillingTheGatewayMidFanOut_LosesAndDoublesNothing()
    {
        await using var world = await ReliabilityWorld.StartAsync();
        // A slow network keeps many publications in flight when the kill comes.
        world.WeChat.Faults.Latency = TimeSpan.FromMilliseconds(60);
        world.Weibo.Faults.Latency = TimeSpan.FromMilliseconds(60);
        world.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", HttpStatus = 503, AfterEffect = true, Times = 6 });
        world.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", HttpStatus = 502, AfterEffect = true, Times = 4 });
        world.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/draft/add", WeChatErrcode = -1, Times = 4 });

        var first = await world.StartGatewayAsync("gateway-1");
        var cover = await world.UploadCoverAsync(first);
        // Every item is due at one moment after all approvals are in, so the whole fan-out is in flight together.
        // (Should approving take longer on a loaded machine, items simply start earlier; the check before the kill
        // makes sure the kill still lands mid-fan-out.)
        var publishAt = DateTimeOffset.UtcNow.AddSeconds(40);
        var titles = new Dictionary<string, string>();
        for (var i = 0; i < Items; i++)
        {
            var title = TestData.Unique($"崩溃测试{i:00}-");
            titles[await ReliabilityWorld.SubmitAsync(first, cover, title, publishAt)] = title;
        }

        var total = Items * ReliabilityWorld.Accounts.Length;
        foreach (var id in titles.Keys)
        {
            await ReliabilityWorld.ApproveLevelsAsync(first, id,
                GatewayTestHost.Reviewer1Token, GatewayTestHost.Reviewer2Token, GatewayTestHost.Reviewer3Token);
        }

        // Kill once part of the work has reached the platforms, and well before all of it has.
        await TestData.Eventually(() => world.TotalEffects(titles.Values) >= total / 6, "some posts before the kill", TimeSpan.FromMinutes(2));
        var before = world.TotalEffects(titles.Values);
        first.Kill();
        Assert.True(before < total, $"everything was published before the kill ({before}); the test proves nothing");

        output.WriteLine($"killed gateway-1 (pid {first.ProcessId}) with {before} of {total} posts made");
        var second = await world.StartGatewayAsync("gateway-2");
        var final = await world.WaitAllFinalAsync(titles.Keys, TimeSpan.FromMinutes(4), second);

        var violations = titles.SelectMany(t => world.Violations(t.Value, final[t.Key])).ToList();
        Assert.True(violations.Count == 0, string.Join('\n', violations) + "\n" + second.Tail());
        // No fault here is permanent: everything is published, each post exactly once — except a WeChat submit the kill
        // caught between its saved marker and the platform's answer, when the article cannot be found: it is never submitted
        // again and asks a person (decision 22). Those are few (the sends in flight at the kill) and counted here.
        var pubs = final.Values.SelectMany(p => p).ToList();
        var asking = pubs.Where(p => p!["state"]!.GetValue<string>() == "needsDecision").ToList();
        Assert.All(pubs.Except(asking), p => Assert.Equal("published", p!["state"]!.GetValue<string>()));
        Assert.True(asking.Count <= total / 10, $"{asking.Count} of {total} publications ask a person after one kill");
        var askingWithAPost = asking.Count(p => world.EffectCount(p!["accountId"]!.GetValue<string>(),
            titles[p["id"]!.GetValue<string>()[..p["id"]!.GetValue<string>().IndexOf(".r", StringComparison.Ordinal)]]) == 1);
        Assert.Equal(total - asking.Count + askingWithAPost, world.TotalEffects(titles.Values));
        output.WriteLine($"{asking.Count} publication(s) ask a person (unknown WeChat submit caught by the kill)");
    }
}
