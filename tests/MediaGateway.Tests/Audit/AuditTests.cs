using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Audit;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using MediaGateway.Webhooks;
using Microsoft.Extensions.DependencyInjection;
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
        await TestData.Eventually(async () =>
        {
            entries = (await op.GetFromJsonAsync<JsonArray>($"api/content/{id}/audit"))!;
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
        await TestData.Eventually(async () => (await op.GetFromJsonAsync<JsonArray>($"api/content/{id}/audit"))!.Count >= 8, "audit entries written");
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

    /// <summary>The sheet records what reviewers approved beyond the article: the Weibo post's own text and the WeChat options.</summary>
    [Fact]
    public async Task TheSignOffSheet_ShowsThePlatformVariants()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op));
        var weiboText = "微博专用文字" + TestData.Unique("");
        article["weibo"] = new JsonObject { ["text"] = weiboText };
        article["weChat"] = new JsonObject { ["comments"] = "fansOnly" };
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
        var html = await op.GetStringAsync($"api/content/{id}/signoff-sheet");
        Assert.Contains("微博专用文字 Weibo text", html, StringComparison.Ordinal);
        Assert.Contains(weiboText, html, StringComparison.Ordinal);
        Assert.Contains("留言 仅粉丝可留言", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnApprovalWithAForgedActorOnTheItem_IsCaughtByTheCrossCheck()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("审计交叉核对"))))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        using var admin = host.Client(AdminToken);
        await TestData.Eventually(async () => (await op.GetFromJsonAsync<JsonArray>($"api/content/{id}/audit"))!
            .Count(e => e!["type"]!.GetValue<string>() == EventTypes.ReviewDecided) == 3, "the three decisions registered");

        // Someone with Redis access puts another name on the level-2 approval of the item record.
        var db = host.Multiplexer.GetDatabase();
        var key = new RedisKeys("mg").Content(id);
        var original = (string)(await db.StringGetAsync(key))!;
        var item = JsonNode.Parse(original)!;
        Assert.Equal("rv2-qian", item["reviews"]![1]!["reviewerId"]!.GetValue<string>());
        item["reviews"]![1]!["reviewerId"] = "rv2-forged";
        await db.StringSetAsync(key, item.ToJsonString());
        try
        {
            var verification = (await admin.GetFromJsonAsync<JsonObject>("api/audit/verify"))!;
            Assert.False(verification["intact"]!.GetValue<bool>());
            var problem = verification["problems"]!.AsArray().Single(p => p!["contentId"]?.GetValue<string>() == id)!;
            Assert.Equal("item-differs", problem["kind"]!.GetValue<string>());
            Assert.NotNull(problem["fromSeq"]);
            var message = problem["message"]!.GetValue<string>();
            Assert.StartsWith("稿件", message, StringComparison.Ordinal);
            Assert.Contains("rv2-forged", message, StringComparison.Ordinal);
            Assert.Contains("rv2-qian", message, StringComparison.Ordinal);
        }
        finally
        {
            await db.StringSetAsync(key, original); // the collection's other tests expect an intact record
        }

        var restored = (await admin.GetFromJsonAsync<JsonObject>("api/audit/verify"))!;
        Assert.True(restored["intact"]!.GetValue<bool>(), restored.ToJsonString());
        Assert.True(restored["itemsChecked"]!.GetValue<int>() >= 1);
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

/// <summary>
/// Tampering with Redis directly, as someone with Redis access but neither the audit key nor the checkpoint directory
/// could, is caught and located. Each test has a chain, a key and a checkpoint directory of its own.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class AuditTamperTests(GatewayTestHost host) : IDisposable
{
    private readonly RedisKeys _keys = new("tamper" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mg-audit-" + Guid.NewGuid().ToString("N"));
    private readonly string _secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private AuditKey Key => new(System.Text.Encoding.UTF8.GetBytes(_secret));

    private AuditCheckpoints Checkpoints(AuditKey? key = null) =>
        new(host.Multiplexer, _keys, key ?? Key, new AuditCheckpointLocation(_dir, "test-instance"), TimeProvider.System);

    private AuditLog Log(AuditKey? key = null) => new(host.Multiplexer, _keys, key ?? Key, Checkpoints(key));

    /// <summary>A chain of <paramref name="entries"/> entries and, as the gateway writes every few minutes, a checkpoint of it.</summary>
    private async Task<AuditLog> ChainOfAsync(int entries, bool checkpoint = true, AuditLog? log = null)
    {
        log ??= Log();
        var start = (await log.HeadAsync()).Seq + 1;
        for (var i = start; i < start + entries; i++)
        {
            var head = await log.HeadAsync();
            var tx = host.Multiplexer.GetDatabase().CreateTransaction();
            log.Append(tx, head, new GatewayEvent($"evt{i}", EventTypes.ReviewDecided, DateTimeOffset.UnixEpoch.AddMinutes(i), ["wx-city"],
                new JsonObject { ["review"] = new JsonObject { ["comment"] = $"同意 {i}" } }) { Actor = "rv1-zhao", ContentId = "c1" });
            Assert.True(await tx.ExecuteAsync());
        }

        if (checkpoint) Assert.NotNull(await Checkpoints().TakeAsync("test"));
        var verification = await log.VerifyAsync();
        Assert.True(verification.Intact, verification.Summary);
        return log;
    }

    private async Task<List<StreamEntry>> EntriesAsync() => [.. await host.Multiplexer.GetDatabase().StreamRangeAsync(_keys.AuditStream)];

    private static long SeqOf(StreamEntry e) => long.Parse(((string)e.Id!).Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Rewrites the stream as someone with Redis access could: <paramref name="change"/> gets each entry's body and hash and
    /// the hash of the (possibly rewritten) entry before it; signature fields are kept unless <paramref name="keepSignatures"/> is false.
    /// </summary>
    private async Task RewriteAsync(Func<long, string, string, string, (string Body, string Hash)> change, bool keepSignatures = true)
    {
        var db = host.Multiplexer.GetDatabase();
        var all = await EntriesAsync();
        await db.KeyDeleteAsync(_keys.AuditStream);
        var previous = AuditLog.Genesis;
        foreach (var e in all)
        {
            var (body, hash) = change(SeqOf(e), (string)e["body"]!, (string)e["hash"]!, previous);
            NameValueEntry[] fields = keepSignatures && !e["mac"].IsNull
                ? [new("body", body), new("hash", hash), new("mac", e["mac"]), new("kid", e["kid"])]
                : [new("body", body), new("hash", hash)];
            await db.StreamAddAsync(_keys.AuditStream, fields, e.Id);
            previous = hash;
        }
    }

    private static string Relinked(string body, string previous)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        node["previousHash"] = previous;
        return node.ToJsonString(MediaGateway.Storage.Json.Options);
    }

    private static string Forged(string body, long seq) => body.Replace($"同意 {seq}", $"退回 {seq}", StringComparison.Ordinal);

    private static void AssertProblem(AuditVerification result, string kind, long from, long to)
    {
        Assert.False(result.Intact);
        Assert.Contains(result.Problems, p => p.Kind == kind && p.FromSeq == from && p.ToSeq == to);
        Assert.All(result.Problems, p => Assert.Matches(@"^\P{IsBasicLatin}", p.Message)); // Chinese first
    }

    [Fact]
    public async Task Case1_AnEditedEntry_IsNamed()
    {
        var log = await ChainOfAsync(5);
        await RewriteAsync((seq, body, hash, _) => seq == 2 ? (Forged(body, 2), hash) : (body, hash));
        var result = await log.VerifyAsync();
        AssertProblem(result, "altered", 2, 2);
        Assert.Equal(2, result.FirstBadSeq);
        Assert.Contains("altered", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Case2_AnEditedEntryWithItsOwnHashRecomputed_IsNamed()
    {
        var log = await ChainOfAsync(5);
        await RewriteAsync((seq, body, hash, _) => seq == 2 ? (Forged(body, 2), AuditLog.HashOf(Forged(body, 2))) : (body, hash));
        var result = await log.VerifyAsync();
        Assert.Equal(2, result.FirstBadSeq);
        AssertProblem(result, "rewritten", 2, 2);
        AssertProblem(result, "unlinked", 3, 3);
    }

    [Fact]
    public async Task Case3_AnEditedEntryWithEverythingAfterItAndTheHeadRehashed_IsNamed()
    {
        var log = await ChainOfAsync(5);
        await RewriteAsync((seq, body, hash, previous) =>
        {
            if (seq < 2) return (body, hash);
            var forged = Relinked(seq == 2 ? Forged(body, 2) : body, previous);
            return (forged, AuditLog.HashOf(forged));
        });
        var newLast = (string)(await EntriesAsync())[^1]["hash"]!;
        await host.Multiplexer.GetDatabase().StringSetAsync(_keys.AuditHead, $"5:{newLast}");

        var result = await log.VerifyAsync();
        Assert.Equal(2, result.FirstBadSeq);
        AssertProblem(result, "rewritten", 2, 5);
        AssertProblem(result, "checkpoint-differs", 5, 5); // and the checkpoint outside Redis disagrees too
    }

    [Fact]
    public async Task Case4_TheTailDeleted_IsNamed()
    {
        var log = await ChainOfAsync(5);
        await host.Multiplexer.GetDatabase().StreamDeleteAsync(_keys.AuditStream, ["4-0", "5-0"]);
        var result = await log.VerifyAsync();
        Assert.Equal(4, result.FirstBadSeq);
        AssertProblem(result, "missing", 4, 5);
    }

    [Fact]
    public async Task Case5_TheTailDeletedAndTheHeadRewound_IsCaughtByTheCheckpoint()
    {
        var log = await ChainOfAsync(5);
        var db = host.Multiplexer.GetDatabase();
        var third = (string)(await EntriesAsync())[2]["hash"]!;
        await db.StreamDeleteAsync(_keys.AuditStream, ["4-0", "5-0"]);
        await db.StringSetAsync(_keys.AuditHead, $"3:{third}");

        var result = await log.VerifyAsync();
        Assert.Equal(4, result.FirstBadSeq);
        AssertProblem(result, "cut", 4, 5);
        Assert.Contains("test-instance", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Case5_WithoutACheckpoint_IsNotSeen_AndVerifySaysSo()
    {
        // The limit of a keyed chain alone: a cut tail with a rewound head is a shorter, valid chain.
        var log = await ChainOfAsync(5, checkpoint: false);
        var db = host.Multiplexer.GetDatabase();
        var third = (string)(await EntriesAsync())[2]["hash"]!;
        await db.StreamDeleteAsync(_keys.AuditStream, ["4-0", "5-0"]);
        await db.StringSetAsync(_keys.AuditHead, $"3:{third}");
        var result = await log.VerifyAsync();
        Assert.True(result.Intact);
        Assert.Contains(result.Notes, n => n.Contains("no checkpoint yet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignaturesStripped_ToPassAsLegacy_AreCaught()
    {
        var log = await ChainOfAsync(5);
        await RewriteAsync((seq, body, hash, previous) =>
        {
            if (seq < 2) return (body, hash);
            var forged = Relinked(seq == 2 ? Forged(body, 2) : body, previous);
            return (forged, AuditLog.HashOf(forged));
        }, keepSignatures: false);
        await RewriteAsync((_, body, hash, _) => (body, hash), keepSignatures: false); // entry 1 too
        var newLast = (string)(await EntriesAsync())[^1]["hash"]!;
        var db = host.Multiplexer.GetDatabase();
        await db.StringSetAsync(_keys.AuditHead, $"5:{newLast}");
        await db.KeyDeleteAsync(_keys.AuditKeyedFrom);

        var result = await log.VerifyAsync();
        AssertProblem(result, "unsigned", 1, 5);
    }

    [Fact]
    public async Task AChainWrittenBeforeTheKey_VerifiesWithItsLegacyEntriesCounted()
    {
        // Entries 1-3 as an older gateway wrote them: no signature, no keyed-from mark.
        var log = await ChainOfAsync(3, checkpoint: false);
        await RewriteAsync((_, body, hash, _) => (body, hash), keepSignatures: false);
        await host.Multiplexer.GetDatabase().KeyDeleteAsync(_keys.AuditKeyedFrom);
        await ChainOfAsync(2, log: log);

        var result = await log.VerifyAsync();
        Assert.True(result.Intact, result.Summary);
        Assert.Equal(3, result.UnkeyedLegacyEntries);
        Assert.Equal(4, result.KeyedFrom);
        Assert.Contains(result.Notes, n => n.Contains("unkeyed legacy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EntriesSignedWithAnotherKey_AreToldApartFromForgeries()
    {
        await ChainOfAsync(3, checkpoint: false);
        var other = new AuditKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var result = await Log(other).VerifyAsync();
        AssertProblem(result, "other-key", 1, 3);
    }

    [Fact]
    public async Task AnEditedCheckpoint_IsNamed()
    {
        await ChainOfAsync(3);
        var file = Directory.GetFiles(_dir, "*.checkpoints.jsonl").Single();
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("\"seq\":3", "\"seq\":2", StringComparison.Ordinal));
        var result = await Log().VerifyAsync();
        Assert.False(result.Intact);
        Assert.Contains(result.Problems, p => p.Kind == "checkpoint-signature" && p.Message.Contains("line 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARemovedEntry_IsNamed()
    {
        var log = await ChainOfAsync(5);
        await host.Multiplexer.GetDatabase().StreamDeleteAsync(_keys.AuditStream, ["3-0"]);
        var result = await log.VerifyAsync();
        Assert.Equal(3, result.FirstBadSeq);
        AssertProblem(result, "missing", 3, 3);
    }

    [Fact]
    public async Task TheLastEntryAlteredWithARecomputedHash_IsNamed()
    {
        var log = await ChainOfAsync(4);
        await RewriteAsync((seq, body, hash, _) => seq == 4 ? (Forged(body, 4), AuditLog.HashOf(Forged(body, 4))) : (body, hash));
        var result = await log.VerifyAsync();
        Assert.Equal(4, result.FirstBadSeq);
        AssertProblem(result, "rewritten", 4, 4);
    }

    /// <summary>Review entries of one item for <paramref name="accounts"/> accounts, as the event factory makes them: every account with its ownership, every fingerprint.</summary>
    private async Task<AuditLog> ItemEntriesAsync(int entries, int accounts)
    {
        var log = Log();
        var ids = Enumerable.Range(1, accounts).Select(i => $"wx-{i:D3}").ToList();
        for (var i = 1; i <= entries; i++)
        {
            var details = new JsonObject
            {
                ["content"] = new JsonObject
                {
                    ["id"] = "c1", ["revision"] = 1,
                    ["fingerprints"] = new JsonObject(ids.Select(a => KeyValuePair.Create(a, (JsonNode?)("sha256:" + new string('a', 64))))),
                },
                ["accounts"] = new JsonArray([.. ids.Select(a => (JsonNode)new JsonObject
                {
                    ["id"] = a, ["name"] = "示例市政府" + a,
                    ["ownership"] = new JsonObject { ["openingUnit"] = "示例市人民政府办公室", ["responsiblePerson"] = new JsonObject { ["name"] = "王敏" } },
                })]),
                ["review"] = new JsonObject { ["level"] = i, ["comment"] = $"同意 {i}" },
            };
            var tx = host.Multiplexer.GetDatabase().CreateTransaction();
            log.Append(tx, await log.HeadAsync(), new GatewayEvent($"evt{i}", EventTypes.ReviewDecided, DateTimeOffset.UnixEpoch.AddMinutes(i), ids, details)
                { Actor = "rv1-zhao", ContentId = "c1" });
            Assert.True(await tx.ExecuteAsync());
        }

        return log;
    }

    /// <summary>
    /// An item's accounts with their ownership and its fingerprints are stored once and named by hash in each entry, not
    /// copied into every entry (an item for 200 accounts copied ~76 KB into each of eight entries); a publication's one
    /// account stays in its entry.
    /// </summary>
    [Fact]
    public async Task AnItemsLongLists_AreStoredOnce_AndEachEntryNamesThem()
    {
        var log = await ItemEntriesAsync(entries: 4, accounts: 200);
        var entries = await EntriesAsync();
        // What is left is the entry's own fields, of which the 200 account ids (routing, ~2.2 KB) are the most.
        Assert.All(entries, e => Assert.True(((byte[])e["body"]!).Length < 4096, $"entry {e.Id} is {((byte[])e["body"]!).Length} bytes"));
        var stored = entries.Select(e => AuditLog.Read(e).Entry).ToList();
        var accounts = Assert.Single(stored.Select(e => e.Details["accounts"]!["part"]!.GetValue<string>()).Distinct());
        var fingerprints = Assert.Single(stored.Select(e => e.Details["content"]!["fingerprints"]!["part"]!.GetValue<string>()).Distinct());
        Assert.Equal(200, stored[0].Details["accounts"]!["count"]!.GetValue<int>());
        var db = host.Multiplexer.GetDatabase();
        var list = JsonNode.Parse((string)(await db.StringGetAsync(_keys.AuditPart(accounts)))!)!.AsArray();
        Assert.Equal(200, list.Count);
        Assert.Equal("王敏", list[199]!["ownership"]!["responsiblePerson"]!["name"]!.GetValue<string>());
        Assert.Equal(200, JsonNode.Parse((string)(await db.StringGetAsync(_keys.AuditPart(fingerprints)))!)!.AsObject().Count);
        Assert.Equal("同意 3", stored[2].Details["review"]!["comment"]!.GetValue<string>()); // the rest of the details as they were
        var verification = await log.VerifyAsync();
        Assert.True(verification.Intact, verification.Summary);

        await ChainOfAsync(1, checkpoint: false, log); // one account: no part
        var small = AuditLog.Read((await EntriesAsync())[^1]).Entry;
        Assert.Null(small.Details["accounts"]);
        Assert.Empty(AuditParts.ReferencesIn(small.Details));
    }

    [Fact]
    public async Task AnAlteredOrMissingSharedPart_IsNamedForEveryEntryThatRefersToIt()
    {
        var log = await ItemEntriesAsync(entries: 3, accounts: 50);
        var entry = AuditLog.Read((await EntriesAsync())[0]).Entry;
        var accounts = entry.Details["accounts"]!["part"]!.GetValue<string>();
        var fingerprints = entry.Details["content"]!["fingerprints"]!["part"]!.GetValue<string>();
        var db = host.Multiplexer.GetDatabase();
        var text = (string)(await db.StringGetAsync(_keys.AuditPart(accounts)))!;
        await db.StringSetAsync(_keys.AuditPart(accounts), text.Replace("王敏", "李四", StringComparison.Ordinal)); // another responsible person
        await db.KeyDeleteAsync(_keys.AuditPart(fingerprints));

        var result = await log.VerifyAsync(crossCheckItems: false);
        AssertProblem(result, "part-altered", 1, 3);
        AssertProblem(result, "part-missing", 1, 3);
        Assert.Contains(result.Problems, p => p.Kind == "part-altered" && p.Message.Contains("accounts " + AuditLog.Short(accounts), StringComparison.Ordinal)
            && p.Message.Contains("1, 2, 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheVerifyCommand_ExitsOneOnABrokenChain()
    {
        await ChainOfAsync(3);
        var keyFile = Path.Combine(_dir, "key");
        await File.WriteAllTextAsync(keyFile, _secret);
        string[] args = ["audit", "verify", "--config-dir", RepoPaths.Config, "--environment", "Demo",
            "--Sandbox:Enabled=false", $"--Redis:ConnectionString={host.Redis.ConnectionString}",
            $"--Redis:KeyPrefix={_keys.AuditStream.Split(':')[0].Trim('{', '}')}", $"--Audit:KeyRef=file:{keyFile}", $"--Audit:CheckpointDirectory={_dir}"];
        Assert.Equal(0, await AuditCommand.RunAsync(args));
        await host.Multiplexer.GetDatabase().StreamDeleteAsync(_keys.AuditStream, ["2-0"]);
        Assert.Equal(1, await AuditCommand.RunAsync(args));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>Checkpoints are written outside Redis on an interval and at a graceful stop; the key is configured, never made up in Production.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AuditCheckpointTests(GatewayTestHost host) : IDisposable
{
    private readonly RedisKeys _keys = new("ckpt" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mg-audit-" + Guid.NewGuid().ToString("N"));
    private readonly AuditKey _key = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private List<JsonObject> Lines() => Directory.Exists(_dir)
        ? Directory.GetFiles(_dir, "*.checkpoints.jsonl").SelectMany(ReadLocked).Select(l => JsonNode.Parse(l)!.AsObject()).ToList()
        : [];

    /// <summary>The writer locks the file for the moment of its append (as verify does, a reader waits that moment out).</summary>
    private static string[] ReadLocked(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return File.ReadAllLines(path);
            }
            catch (IOException) when (attempt < 50)
            {
                // Another process's file lock, not time for the code under test to pass: a short synchronous retry.
#pragma warning disable RS0030
                Thread.Sleep(20);
#pragma warning restore RS0030
            }
        }
    }

    private async Task AppendAsync(AuditLog log, string eventId)
    {
        var tx = host.Multiplexer.GetDatabase().CreateTransaction();
        log.Append(tx, await log.HeadAsync(), new GatewayEvent(eventId, EventTypes.RulesReloaded, DateTimeOffset.UtcNow, [], new JsonObject()));
        Assert.True(await tx.ExecuteAsync());
    }

    [Fact]
    public async Task ACheckpointIsWrittenEveryInterval_WhenTheChainMoved_AndAtStop()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var checkpoints = new AuditCheckpoints(host.Multiplexer, _keys, _key, new AuditCheckpointLocation(_dir, "gw1"), clock);
        var log = new AuditLog(host.Multiplexer, _keys, _key, checkpoints);
        using var writer = new AuditCheckpointer(checkpoints, new AuditOptions { CheckpointMinutes = 5 }, clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditCheckpointer>.Instance);
        await writer.StartAsync(CancellationToken.None);

        await AppendAsync(log, "evt-a");
        clock.Advance(TimeSpan.FromMinutes(5));
        await TestData.Eventually(() => Lines().Count == 1, "the first interval's checkpoint");
        Assert.Equal(1, Lines()[0]["seq"]!.GetValue<long>());
        Assert.Equal("interval", Lines()[0]["reason"]!.GetValue<string>());

        clock.Advance(TimeSpan.FromMinutes(5)); // the chain did not move: nothing new to record
        await AppendAsync(log, "evt-b");
        clock.Advance(TimeSpan.FromMinutes(5));
        await TestData.Eventually(() => Lines().Count == 2, "the third interval's checkpoint");
        Assert.Equal(2, Lines()[1]["seq"]!.GetValue<long>());

        await AppendAsync(log, "evt-c");
        await writer.StopAsync(CancellationToken.None);
        var last = Lines()[^1];
        Assert.Equal(3, Lines().Count);
        Assert.Equal(3, last["seq"]!.GetValue<long>());
        Assert.Equal("shutdown", last["reason"]!.GetValue<string>());
        Assert.Equal("gw1", last["instance"]!.GetValue<string>());
        Assert.Equal((await log.HeadAsync()).Hash, last["head"]!.GetValue<string>());
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task TwoInstances_WriteFilesOfTheirOwn_AndVerifyUsesTheNewest()
    {
        var one = new AuditCheckpoints(host.Multiplexer, _keys, _key, new AuditCheckpointLocation(_dir, "gw1"), TimeProvider.System);
        var two = new AuditCheckpoints(host.Multiplexer, _keys, _key, new AuditCheckpointLocation(_dir, "gw2"), TimeProvider.System);
        var log = new AuditLog(host.Multiplexer, _keys, _key, one);
        await AppendAsync(log, "evt-1");
        await one.TakeAsync("interval");
        await AppendAsync(log, "evt-2");
        await two.TakeAsync("shutdown");
        Assert.Equal(2, Directory.GetFiles(_dir, "*.checkpoints.jsonl").Length);

        var result = await log.VerifyAsync();
        Assert.True(result.Intact, result.Summary);
        Assert.Equal(2, result.CheckpointsChecked);
        Assert.Equal(new AuditCheckpointSeen("gw2", 2, result.LastCheckpoint!.At, "shutdown"), result.LastCheckpoint);
    }

    [Fact]
    public async Task ARunningGateway_WritesACheckpointWhenItStops()
    {
        await using var app = MediaGateway.Hosting.GatewayHost.Build(["--environment", "Demo", "--urls", "http://127.0.0.1:0", "--Sandbox:Enabled=false",
            $"--Redis:ConnectionString={host.RedisConnectionString}", $"--Redis:KeyPrefix={_keys.Tag[1..^1]}", $"--Audit:CheckpointDirectory={_dir}",
            "--Audit:InstanceName=gateway-a"], new MediaGateway.Hosting.ConfigDirectory(RepoPaths.Config));
        await app.StartAsync();
        // An event as the gateway writes them: the event processor appends it to the chain.
        var tx = host.Multiplexer.GetDatabase().CreateTransaction();
        EventStream.Append(tx, _keys, [new GatewayEvent("evt_stop_" + Guid.NewGuid().ToString("N"), EventTypes.RulesReloaded, DateTimeOffset.UtcNow, [], new JsonObject())]);
        Assert.True(await tx.ExecuteAsync());
        var log = app.Services.GetRequiredService<AuditLog>();
        await TestData.Eventually(async () => (await log.HeadAsync()).Seq >= 1, "the event is in the chain");
        await app.StopAsync();

        var last = Lines().Last(l => l["instance"]!.GetValue<string>() == "gateway-a");
        Assert.Equal("shutdown", last["reason"]!.GetValue<string>());
        Assert.Equal((await log.HeadAsync()).Seq, last["seq"]!.GetValue<long>());
        // The demo's key was generated next to the checkpoints, outside Redis.
        Assert.Matches("^[0-9a-f]{64}$", await File.ReadAllTextAsync(Path.Combine(_dir, AuditKey.DemoKeyFile)));
    }

    [Fact]
    public void Production_WithoutAnAuditKey_RefusesToStart_NamingTheSetting()
    {
        var error = Assert.Throws<MediaGateway.Hosting.ConfigurationException>(() => MediaGateway.Hosting.GatewayHost.Build(
            ["--environment", "Demo", "--Sandbox:Enabled=false", "--Gateway:Mode=Production", "--Redis:ConnectionString=127.0.0.1:1",
                $"--Audit:CheckpointDirectory={_dir}"], new MediaGateway.Hosting.ConfigDirectory(RepoPaths.Config)));
        Assert.Contains("Audit:KeyRef", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, AuditKey.DemoKeyFile)));
    }

    [Fact]
    public void AShortAuditKey_IsRefused()
    {
        Environment.SetEnvironmentVariable("MG_TEST_SHORT_AUDIT_KEY", "too-short");
        var error = Assert.Throws<MediaGateway.Hosting.ConfigurationException>(() => MediaGateway.Hosting.GatewayHost.Build(
            ["--environment", "Demo", "--Sandbox:Enabled=false", "--Redis:ConnectionString=127.0.0.1:1", "--Audit:KeyRef=env:MG_TEST_SHORT_AUDIT_KEY",
                $"--Audit:CheckpointDirectory={_dir}"], new MediaGateway.Hosting.ConfigDirectory(RepoPaths.Config)));
        Assert.Contains("Audit:KeyRef", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
