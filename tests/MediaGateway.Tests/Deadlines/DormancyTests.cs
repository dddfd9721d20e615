using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Deadlines;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Deadlines;

/// <summary>The dormant-account watch: 10 days silent is warned, 3 months silent is flagged for closure, once per silence.</summary>
[Collection(DeadlineCollection.Name)]
public sealed class DormancyTests(DeadlineTestHost host)
{
    private List<JsonNode> Dormant(string accountId) => host.Receiver.Received(GatewayTestHost.ReceiverName)
        .Select(r => JsonNode.Parse(r.Body)!)
        .Where(e => e["type"]!.GetValue<string>() == "account.dormant" && e["data"]!["accounts"]![0]!["id"]!.GetValue<string>() == accountId)
        .ToList();

    private async Task<JsonNode> ActivityAsync(string accountId)
    {
        using var admin = host.Client("mgdemo-admin-zhou");
        var accounts = (await admin.GetFromJsonAsync<JsonArray>("api/accounts"))!;
        return accounts.Single(a => a!["id"]!.GetValue<string>() == accountId)!["activity"]!;
    }

    [Fact]
    public async Task AnAccountSilentForMonths_IsWarnedAndFlaggedForClosure_OncePerSilence()
    {
        var keys = host.Services.GetRequiredService<RedisKeys>();
        var db = host.Multiplexer.GetDatabase();
        // wb-city's last post, as the record would hold it, 100 days ago (this gateway's Redis is its own, and no test
        // of this collection publishes to wb-city, so nothing read from the record can move it).
        var longAgo = host.Jumps.GetUtcNow().AddDays(-100);
        await db.HashSetAsync(keys.AccountLastPublished, "wb-city", longAgo.ToUnixTimeMilliseconds());

        await TestData.Eventually(() => Dormant("wb-city").Any(e => e["data"]!["stage"]!.GetValue<string>() == "closure"), "closure flag delivered");
        // Deliveries run in parallel, so they may arrive in either order.
        var stages = Dormant("wb-city").Select(e => e["data"]!["stage"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["closure", "warning"], stages);
        var closure = Dormant("wb-city").Single(e => e["data"]!["stage"]!.GetValue<string>() == "closure")["data"]!;
        Assert.InRange(closure["daysSilent"]!.GetValue<double>(), 99.9, 100.1);
        var activity = await ActivityAsync("wb-city");
        Assert.Equal("closure", activity["stage"]!.GetValue<string>());

        // More checks later (two whole rounds, run here): nothing new for the same silence.
        var watcher = WatcherRounds.Watcher<DormancyWatcher>(host);
        await watcher.CheckAsync(CancellationToken.None);
        await watcher.CheckAsync(CancellationToken.None);
        await WatcherRounds.EarlierEventsRecordedAsync(host);
        Assert.Equal(2, (await WatcherRounds.AuditEntriesAsync(host, "account.dormant")).Count(e => e.AccountIds.Contains("wb-city")));
        Assert.Equal(2, Dormant("wb-city").Count);

        // A new silence period (a post 12 days ago): a new warning, no new closure flag.
        await db.HashSetAsync(keys.AccountLastPublished, "wb-city", host.Jumps.GetUtcNow().AddDays(-12).ToUnixTimeMilliseconds());
        await TestData.Eventually(() => Dormant("wb-city").Count == 3, "the new silence is warned");
        Assert.Equal("warning", Dormant("wb-city")[2]["data"]!["stage"]!.GetValue<string>());
        Assert.Equal("warning", (await ActivityAsync("wb-city"))["stage"]!.GetValue<string>());
    }

    [Fact]
    public async Task APublication_ResetsTheSilence_FromTheRegistrationRecord()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, targets: ["wx-city"])))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var item = await TestData.WaitForFinalPublicationsAsync(op, id);
        var publishedAt = TestData.Publication(item, "wx-city")["publishedAt"]!.GetValue<DateTimeOffset>();

        JsonNode activity = new JsonObject();
        await TestData.Eventually(async () =>
        {
            activity = await ActivityAsync("wx-city");
            return activity["lastPublishedAt"] is { } at && at.GetValue<DateTimeOffset>() >= publishedAt.AddMilliseconds(-1);
        }, "the publication is counted");
        Assert.Equal("active", activity["stage"]!.GetValue<string>());
        Assert.True(activity["daysSilent"]!.GetValue<double>() < 0.01);
    }
}
