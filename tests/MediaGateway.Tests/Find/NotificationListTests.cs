using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Notifications;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Find;

/// <summary>
/// Issue 21, "be told": each person's notices in the console (GET /api/me/notifications, POST …/read), built from the
/// audit chain as the robots' are and kept per person in Redis. Real gateway, real Redis, HTTP.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class NotificationListTests(GatewayTestHost host)
{
    private static async Task<JsonObject> NoticesAsync(HttpClient client, string query = "")
    {
        using var response = await client.GetAsync($"api/me/notifications{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"notifications answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<JsonObject?> NoticeAsync(HttpClient client, string contentId, string kind) =>
        (await NoticesAsync(client, "?take=200"))["items"]!.AsArray().Select(n => n!.AsObject())
            .FirstOrDefault(n => n["contentId"]?.GetValue<string>() == contentId && n["kind"]!.GetValue<string>() == kind);

    [Fact]
    public async Task Reviewers_are_told_what_waits_at_their_level_and_the_author_that_the_item_came_back()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var rv1 = host.Client(GatewayTestHost.Reviewer1Token);
        using var rv2 = host.Client(GatewayTestHost.Reviewer2Token);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("通知列表");
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title, ["wx-city"])))["id"]!.GetValue<string>();

        JsonObject? waiting = null;
        await TestData.Eventually(async () => (waiting = await NoticeAsync(rv1, id, "reviewRequested")) is not null,
            "the level-1 reviewer is told the item waits", TimeSpan.FromSeconds(30));
        Assert.Equal(1, waiting!["level"]!.GetValue<int>());
        Assert.Equal(title, waiting["title"]!.GetValue<string>());
        Assert.Contains(title, waiting["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("wx-city", Assert.Single(waiting["accountIds"]!.AsArray())!.GetValue<string>());
        Assert.False(waiting["read"]!.GetValue<bool>());
        Assert.Null(await NoticeAsync(rv2, id, "reviewRequested")); // level 2 does not wait yet
        Assert.Null(await NoticeAsync(op, id, "reviewRequested")); // the author is no reviewer of it

        using (var approved = await TestData.ReviewAsync(rv1, id)) Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
        await TestData.Eventually(async () => await NoticeAsync(rv2, id, "reviewRequested") is { } n && n["level"]!.GetValue<int>() == 2,
            "the level-2 reviewer is told next", TimeSpan.FromSeconds(30));

        using (var rejected = await TestData.ReviewAsync(rv2, id, "reject", comment: "请补充数据来源"))
            Assert.True(rejected.IsSuccessStatusCode, await rejected.Content.ReadAsStringAsync());
        JsonObject? returned = null;
        await TestData.Eventually(async () => (returned = await NoticeAsync(op, id, "returned")) is not null,
            "the author is told the item came back", TimeSpan.FromSeconds(30));
        Assert.Contains("退回", returned!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // Read up to one notice: it and the older ones are read, newer ones not; then all.
        var before = await NoticesAsync(op);
        Assert.True(before["unread"]!.GetValue<int>() >= 1);
        using (var read = await op.PostAsJsonAsync("api/me/notifications/read", new { upTo = returned["id"]!.GetValue<string>() }))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        Assert.True((await NoticeAsync(op, id, "returned"))!["read"]!.GetValue<bool>());
        var items = (await NoticesAsync(op, "?take=200"))["items"]!.AsArray().Select(n => n!.AsObject()).ToList();
        var upTo = long.Parse(returned["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(items, n => Assert.Equal(long.Parse(n["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) <= upTo,
            n["read"]!.GetValue<bool>()));
        using (var all = await op.PostAsJsonAsync("api/me/notifications/read", new { }))
        {
            Assert.Equal(0, (await all.Content.ReadFromJsonAsync<JsonObject>())!["unread"]!.GetValue<int>());
        }

        Assert.Equal(0, (await NoticesAsync(op))["unread"]!.GetValue<int>());
    }

    [Fact]
    public async Task Pages_follow_before_and_bad_take_before_and_upTo_are_refused_by_name()
    {
        using var rv1 = host.Client(GatewayTestHost.Reviewer1Token);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var ids = new List<string>();
        for (var n = 0; n < 3; n++) ids.Add((await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("翻页"), ["wx-city"])))["id"]!.GetValue<string>());
        await TestData.Eventually(async () => await NoticeAsync(rv1, ids[^1], "reviewRequested") is not null, "told", TimeSpan.FromSeconds(30));

        var first = await NoticesAsync(rv1, "?take=2");
        Assert.Equal(2, first["items"]!.AsArray().Count);
        var next = first["nextBefore"]!.GetValue<string>();
        var second = await NoticesAsync(rv1, $"?take=2&before={next}");
        var firstIds = first["items"]!.AsArray().Select(n => long.Parse(n!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var secondIds = second["items"]!.AsArray().Select(n => long.Parse(n!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(firstIds[0] > firstIds[1] && secondIds.All(s => s < firstIds[1]), "newest first, the next page older");

        var unread = (await NoticesAsync(rv1))["unread"]!.GetValue<int>();
        foreach (var (query, field) in new[] { ("?take=0", "take"), ("?take=201", "take"), ("?before=abc", "before"), ("?before=-5", "before") })
        {
            using var bad = await rv1.GetAsync($"api/me/notifications{query}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var problem = await TestData.ProblemAsync(bad);
            Assert.Contains("/", problem["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal); // English / 中文
        }

        using (var bad = await rv1.PostAsJsonAsync("api/me/notifications/read", new { upTo = "最新" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.NotNull((await TestData.ProblemAsync(bad))["errors"]!["upTo"]);
        }

        Assert.Equal(unread, (await NoticesAsync(rv1))["unread"]!.GetValue<int>()); // a refused request marked nothing read
    }

    /// <summary>"Read up to" an id beyond the newest notice marks what there is, not notices still to come.</summary>
    [Fact]
    public async Task Marking_read_up_to_a_future_id_leaves_later_notices_unread()
    {
        using var rv1 = host.Client(GatewayTestHost.Reviewer1Token);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var first = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("先"), ["wx-city"])))["id"]!.GetValue<string>();
        await TestData.Eventually(async () => await NoticeAsync(rv1, first, "reviewRequested") is not null, "told", TimeSpan.FromSeconds(30));
        using (var read = await rv1.PostAsJsonAsync("api/me/notifications/read", new { upTo = "999999999999999" }))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        Assert.Equal(0, (await NoticesAsync(rv1))["unread"]!.GetValue<int>());
        var later = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("后"), ["wx-city"])))["id"]!.GetValue<string>();
        JsonObject? notice = null;
        await TestData.Eventually(async () => (notice = await NoticeAsync(rv1, later, "reviewRequested")) is not null, "told", TimeSpan.FromSeconds(30));
        Assert.False(notice!["read"]!.GetValue<bool>());
        Assert.True((await NoticesAsync(rv1))["unread"]!.GetValue<int>() >= 1);
    }

    [Fact]
    public async Task A_persons_list_keeps_the_newest_200_of_the_last_30_days()
    {
        var store = host.Services.GetRequiredService<NoticeStore>();
        var keys = host.Services.GetRequiredService<RedisKeys>();
        var now = DateTimeOffset.UtcNow;
        var user = "test-bound-" + Guid.NewGuid().ToString("N")[..8];
        PersonNotice Notice(long seq, DateTimeOffset at) => new(seq, at, PersonNotices.ReviewRequested, "c" + seq, "标题" + seq, ["wx-city"], "《标题》等待你审核");

        // Nothing to acknowledge here: a stream and group that do not exist (XACK answers 0).
        for (var seq = 1; seq <= 205; seq++) await store.RecordAsync($"{keys.Tag}:test-no-stream", "none", [$"{seq}-0"], [], [(user, Notice(seq, now))]);
        var (kept, _) = await store.PersonAsync(user, now);
        Assert.Equal(200, kept.Count);
        Assert.Equal(Enumerable.Range(6, 200).Reverse().Select(s => (long)s), kept.Select(n => n.Seq));

        var old = "test-old-" + Guid.NewGuid().ToString("N")[..8];
        await store.RecordAsync($"{keys.Tag}:test-no-stream", "none", ["1-0"], [], [(old, Notice(1, now.AddDays(-31)))]);
        await store.RecordAsync($"{keys.Tag}:test-no-stream", "none", ["2-0"], [], [(old, Notice(2, now.AddDays(-1)))]);
        var (recent, _) = await store.PersonAsync(old, now);
        Assert.Equal(2L, Assert.Single(recent).Seq);
        var ttl = await host.Multiplexer.GetDatabase().KeyTimeToLiveAsync($"{keys.Tag}:notices:person:{old}");
        Assert.True(ttl is { } t && t <= TimeSpan.FromDays(30) && t > TimeSpan.FromDays(29), $"the list lives 30 days after its last notice, not {ttl}");
    }
}
