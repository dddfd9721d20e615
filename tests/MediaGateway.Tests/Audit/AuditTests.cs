using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Audit;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using MediaGateway.Webhooks;
using StackExchange.Redis;

namespace MediaGateway.Tests.Audit;

/// <summary>P7: every submission, decision and publication is registered in a hash chain that names where it was tampered with.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AuditTests(GatewayTestHost host)
{
    private const string AdminToken = "mgdemo-admin-zhou";

    private async Task<(string Id, string Title)> PublishedItemAsync()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("审计");
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title)))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        await TestData.WaitForFinalPublicationsAsync(op, id);
        return (id, title);
    }

    [Fact]
    public async Task EveryStepOfAnItem_IsRegistered_WithWhoAndTheFingerprint()
    {
        var (id, _) = await PublishedItemAsync();
        using var op = host.Client(GatewayTestHost.OperatorToken);
        JsonArray entries = [];
        await TestData.Eventually(() =>
        {
            entries = op.GetFromJsonAsync<JsonArray>($"api/content/{id}/audit").Result!;
            return entries.Count(e => e!["type"]!.GetValue<string>() == EventTypes.PublicationSucceeded) == 2;
        }, "both publications registered");

        var types = entries.Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(EventTypes.ContentSubmitted, types[0]);
        Assert.Equal(3, types.Count(t => t == EventTypes.ReviewDecided));
        Assert.Contains(EventTypes.ContentApproved, types);
        Assert.Equal("op-li", entries[0]!["actor"]!.GetValue<string>());
        Assert.Equal(["rv1-zhao", "rv2-qian", "rv3-sun"],
            entries.Where(e => e!["type"]!.GetValue<string>() == EventTypes.ReviewDecided).Select(e => e!["actor"]!.GetValue<string>()));
        Assert.All(entries.Where(e => e!["type"]!.GetValue<string>() == EventTypes.ReviewDecided),
            e => Assert.True(e!["details"]!["review"]!["secrecyAttested"]!.GetValue<bool>()));
        var fingerprint = entries[0]!["details"]!["content"]!["fingerprints"]!["wx-city"]!.GetValue<string>();
        Assert.StartsWith("sha256:", fingerprint, StringComparison.Ordinal);
        Assert.NotNull(entries[0]!["details"]!["rules"]!["version"]);
        var published = entries.First(e => e!["type"]!.GetValue<string>() == EventTypes.PublicationSucceeded)!;
        Assert.False(string.IsNullOrEmpty(published["details"]!["publication"]!["platformId"]!.GetValue<string>()));

        // Entries chain: each names the hash of the one before it in the global log.
        var seqs = entries.Select(e => e!["seq"]!.GetValue<long>()).ToList();
        Assert.Equal(seqs.Order(), seqs);

        using var admin = host.Client(AdminToken);
        var verification = (await admin.GetFromJsonAsync<JsonObject>("api/audit/verify"))!;
        Assert.True(verification["intact"]!.GetValue<bool>(), verification.ToJsonString());
        Assert.True(verification["entriesChecked"]!.GetValue<long>() >= seqs.Max());
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("api/audit/verify")).StatusCode);
    }

    [Fact]
    public async Task TheSignOffSheet_ShowsEveryLevelAndThePublications()
    {
        var (id, title) = await PublishedItemAsync();
        using var op = host.Client(GatewayTestHost.OperatorToken);
        await TestData.Eventually(() => op.GetFromJsonAsync<JsonArray>($"api/content/{id}/audit").Result!.Count >= 8, "audit entries written");
        using var response = await op.GetAsync($"api/content/{id}/signoff-sheet");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(title, html, StringComparison.Ordinal);
        Assert.Contains("初审", html, StringComparison.Ordinal);
        Assert.Contains("审发", html, StringComparison.Ordinal);
        Assert.Contains("赵磊", html, StringComparison.Ordinal);
        Assert.Contains("已确认", html, StringComparison.Ordinal);
        Assert.Contains("审计链完整", html, StringComparison.Ordinal);
        var item = await TestData.GetAsync(op, id);
        Assert.Contains(TestData.Publication(item, "wb-city")["platformId"]!.GetValue<string>(), html, StringComparison.Ordinal);
        Assert.Contains(item["fingerprints"]!["wx-city"]!.GetValue<string>(), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheVerifyCommand_ExitsZeroOnAnIntactChain()
    {
        await PublishedItemAsync();
        var code = await AuditCommand.RunAsync(["audit", "verify", "--config-dir", RepoPaths.Config, "--environment", "Demo",
            "--Sandbox:Enabled=false", $"--Redis:ConnectionString={host.Redis.ConnectionString}"]);
        Assert.Equal(0, code);
    }
}

/// <summary>Tampering with Redis directly is caught, and the first bad entry is named. Each test has a chain of its own.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AuditTamperTests(GatewayTestHost host)
{
    private readonly RedisKeys _keys = new("tamper" + Guid.NewGuid().ToString("N")[..8]);

    private async Task<AuditLog> ChainOfAsync(int entries)
    {
        var log = new AuditLog(host.Multiplexer, _keys);
        for (var i = 1; i <= entries; i++)
        {
            var head = await log.HeadAsync();
            var tx = host.Multiplexer.GetDatabase().CreateTransaction();
            log.Append(tx, head, new GatewayEvent($"evt{i}", EventTypes.ReviewDecided, DateTimeOffset.UnixEpoch.AddMinutes(i), ["wx-city"],
                new JsonObject { ["review"] = new JsonObject { ["comment"] = $"同意 {i}" } }) { Actor = "rv1-zhao", ContentId = "c1" });
            Assert.True(await tx.ExecuteAsync());
        }

        Assert.True((await log.VerifyAsync()).Intact);
        return log;
    }

    private async Task<List<StreamEntry>> EntriesAsync() => [.. await host.Multiplexer.GetDatabase().StreamRangeAsync(_keys.AuditStream)];

    /// <summary>Rewrites the whole stream (as someone with Redis access could), changing entry <paramref name="seq"/>.</summary>
    private async Task RewriteAsync(int seq, Func<string, string, (string Body, string Hash)> change)
    {
        var db = host.Multiplexer.GetDatabase();
        var all = await EntriesAsync();
        await db.KeyDeleteAsync(_keys.AuditStream);
        foreach (var e in all)
        {
            var (body, hash) = ((string)e["body"]!, (string)e["hash"]!);
            if (e.Id == $"{seq}-0") (body, hash) = change(body, hash);
            await db.StreamAddAsync(_keys.AuditStream, [new NameValueEntry("body", body), new NameValueEntry("hash", hash)], e.Id);
        }
    }

    [Fact]
    public async Task ARemovedEntry_IsNamed()
    {
        var log = await ChainOfAsync(5);
        await host.Multiplexer.GetDatabase().StreamDeleteAsync(_keys.AuditStream, ["3-0"]);
        var result = await log.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadSeq);
    }

    [Fact]
    public async Task AnAlteredEntry_IsNamed()
    {
        var log = await ChainOfAsync(5);
        await RewriteAsync(2, (body, hash) => (body.Replace("同意 2", "退回 2", StringComparison.Ordinal), hash));
        var result = await log.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBadSeq);
        Assert.Contains("altered", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAlteredEntryWithARecomputedHash_BreaksTheNextLink()
    {
        var log = await ChainOfAsync(5);
        await RewriteAsync(2, (body, _) =>
        {
            var forged = body.Replace("同意 2", "退回 2", StringComparison.Ordinal);
            return (forged, AuditLog.HashOf(forged));
        });
        var result = await log.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadSeq);
    }

    [Fact]
    public async Task TheLastEntryAlteredWithARecomputedHash_DisagreesWithTheHead()
    {
        var log = await ChainOfAsync(4);
        await RewriteAsync(4, (body, _) =>
        {
            var forged = body.Replace("同意 4", "退回 4", StringComparison.Ordinal);
            return (forged, AuditLog.HashOf(forged));
        });
        var result = await log.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBadSeq);
    }

    [Fact]
    public async Task ATruncatedChain_DisagreesWithItsHead()
    {
        var log = await ChainOfAsync(4);
        await host.Multiplexer.GetDatabase().StreamDeleteAsync(_keys.AuditStream, ["4-0"]);
        var result = await log.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBadSeq);
    }

    [Fact]
    public async Task AnEntryRewrittenWithEverythingAfterItAndTheHead_IsCaught()
    {
        var log = await ChainOfAsync(5);
        var db = host.Multiplexer.GetDatabase();
        var all = await EntriesAsync();
        await db.KeyDeleteAsync(_keys.AuditStream);
        var previous = "";
        foreach (var e in all)
        {
            var body = (string)e["body"]!;
            var seq = long.Parse(e.Id.ToString().Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
            if (seq == 2) body = body.Replace("同意 2", "退回 2", StringComparison.Ordinal);
            if (seq > 2) body = body.Replace((string)System.Text.Json.Nodes.JsonNode.Parse(body)!["previousHash"]!, previous, StringComparison.Ordinal);
            previous = AuditLog.HashOf(body);
            await db.StreamAddAsync(_keys.AuditStream, [new NameValueEntry("body", body), new NameValueEntry("hash", previous)], e.Id);
        }

        await db.StringSetAsync(_keys.AuditHead, $"5:{previous}");
        var result = await log.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBadSeq);
    }

    [Fact]
    public async Task TheTailDeletedAndTheHeadRewound_IsCaught()
    {
        var log = await ChainOfAsync(5);
        var db = host.Multiplexer.GetDatabase();
        var all = await EntriesAsync();
        await db.StreamDeleteAsync(_keys.AuditStream, ["4-0", "5-0"]);
        await db.StringSetAsync(_keys.AuditHead, $"3:{(string)all[2]["hash"]!}");
        var result = await log.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBadSeq);
    }

    [Fact]
    public async Task TheVerifyCommand_ExitsOneOnABrokenChain()
    {
        await ChainOfAsync(3);
        await host.Multiplexer.GetDatabase().StreamDeleteAsync(_keys.AuditStream, ["2-0"]);
        var code = await AuditCommand.RunAsync(["audit", "verify", "--config-dir", RepoPaths.Config, "--environment", "Demo",
            "--Sandbox:Enabled=false", $"--Redis:ConnectionString={host.Redis.ConnectionString}",
            $"--Redis:KeyPrefix={_keys.AuditStream.Split(':')[0]}"]);
        Assert.Equal(1, code);
    }
}
