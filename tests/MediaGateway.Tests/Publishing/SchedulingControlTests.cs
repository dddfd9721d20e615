using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Sandbox;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Publishing;

/// <summary>
/// One publisher loop with two publications in progress at a time, parked publications that only come back when a pause is lifted (recheck 60 s), three
/// attempts before a dead letter, one mass send a minute, and two accounts with a zero-minute missed window:
/// wx-city marks late publications missed, wb-city publishes them late.
/// </summary>
public sealed class SchedulingGatewayHost() : GatewayTestHost(
[
    "--Publishing:Workers=1", "--Publishing:InFlightPerWorker=2", "--Publishing:PauseRecheckMilliseconds=60000", "--Publishing:MaxAttempts=3",
    "--Publishing:WeChatMassSendsPerMinute=1", "--Publishing:WeiboPostsPerHour=1000",
    "--Accounts:wx-city:MissedWindow:Policy=MarkMissed", "--Accounts:wx-city:MissedWindow:GraceMinutes=0",
    "--Accounts:wb-city:MissedWindow:Policy=PublishLate", "--Accounts:wb-city:MissedWindow:GraceMinutes=0",
]);

[CollectionDefinition(Name)]
public sealed class SchedulingCollection : ICollectionFixture<SchedulingGatewayHost>
{
    public const string Name = "scheduling";
}

/// <summary>Issue 6: pause switches, the emergency lane, account holds, dead letters with re-drive, the missed-window policy.</summary>
[Collection(SchedulingCollection.Name)]
public sealed class SchedulingControlTests(SchedulingGatewayHost host)
{
    private const string AdminToken = "mgdemo-admin-zhou";
    private const string WeiboUid = "7000000001";

    [Fact]
    public async Task GlobalPause_StopsPlatformCalls_UntilResumed_AndBothAreAudited()
    {
        using var admin = host.Client(AdminToken);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        await SetGlobalPauseAsync(admin, true, "平台维护，暂停发布");
        try
        {
            var (id, title) = await SubmitAndApproveAsync(op, ["wb-city"]);
            await WaitForNoteAsync(op, id, "wb-city", "waiting: 全部发布已暂停");
            Assert.DoesNotContain(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
            var pauses = await admin.GetFromJsonAsync<JsonObject>("api/pauses");
            Assert.Equal("平台维护，暂停发布", pauses!["global"]!["reason"]!.GetValue<string>());

            await SetGlobalPauseAsync(admin, false, "维护结束");
            var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city");
            Assert.Equal("published", pub["state"]!.GetValue<string>());
            Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        }
        finally
        {
            await admin.PostAsJsonAsync("api/pauses/global", new { paused = false, reason = "test cleanup" });
        }

        // Both switches are in the audit chain, with who and why.
        var keys = host.Services.GetRequiredService<RedisKeys>();
        await TestData.Eventually(async () =>
        {
            var bodies = (await host.Multiplexer.GetDatabase().StreamRangeAsync(keys.AuditStream)).Select(e => (string?)e["body"] ?? "").ToList();
            return bodies.Any(b => b.Contains("publishing.paused", StringComparison.Ordinal) && b.Contains("平台维护，暂停发布", StringComparison.Ordinal))
                   && bodies.Any(b => b.Contains("publishing.resumed", StringComparison.Ordinal) && b.Contains("维护结束", StringComparison.Ordinal));
        }, "pause and resume appended to the audit chain");
    }

    [Fact]
    public async Task PauseSwitches_RefuseBadInputAndTheWrongPeople()
    {
        using var admin = host.Client(AdminToken);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var healthOp = host.Client(GatewayTestHost.HealthOperatorToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("api/pauses/global", new { paused = true, reason = "x" })).StatusCode);
        var noReason = await admin.PostAsJsonAsync("api/pauses/global", new { paused = true });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.NotNull((await TestData.ProblemAsync(noReason))["errors"]!["reason"]);
        var noSwitch = await admin.PostAsJsonAsync("api/pauses/global", new { reason = "x" });
        Assert.NotNull((await TestData.ProblemAsync(noSwitch))["errors"]!["paused"]);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("api/pauses/global", new { paused = false, reason = "nothing paused" })).StatusCode);

        // An account of another department does not exist for this operator; nothing was paused by the refused calls.
        Assert.Equal(HttpStatusCode.NotFound, (await healthOp.PostAsJsonAsync("api/accounts/wb-city/pause", new { reason = "x" })).StatusCode);
        var pauses = await admin.GetFromJsonAsync<JsonObject>("api/pauses");
        Assert.Null(pauses!["global"]);
        Assert.Empty(pauses["accounts"]!.AsArray());
    }

    [Fact]
    public async Task AccountPause_HoldsThatAccountOnly()
    {
        using var dept = host.Client(GatewayTestHost.DepartmentToken);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        Assert.Equal(HttpStatusCode.OK, (await dept.PostAsJsonAsync("api/accounts/wb-city/pause", new { reason = "账号口令更换中" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await dept.PostAsJsonAsync("api/accounts/wb-city/pause", new { reason = "again" })).StatusCode);
        try
        {
            var (id, title) = await SubmitAndApproveAsync(op, ["wx-city", "wb-city"]);
            var item = await WaitForNoteAsync(op, id, "wb-city", "waiting: 该账号发布已暂停");
            await TestData.Eventually(async () => TestData.Publication(await TestData.GetAsync(op, id), "wx-city")["state"]!.GetValue<string>() == "published",
                "wx-city published while wb-city is paused");
            Assert.DoesNotContain(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
            Assert.Equal("queued", TestData.Publication(item, "wb-city")["state"]!.GetValue<string>());

            Assert.Equal(HttpStatusCode.OK, (await dept.PostAsJsonAsync("api/accounts/wb-city/unpause", new { reason = "口令已更换" })).StatusCode);
            var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city");
            Assert.Equal("published", pub["state"]!.GetValue<string>());
            Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        }
        finally
        {
            await dept.PostAsJsonAsync("api/accounts/wb-city/unpause", new { reason = "test cleanup" });
        }
    }

    [Fact]
    public async Task EmergencyItem_OvertakesARoutineBacklog()
    {
        using var admin = host.Client(AdminToken);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        await SetGlobalPauseAsync(admin, true, "积压测试");
        var routine = new List<string>();
        var routineTitles = new List<string>();
        string emergencyTitle;
        try
        {
            // Twelve routine items wait (in the order they were approved), then one emergency item arrives last.
            for (var i = 0; i < 12; i++)
            {
                var (id, title) = await SubmitAndApproveAsync(op, ["wb-city"]);
                routine.Add(id);
                routineTitles.Add(title);
            }

            var urgent = TestData.Article(await TestData.UploadCoverAsync(op), TestData.Unique("突发事件通报"), ["wb-city"]);
            urgent["category"] = "Emergency";
            emergencyTitle = urgent["title"]!.GetValue<string>();
            var emergencyId = (await TestData.SubmitAsync(op, urgent))["id"]!.GetValue<string>();
            await TestData.ApproveAllLevelsAsync(host, emergencyId);
            var parked = await WaitForNoteAsync(op, emergencyId, "wb-city", "waiting: 全部发布已暂停");
            Assert.Equal("emergency", TestData.Publication(parked, "wb-city")["lane"]!.GetValue<string>());
            foreach (var id in routine)
            {
                await WaitForNoteAsync(op, id, "wb-city", "waiting: 全部发布已暂停");
            }
        }
        finally
        {
            await admin.PostAsJsonAsync("api/pauses/global", new { paused = false, reason = "积压测试结束" });
        }

        foreach (var id in routine)
        {
            await TestData.WaitForFinalPublicationsAsync(op, id);
        }

        var order = host.Weibo.Statuses.Select(s => s.Text).ToList();
        var emergencyAt = order.FindIndex(t => t.Contains(emergencyTitle, StringComparison.Ordinal));
        Assert.True(emergencyAt >= 0, "the emergency item was posted");
        // The emergency item takes the first free slot; at most the one routine item started beside it can finish first.
        var routineBefore = routineTitles.Count(title => order.Take(emergencyAt).Any(t => t.Contains(title, StringComparison.Ordinal)));
        Assert.InRange(routineBefore, 0, 1);
    }

    [Fact]
    public async Task RateLimitAnswer_HoldsTheAccount_WithoutCallingAgain_AndOtherAccountsGoOn()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var dept = host.Client(GatewayTestHost.DepartmentToken);
        var reset = host.Weibo.ExhaustRateLimit(10023, WeiboUid);
        var postsBefore = host.Weibo.PostEffectCount(WeiboUid);
        try
        {
            var (first, firstTitle) = await SubmitAndApproveAsync(op, ["wx-city", "wb-city"]);
            var firstItem = await WaitForNoteAsync(op, first, "wb-city", "account held until");
            await TestData.Eventually(async () => TestData.Publication(await TestData.GetAsync(op, first), "wx-city")["state"]!.GetValue<string>() == "published",
                "the WeChat account is not held up by the Weibo account's limit");
            Assert.Equal(0, TestData.Publication(firstItem, "wb-city")["attempts"]!.GetValue<int>());

            var pauses = await dept.GetFromJsonAsync<JsonObject>("api/pauses");
            var hold = Assert.Single(pauses!["accounts"]!.AsArray(), a => a!["accountId"]!.GetValue<string>() == "wb-city")!["hold"]!;
            Assert.Equal("10023", hold["code"]!.GetValue<string>());
            // Until the platform's hourly window reopens (as the platform announced it, give or take the clocks' reading).
            Assert.InRange(hold["until"]!.GetValue<DateTimeOffset>(), reset.AddSeconds(-2), reset.AddSeconds(2));

            // A second item for the held account waits without asking the platform.
            var (second, _) = await SubmitAndApproveAsync(op, ["wb-city"]);
            var secondItem = await WaitForNoteAsync(op, second, "wb-city", "waiting: 平台窗口未开放");
            Assert.DoesNotContain(TestData.Publication(secondItem, "wb-city")["history"]!.AsArray(),
                h => h!["note"]!.GetValue<string>().Contains("10023", StringComparison.Ordinal) && !h["note"]!.GetValue<string>().StartsWith("waiting", StringComparison.Ordinal));
            Assert.Equal(postsBefore, host.Weibo.PostEffectCount(WeiboUid));

            // The window reopens (an operator lifts the hold once the platform allows posting again): both go out, once each.
            host.Weibo.ResetRateLimits();
            Assert.Equal(HttpStatusCode.OK, (await dept.PostAsJsonAsync("api/accounts/wb-city/unpause", new { reason = "平台限额已恢复" })).StatusCode);
            Assert.Equal("published", TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, first), "wb-city")["state"]!.GetValue<string>());
            Assert.Equal("published", TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, second), "wb-city")["state"]!.GetValue<string>());
            Assert.Equal(postsBefore + 2, host.Weibo.PostEffectCount(WeiboUid));
            Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(firstTitle, StringComparison.Ordinal));
        }
        finally
        {
            host.Weibo.ResetRateLimits();
            await dept.PostAsJsonAsync("api/accounts/wb-city/unpause", new { reason = "test cleanup" });
        }
    }

    [Fact]
    public async Task MassSendsPerMinute_AreCountedByTheGateway_AndHoldTheAccountUntilTheNextMinute()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var dept = host.Client(GatewayTestHost.DepartmentToken);
        var massBefore = host.WeChat.MassSends.Count;
        // Three mass sends bunched together (parked by a pause, then released at once) against an allowance of one a
        // minute: at most two minutes are touched, so at least one must wait for the next minute without a call.
        Assert.Equal(HttpStatusCode.OK, (await dept.PostAsJsonAsync("api/accounts/wx-mass/pause", new { reason = "集中发送测试" })).StatusCode);
        var ids = new List<string>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var (id, _) = await SubmitAndApproveAsync(op, ["wx-mass"]);
                await WaitForNoteAsync(op, id, "wx-mass", "waiting: 该账号发布已暂停");
                ids.Add(id);
            }
        }
        finally
        {
            await dept.PostAsJsonAsync("api/accounts/wx-mass/unpause", new { reason = "集中发送测试开始" });
        }

        var held = 0;
        var sent = 0;
        foreach (var id in ids)
        {
            JsonObject pub = null!;
            await TestData.Eventually(async () =>
            {
                pub = TestData.Publication(await TestData.GetAsync(op, id), "wx-mass");
                return pub["state"]!.GetValue<string>() is "submitted" or "published"
                    || pub["history"]!.AsArray().Any(h => h!["note"]!.GetValue<string>().Contains("mass-send calls this minute", StringComparison.Ordinal));
            }, $"{id}: sent or held");
            if (pub["state"]!.GetValue<string>() is "submitted" or "published")
            {
                sent++;
                continue;
            }

            held++;
            var due = pub["dueAt"]!.GetValue<DateTimeOffset>();
            Assert.Equal((0, 0), (due.Second, due.Millisecond));
            Assert.True(due > DateTimeOffset.UtcNow.AddSeconds(-5), "held until the next minute, not into the past");
        }

        // At least one had to wait for the next minute. All three can (seen once in CI): the minute's call is counted
        // at the send-marker step, before that step is saved, so a step that does not get saved (a concurrent change)
        // leaves the call counted but not made, and every publication waits for the next minute: late, never doubled.
        Assert.InRange(held, 1, 3);
        Assert.Equal(sent, host.WeChat.MassSends.Count - massBefore);
    }

    [Fact]
    public async Task ExhaustedRetries_GoToTheDeadLetterList_AndARedrivePublishesOnce()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var reviewer = host.Client(GatewayTestHost.Reviewer1Token);
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 10001, HttpStatus = 400, Times = 3 });
        var (id, title) = await SubmitAndApproveAsync(op, ["wb-city"]);
        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city");
        Assert.Equal("failed", pub["state"]!.GetValue<string>());
        Assert.True(pub["canRedrive"]!.GetValue<bool>());
        Assert.NotNull(pub["deadLetteredAt"]);
        var pubId = pub["id"]!.GetValue<string>();

        var list = await op.GetFromJsonAsync<JsonArray>("api/publications/dead-letters");
        Assert.Contains(list!, p => p!["id"]!.GetValue<string>() == pubId);
        await TestData.Eventually(() => host.Receiver.Received(GatewayTestHost.ReceiverName)
            .Any(r => r.Body.Contains(pubId, StringComparison.Ordinal) && r.Body.Contains("\"publication.dead_lettered\"", StringComparison.Ordinal)),
            "publication.dead_lettered delivered to the department");

        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PostAsJsonAsync($"api/publications/{pubId}/redrive", new { reason = "x" })).StatusCode);
        var noReason = await op.PostAsJsonAsync($"api/publications/{pubId}/redrive", new { });
        Assert.NotNull((await TestData.ProblemAsync(noReason))["errors"]!["reason"]);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsJsonAsync("api/publications/nope.r1.wb-city/redrive", new { reason = "x" })).StatusCode);

        var redrive = await op.PostAsJsonAsync($"api/publications/{pubId}/redrive", new { reason = "平台已恢复，重新发送" });
        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        var done = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city");
        Assert.Equal("published", done["state"]!.GetValue<string>());
        Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        Assert.DoesNotContain(await op.GetFromJsonAsync<JsonArray>("api/publications/dead-letters") ?? [], p => p!["id"]!.GetValue<string>() == pubId);
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsJsonAsync($"api/publications/{pubId}/redrive", new { reason = "again" })).StatusCode);
    }

    [Fact]
    public async Task MissedWindow_MarksMissedOrPublishesLate_ByAccountPolicy()
    {
        using var admin = host.Client(AdminToken);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        await SetGlobalPauseAsync(admin, true, "错过窗口测试");
        string id;
        DateTimeOffset publishAt;
        try
        {
            var article = TestData.Article(await TestData.UploadCoverAsync(op), TestData.Unique("调度测试"), ["wx-city", "wb-city"]);
            publishAt = DateTimeOffset.UtcNow.AddSeconds(4);
            article["publishAt"] = publishAt.ToString("O");
            id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
            await TestData.ApproveAllLevelsAsync(host, id);
            // At its time each publication meets the pause and is parked; when the pause ends the window has passed.
            await WaitForNoteAsync(op, id, "wx-city", "waiting: 全部发布已暂停");
            await WaitForNoteAsync(op, id, "wb-city", "waiting: 全部发布已暂停");
        }
        finally
        {
            await admin.PostAsJsonAsync("api/pauses/global", new { paused = false, reason = "错过窗口测试结束" });
        }

        var item = await TestData.WaitForFinalPublicationsAsync(op, id);
        var missed = TestData.Publication(item, "wx-city");
        Assert.Equal("failed", missed["state"]!.GetValue<string>());
        Assert.Equal("Missed", missed["error"]!["class"]!.GetValue<string>());
        Assert.True(missed["canRedrive"]!.GetValue<bool>());
        Assert.Equal(0, host.WeChat.PublishedArticles.Count(a => a.Title == item["title"]!.GetValue<string>()));
        var missedId = missed["id"]!.GetValue<string>();
        await TestData.Eventually(() => host.Receiver.Received(GatewayTestHost.ReceiverName)
            .Any(r => r.Body.Contains(missedId, StringComparison.Ordinal) && r.Body.Contains("\"publication.missed\"", StringComparison.Ordinal)),
            "publication.missed delivered to the department");

        var late = TestData.Publication(item, "wb-city");
        Assert.Equal("published", late["state"]!.GetValue<string>());
        Assert.Contains(late["history"]!.AsArray(), h => h!["note"]!.GetValue<string>().StartsWith("published late: scheduled for", StringComparison.Ordinal));

        // The operator decides to publish the missed one after all.
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync($"api/publications/{missedId}/redrive", new { reason = "领导同意补发" })).StatusCode);
        var redriven = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wx-city");
        Assert.Equal("published", redriven["state"]!.GetValue<string>());
        Assert.Single(host.WeChat.PublishedArticles, a => a.Title == item["title"]!.GetValue<string>());
    }

    private async Task<(string Id, string Title)> SubmitAndApproveAsync(HttpClient op, string[] targets)
    {
        var title = TestData.Unique("调度测试");
        var id = (await TestData.SubmitAsync(op, TestData.Article(await TestData.UploadCoverAsync(op), title, targets)))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        return (id, title);
    }

    private static async Task SetGlobalPauseAsync(HttpClient admin, bool paused, string reason)
    {
        var response = await admin.PostAsJsonAsync("api/pauses/global", new { paused, reason });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Waits until the account's publication has a history note starting with or containing <paramref name="note"/>.</summary>
    private static async Task<JsonObject> WaitForNoteAsync(HttpClient client, string id, string accountId, string note)
    {
        JsonObject item = null!;
        await TestData.Eventually(async () =>
        {
            item = await TestData.GetAsync(client, id);
            return item["publications"]!.AsArray().Any(p => p!["accountId"]!.GetValue<string>() == accountId
                && p["history"]!.AsArray().Any(h => h!["note"]!.GetValue<string>().Contains(note, StringComparison.Ordinal)));
        }, $"{accountId}: '{note}'");
        return item;
    }
}
