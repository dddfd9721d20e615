using System.Text.Json.Nodes;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.Tests.Publishing;

/// <summary>Issue 3: Weibo token expiry is announced before it happens; WeChat mass-send quotas are honoured.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AccountWatchTests(GatewayTestHost host)
{
    [Fact]
    public async Task AWeiboTokenNearExpiry_IsAnnouncedOnce_WithTheResponsiblePerson()
    {
        static bool IsExpiring(MediaGateway.Sandbox.ReceivedWebhook r) => r.Body.Contains("\"account.token_expiring\"", StringComparison.Ordinal);
        await TestData.Eventually(() => host.Receiver.Received(GatewayTestHost.ReceiverName).Any(IsExpiring), "account.token_expiring delivered");
        var received = Assert.Single(host.Receiver.Received(GatewayTestHost.ReceiverName), IsExpiring);
        var data = JsonNode.Parse(received.Body)!["data"]!;
        Assert.Equal("wb-city", data["accounts"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("王敏", data["accounts"]![0]!["ownership"]!["responsiblePerson"]!["name"]!.GetValue<string>());
        var expiresAt = data["expiresAt"]!.GetValue<DateTimeOffset>();
        Assert.InRange(expiresAt, DateTimeOffset.UtcNow.AddDays(6), DateTimeOffset.UtcNow.AddDays(8));
    }

    [Fact]
    public async Task AMassSendAccountWithItsQuotaUsed_WaitsForTheNextPeriod_WithoutCallingThePlatform()
    {
        var keys = host.Services.GetRequiredService<RedisKeys>();
        var slots = keys.WeChatMassSlots(GatewayTestHost.MassAppId, WeChatMassQuota.PeriodStart(WeChatAccountKind.Service, DateTimeOffset.UtcNow));
        var db = host.Multiplexer.GetDatabase();
        var before = await db.SetMembersAsync(slots);
        var others = Enumerable.Range(0, WeChatMassQuota.Limit(WeChatAccountKind.Service)).Select(i => (RedisValue)$"another-publication-{i}").ToArray();
        await db.SetAddAsync(slots, others);
        try
        {
            var sends = host.WeChat.MassSendEffectCount(GatewayTestHost.MassAppId);
            using var op = host.Client(GatewayTestHost.OperatorToken);
            var cover = await TestData.UploadCoverAsync(op);
            var id = (await TestData.SubmitAsync(op, TestData.Article(cover, targets: ["wx-mass"])))["id"]!.GetValue<string>();
            await TestData.ApproveAllLevelsAsync(host, id);

            JsonObject pub = [];
            await TestData.Eventually(async () =>
            {
                pub = TestData.Publication(await TestData.GetAsync(op, id), "wx-mass");
                return pub["waiting"] is JsonObject waiting && waiting["kind"]!.GetValue<string>() == "quota";
            }, "the publication waits for the quota");
            Assert.Equal("queued", pub["state"]!.GetValue<string>());
            Assert.Equal(WeChatMassQuota.NextPeriodStart(WeChatAccountKind.Service, DateTimeOffset.UtcNow), pub["waiting"]!["until"]!.GetValue<DateTimeOffset>());
            Assert.Equal(WeChatMassQuota.NextPeriodStart(WeChatAccountKind.Service, DateTimeOffset.UtcNow), pub["dueAt"]!.GetValue<DateTimeOffset>());
            Assert.Equal(sends, host.WeChat.MassSendEffectCount(GatewayTestHost.MassAppId));
        }
        finally
        {
            await db.SetRemoveAsync(slots, others.Except(before).ToArray());
        }
    }
}
