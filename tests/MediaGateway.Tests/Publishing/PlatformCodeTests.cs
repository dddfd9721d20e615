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
/// The platform codes that mean more than their class (decision 33): 53600 and 20101 on a delete say the post is already
/// gone, so a retraction is done; 20102 says the post is not the account's, so it is not; 45066 limits one clientmsgid,
/// not the account, so only that publication waits. Written against the gateway before the codes moved into
/// MediaGateway.Platforms, to hold the behaviour through the move.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PlatformCodeTests(GatewayTestHost host)
{
    [Fact]
    public async Task APostAlreadyGoneFromThePlatform_53600_20101_IsRetracted()
    {
        var (id, title) = await PublishedAsync(["wx-city", "wb-city"]);
        // WeChat: the article was deleted in the account's console, so the delete is answered 53600 (invalid article_id).
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/delete", WeChatErrcode = 53600, Times = 1, AppId = GatewayTestHost.CityAppId });
        // Weibo: the destroy takes effect, then its answer is lost; the retry is answered 20101 (no such post).
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/destroy.json", HttpStatus = 503, AfterEffect = true, Times = 1 });
        var item = await RetractAsync(id, ["wx-city", "wb-city"]);

        var weChat = TestData.Publication(item, "wx-city");
        var weibo = TestData.Publication(item, "wb-city");
        Assert.Equal("retracted", weChat["retraction"]!.GetValue<string>());
        Assert.Equal("retracted", weibo["retraction"]!.GetValue<string>());
        Assert.Contains(Notes(weChat), n => n == "already gone on the platform (53600)");
        Assert.Contains(Notes(weibo), n => n == "already gone on the platform (20101)");
        Assert.True(Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal)).Destroyed);
    }

    [Fact]
    public async Task APostThePlatformSaysIsNotTheAccounts_20102_IsNotCountedAsRetracted()
    {
        var (id, title) = await PublishedAsync(["wb-city"]);
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/destroy.json", WeiboErrorCode = 20102, HttpStatus = 400, Times = 1 });
        var item = await RetractAsync(id, ["wb-city"]);

        var weibo = TestData.Publication(item, "wb-city");
        Assert.Equal("failed", weibo["retraction"]!.GetValue<string>());
        Assert.Equal(("Permanent", "20102"), (weibo["error"]!["class"]!.GetValue<string>(), weibo["error"]!["code"]!.GetValue<string>()));
        Assert.False(Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal)).Destroyed);
    }

    [Fact]
    public async Task AMassSendRetriedTooSoon_45066_WaitsAlone_WithoutHoldingTheAccount_AndGoesOutOnce()
    {
        var keys = host.Services.GetRequiredService<RedisKeys>();
        var db = host.Multiplexer.GetDatabase();
        var slots = keys.WeChatMassSlots(GatewayTestHost.MassAppId, WeChatMassQuota.PeriodStart(WeChatAccountKind.Service, DateTimeOffset.UtcNow));
        var before = await db.SetMembersAsync(slots);
        try
        {
            host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/message/mass/sendall", WeChatErrcode = 45066, Times = 1, AppId = GatewayTestHost.MassAppId });
            var sends = host.WeChat.MassSendEffectCount(GatewayTestHost.MassAppId);
            using var op = host.Client(GatewayTestHost.OperatorToken);
            var cover = await TestData.UploadCoverAsync(op);
            var id = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("群发过快"), ["wx-mass"])))["id"]!.GetValue<string>();
            await TestData.ApproveAllLevelsAsync(host, id);

            JsonObject pub = [];
            await TestData.Eventually(async () =>
            {
                pub = TestData.Publication(await TestData.GetAsync(op, id), "wx-mass");
                return pub["waiting"] is JsonObject w && w["kind"]!.GetValue<string>() == "retrying";
            }, "the publication waits to retry after 45066");
            Assert.Equal(("RateLimited", "45066"), (pub["error"]!["class"]!.GetValue<string>(), pub["error"]!["code"]!.GetValue<string>()));
            Assert.Equal(1, pub["attempts"]!.GetValue<int>());
            // One clientmsgid was retried too soon: the account is not held, and nothing was sent.
            Assert.True((await db.StringGetAsync(keys.AccountHold("wx-mass"))).IsNull);
            Assert.Equal(sends, host.WeChat.MassSendEffectCount(GatewayTestHost.MassAppId));

            // As if the platform's minute had passed: the retry sends it, once.
            var pubId = pub["id"]!.GetValue<string>();
            Assert.NotNull(await db.SortedSetScoreAsync(keys.PublishDue, pubId));
            await db.SortedSetAddAsync(keys.PublishDue, pubId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), SortedSetWhen.Exists);
            pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wx-mass");
            Assert.Equal("published", pub["state"]!.GetValue<string>());
            Assert.Equal(sends + 1, host.WeChat.MassSendEffectCount(GatewayTestHost.MassAppId));
        }
        finally
        {
            var now = await db.SetMembersAsync(slots);
            await db.SetRemoveAsync(slots, now.Except(before).ToArray());
        }
    }

    private async Task<(string Id, string Title)> PublishedAsync(string[] targets)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("平台代码");
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title, targets)))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var item = await TestData.WaitForFinalPublicationsAsync(op, id);
        Assert.All(item["publications"]!.AsArray(), p => Assert.Equal("published", p!["state"]!.GetValue<string>()));
        return (id, title);
    }

    /// <summary>Asks for the retraction and approves it at the sign-off level; returns the item once every target's retraction has ended.</summary>
    private async Task<JsonObject> RetractAsync(string id, string[] targets)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        (await op.PostAsJsonAsync($"api/content/{id}/retraction", new { reason = "数据有误，需更正" })).EnsureSuccessStatusCode();
        using var reviewer3 = host.Client(GatewayTestHost.Reviewer3Token);
        (await reviewer3.PostAsJsonAsync($"api/content/{id}/retraction/decision", new { decision = "approve", comment = "同意撤销" })).EnsureSuccessStatusCode();
        JsonObject item = [];
        await TestData.Eventually(async () =>
        {
            item = await TestData.GetAsync(op, id);
            return targets.All(t => TestData.Publication(item, t)["retraction"]?.GetValue<string>() is "retracted" or "failed");
        }, "every retraction ended");
        return item;
    }

    private static List<string> Notes(JsonObject pub) => [.. pub["history"]!.AsArray().Select(h => h!["note"]!.GetValue<string>())];
}
