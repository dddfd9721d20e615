using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Sandbox;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.Tests.Publishing;

/// <summary>
/// Reliability promise 3a (issue 18): every post belongs to exactly one publication, and the record tells the truth.
/// Each test is a sequence found from outside that made the gateway claim another item's post, submit a draft twice,
/// loop on a refusal or race a quota.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PostOwnershipTests(GatewayTestHost host)
{
    private async Task<string> SubmitAndApproveAsync(HttpClient op, string cover, string title, string[] targets)
    {
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title, targets)))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        return id;
    }

    private static async Task<JsonObject> WaitForStateAsync(HttpClient op, string id, string accountId, string state, TimeSpan? timeout = null)
    {
        JsonObject pub = [];
        await TestData.Eventually(async () =>
        {
            pub = TestData.Publication(await TestData.GetAsync(op, id), accountId);
            return pub["state"]!.GetValue<string>() == state;
        }, $"publication of {id} on {accountId} is {state}", timeout ?? TimeSpan.FromSeconds(30));
        return pub;
    }

    private static async Task<string> HolderAsync(GatewayTestHost host, string post) =>
        (string?)await host.Multiplexer.GetDatabase().StringGetAsync(host.Services.GetRequiredService<RedisKeys>().PostClaim(post)) ?? "(none)";

    [Fact]
    public async Task TwoItemsWithTheSameWeiboText_TheSecondIsRefusedAsARepeat_AndNeverTakesTheFirstsPost()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("重复通知");
        var first = await SubmitAndApproveAsync(op, cover, title, ["wb-city"]);
        var firstPub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, first), "wb-city");
        Assert.Equal("published", firstPub["state"]!.GetValue<string>());
        var firstPost = firstPub["platformId"]!.GetValue<string>();
        Assert.Equal(firstPub["id"]!.GetValue<string>(), await HolderAsync(host, $"weibo:{firstPost}"));

        // The same text again: Weibo answers 20019. The post it means is the first item's, created before this one's send.
        var second = await SubmitAndApproveAsync(op, cover, title, ["wb-city"]);
        var pub = await WaitForStateAsync(op, second, "wb-city", "needsDecision");
        Assert.Null(pub["platformId"]);
        Assert.Equal("repeatRefused", pub["decision"]!["kind"]!.GetValue<string>());
        Assert.Contains("与本账号此前发布的内容重复", pub["decision"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var shown = Assert.Single(pub["decision"]!["candidates"]!.AsArray());
        Assert.Equal(firstPost, shown!["platformId"]!.GetValue<string>());
        Assert.Equal(firstPub["id"]!.GetValue<string>(), shown["heldBy"]!.GetValue<string>());
        Assert.Equal(1, pub["attempts"]!.GetValue<int>());

        // It stays refused: no further send, no loop burning the hourly allowance.
        await Task.Delay(TimeSpan.FromSeconds(2));
        pub = TestData.Publication(await TestData.GetAsync(op, second), "wb-city");
        Assert.Equal("needsDecision", pub["state"]!.GetValue<string>());
        Assert.Equal(1, pub["attempts"]!.GetValue<int>());
        Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        Assert.Equal(firstPub["id"]!.GetValue<string>(), await HolderAsync(host, $"weibo:{firstPost}"));

        // Sending it again is refused with the reason; confirming that the earlier post stands closes it.
        var again = await op.PostAsJsonAsync($"api/publications/{pub["id"]}/redrive", new { reason = "再试一次", decision = "sendAgain" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var stands = await op.PostAsJsonAsync($"api/publications/{pub["id"]}/redrive", new { reason = "以此前发布的内容为准", decision = "earlierPostStands" });
        stands.EnsureSuccessStatusCode();
        Assert.Equal("cancelled", (await stands.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>());
        Assert.Equal("published", TestData.Publication(await TestData.GetAsync(op, first), "wb-city")["state"]!.GetValue<string>());
        Assert.False(host.Weibo.Statuses.Single(s => s.Text.Contains(title, StringComparison.Ordinal)).Destroyed);
    }

    [Fact]
    public async Task AWeiboPostHeldForReview_GetsItsIdLater_SoItCanBeRetracted()
    {
        // 20053: "published, held for a 3-minute manual review" with no status in the answer. The post exists.
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 20053, Times = 1 });
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("待审微博");
        var id = await SubmitAndApproveAsync(op, cover, title, ["wb-city"]);
        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        var status = Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        Assert.Equal(status.IdStr, pub["platformId"]!.GetValue<string>());
        Assert.Equal(pub["id"]!.GetValue<string>(), await HolderAsync(host, $"weibo:{status.IdStr}"));
    }

    [Fact]
    public async Task AnUnknownWeChatSubmitWithASlowJob_IsNeverSubmittedAgain_NorGivenAnEarlierItemsArticle()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("同题");
        var first = await SubmitAndApproveAsync(op, cover, title, ["wx-city"]);
        var firstPub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, first), "wx-city");
        Assert.Equal("published", firstPub["state"]!.GetValue<string>());
        var firstArticle = firstPub["platformId"]!.GetValue<string>();

        // The same title and "read original" link; its submit takes effect but the answer is lost, and its job stays
        // "publishing" (nothing asks freepublish/get without a publish_id, so it never finishes here).
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", HttpStatus = 503, AfterEffect = true, Times = 1 });
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", PublishingPolls = 1_000_000, AppId = GatewayTestHost.CityAppId, Times = 1 });
        var second = await SubmitAndApproveAsync(op, cover, title, ["wx-city"]);

        // It looks for its own article visibly, then asks a person (ReconcileWindowSeconds is 8 in tests).
        await TestData.Eventually(async () =>
        {
            var p = TestData.Publication(await TestData.GetAsync(op, second), "wx-city");
            return p["waiting"] is JsonObject w && w["kind"]!.GetValue<string>() == "checkingPlatform";
        }, "the publication shows that it is checking the platform");
        var pub = await WaitForStateAsync(op, second, "wx-city", "needsDecision");
        Assert.Equal("outcomeStillUnknown", pub["decision"]!["kind"]!.GetValue<string>());
        Assert.Contains("草稿仍在草稿箱", pub["decision"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(pub["platformId"]);
        Assert.NotEqual(firstArticle, pub["platformId"]?.GetValue<string>());
        Assert.Equal(2, host.WeChat.SubmitCount(title)); // one job each: the second draft was submitted once
        Assert.Equal(firstPub["id"]!.GetValue<string>(), await HolderAsync(host, $"wechat:{GatewayTestHost.CityAppId}:article:{firstArticle}"));

        // The first item's article cannot be named as the second's either.
        var steal = await op.PostAsJsonAsync($"api/publications/{pub["id"]}/redrive", new { reason = "就是这篇", decision = "thisPost", platformId = firstArticle });
        Assert.Equal(HttpStatusCode.Conflict, steal.StatusCode);
        var abandon = await op.PostAsJsonAsync($"api/publications/{pub["id"]}/redrive", new { reason = "在后台核对后放弃", decision = "abandon" });
        abandon.EnsureSuccessStatusCode();
        var abandoned = TestData.Publication(await TestData.GetAsync(op, second), "wx-city");
        Assert.Equal("failed", abandoned["state"]!.GetValue<string>());
        Assert.False(abandoned["canRedrive"]!.GetValue<bool>());
        Assert.Equal(2, host.WeChat.SubmitCount(title));
    }

    [Fact]
    public async Task MassSendsRacingForTheLastSlot_CallSendallOnce_AndTheOthersWaitForTheNextPeriod()
    {
        var keys = host.Services.GetRequiredService<RedisKeys>();
        var slots = keys.WeChatMassSlots(GatewayTestHost.MassAppId, WeChatMassQuota.PeriodStart(WeChatAccountKind.Service, DateTimeOffset.UtcNow));
        var db = host.Multiplexer.GetDatabase();
        var before = await db.SetMembersAsync(slots);
        var limit = WeChatMassQuota.Limit(WeChatAccountKind.Service);
        var fillers = Enumerable.Range(0, Math.Max(0, limit - 1 - before.Length)).Select(i => (RedisValue)$"earlier-send-{i}").ToArray();
        if (fillers.Length > 0)
        {
            await db.SetAddAsync(slots, fillers);
        }

        try
        {
            using var op = host.Client(GatewayTestHost.OperatorToken);
            var cover = await TestData.UploadCoverAsync(op);
            var ids = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                ids.Add((await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("群发竞争"), ["wx-mass"])))["id"]!.GetValue<string>());
            }

            await Task.WhenAll(ids.Select(id => TestData.ApproveAllLevelsAsync(host, id)));
            var pubs = new List<JsonObject>();
            await TestData.Eventually(async () =>
            {
                pubs = [];
                foreach (var id in ids)
                {
                    pubs.Add(TestData.Publication(await TestData.GetAsync(op, id), "wx-mass"));
                }

                return pubs.Count(p => p["state"]!.GetValue<string>() == "published") == 1
                       && pubs.Count(p => p["waiting"] is JsonObject w && w["kind"]!.GetValue<string>() == "quota") == 2;
            }, "one mass send goes out, the other two wait for the next period");
            Assert.Equal(limit, (await db.SetMembersAsync(slots)).Length);
            // The two that wait never called sendall: no 45028, no account hold.
            foreach (var p in pubs.Where(p => p["state"]!.GetValue<string>() != "published"))
            {
                Assert.DoesNotContain(p["history"]!.AsArray(), h => h!["note"]!.GetValue<string>().Contains("45028", StringComparison.Ordinal));
                Assert.Null(p["error"]);
            }

            Assert.True((await db.StringGetAsync(keys.AccountHold("wx-mass"))).IsNull);
        }
        finally
        {
            var now = await db.SetMembersAsync(slots);
            await db.SetRemoveAsync(slots, now.Except(before).ToArray());
        }
    }

    [Fact]
    public async Task ADefiniteRefusal_IsReDrivenAtOnce_WithoutWaitingForAnUnknownOutcome()
    {
        // 21327 (token expired) happens before any effect: after the re-drive there is nothing to look for first.
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 21327, HttpStatus = 401, Times = 1 });
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("令牌过期");
        var id = await SubmitAndApproveAsync(op, cover, title, ["wb-city"]);
        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city");
        Assert.Equal("failed", pub["state"]!.GetValue<string>());
        Assert.True(pub["canRedrive"]!.GetValue<bool>());

        (await op.PostAsJsonAsync($"api/publications/{pub["id"]}/redrive", new { reason = "已重新授权" })).EnsureSuccessStatusCode();
        pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        Assert.Null(pub["error"]); // the earlier attempt's error no longer describes it
        var notes = pub["history"]!.AsArray().Select(h => h!["note"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(notes, n => n.Contains("not found on the platform", StringComparison.Ordinal) || n.Contains("checking the platform", StringComparison.Ordinal));
        Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
    }
}
