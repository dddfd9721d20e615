using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Review;

/// <summary>Issue 4's review chain: revisions void approvals (P3), flagged findings acknowledged, P8/P9 before release, withdrawal, allowed actions.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ReviewLifecycleTests(GatewayTestHost host)
{
    private const string LiaisonToken = "mgdemo-liaison-wu";

    private async Task<(string Id, JsonObject Article)> SubmitAsync(Action<JsonObject>? change = null)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op));
        change?.Invoke(article);
        return ((await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>(), article);
    }

    private static async Task<HttpResponseMessage> ApproveAsync(HttpClient reviewer, string id, params int[] acknowledged) =>
        await reviewer.PostAsJsonAsync($"api/content/{id}/reviews", new { decision = "approve", secrecyAttested = true, acknowledgedFindings = acknowledged });

    private static string[] Actions(JsonObject item) => item["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();

    [Fact]
    public async Task ARevision_VoidsEarlierApprovals_AndStartsReviewOver_P3()
    {
        var (id, article) = await SubmitAsync();
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        (await ApproveAsync(reviewer1, id)).EnsureSuccessStatusCode();
        var before = await TestData.GetAsync(op, id);

        article["body"] = "修改后的正文。";
        using var response = await op.PutAsJsonAsync($"api/content/{id}", article);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var revised = await TestData.GetAsync(op, id);
        Assert.Equal(2, revised["revision"]!.GetValue<int>());
        Assert.Empty(revised["reviews"]!.AsArray());
        Assert.Equal(1, revised["awaitingLevel"]!.GetValue<int>());
        Assert.NotEqual(before["fingerprints"]!["wx-city"]!.GetValue<string>(), revised["fingerprints"]!["wx-city"]!.GetValue<string>());

        // The earlier approval does not count: level 2 still waits for a new 初审.
        using var reviewer2 = host.Client(GatewayTestHost.Reviewer2Token);
        Assert.Equal(HttpStatusCode.Conflict, (await ApproveAsync(reviewer2, id)).StatusCode);
        (await ApproveAsync(reviewer1, id)).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Each review is bound to the fingerprints the reviewer saw (P3), which are the item's own: the stored item keeps them
    /// once, not once per review (an item for 200 accounts kept 17 KB per review), and the API shows each review's.
    /// </summary>
    [Fact]
    public async Task EachReview_ShowsTheFingerprintsItIsBoundTo_StoredOnceOnTheItem()
    {
        var (id, _) = await SubmitAsync();
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        using var reviewer2 = host.Client(GatewayTestHost.Reviewer2Token);
        (await ApproveAsync(reviewer1, id)).EnsureSuccessStatusCode();
        (await ApproveAsync(reviewer2, id)).EnsureSuccessStatusCode();

        var item = await TestData.GetAsync(op, id);
        var fingerprints = item["fingerprints"]!.ToJsonString();
        Assert.Equal(2, item["reviews"]!.AsArray().Count);
        Assert.All(item["reviews"]!.AsArray(), r => Assert.Equal(fingerprints, r!["fingerprints"]!.ToJsonString()));

        var keys = host.Services.GetRequiredService<MediaGateway.Storage.RedisKeys>();
        var stored = (string)(await host.Multiplexer.GetDatabase().StringGetAsync(keys.Content(id)))!;
        var wx = item["fingerprints"]!["wx-city"]!.GetValue<string>();
        Assert.Equal(1, (stored.Length - stored.Replace(wx, "", StringComparison.Ordinal).Length) / wx.Length);
    }

    [Fact]
    public async Task ARejectedItem_GoesBackToItsAuthor_WhoRevisesIt()
    {
        var (id, article) = await SubmitAsync();
        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        (await TestData.ReviewAsync(reviewer1, id, "reject", comment: "请补充数据来源")).EnsureSuccessStatusCode();
        using var op = host.Client(GatewayTestHost.OperatorToken);
        Assert.Contains("revise", Actions(await TestData.GetAsync(op, id)));
        article["body"] = "补充了数据来源的正文。";
        (await op.PutAsJsonAsync($"api/content/{id}", article)).EnsureSuccessStatusCode();
        Assert.Equal("inReview", (await TestData.GetAsync(op, id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnApprovedItem_IsNotEdited()
    {
        var (id, article) = await SubmitAsync(a => a["publishAt"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        await TestData.ApproveAllLevelsAsync(host, id);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var response = await op.PutAsJsonAsync($"api/content/{id}", article);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task FlaggedFindings_MustBeAcknowledged_ByEachApprover()
    {
        var (id, _) = await SubmitAsync(a => a["body"] = "据内部人士透露，方案已定。");
        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        var item = await TestData.GetAsync(reviewer1, id);
        var flagged = item["findings"]!.AsArray().Select((f, i) => (f, i)).Where(x => x.f!["severity"]!.GetValue<string>() == "flag").Select(x => x.i).ToArray();
        Assert.NotEmpty(flagged);

        using var refused = await ApproveAsync(reviewer1, id);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull((await TestData.ProblemAsync(refused))["errors"]!["acknowledgedFindings"]);
        (await ApproveAsync(reviewer1, id, flagged)).EnsureSuccessStatusCode();
        var review = (await TestData.GetAsync(reviewer1, id))["reviews"]![0]!;
        Assert.Equal(flagged, review["acknowledgedFindings"]!.AsArray().Select(i => i!.GetValue<int>()).ToArray());
    }

    [Fact]
    public async Task AnItemNamingAnotherAgency_IsReleasedOnlyAfterItsConfirmation_P8()
    {
        var (id, _) = await SubmitAsync(a => a["agencies"] = new JsonArray("市卫生健康委员会"));
        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        using var reviewer2 = host.Client(GatewayTestHost.Reviewer2Token);
        using var reviewer3 = host.Client(GatewayTestHost.Reviewer3Token);
        (await ApproveAsync(reviewer1, id)).EnsureSuccessStatusCode();
        (await ApproveAsync(reviewer2, id)).EnsureSuccessStatusCode();
        Assert.DoesNotContain("approve", Actions(await TestData.GetAsync(reviewer3, id)));
        using var early = await ApproveAsync(reviewer3, id);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("P8", (await TestData.ProblemAsync(early))["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var liaison = host.Client(LiaisonToken);
        using var wrongAgency = await liaison.PostAsJsonAsync($"api/content/{id}/agency-confirmations", new { agency = "市公安局", note = "" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongAgency.StatusCode);
        (await liaison.PostAsJsonAsync($"api/content/{id}/agency-confirmations", new { agency = "市卫生健康委员会", note = "已电话确认" })).EnsureSuccessStatusCode();
        Assert.Contains("approve", Actions(await TestData.GetAsync(reviewer3, id)));
        (await ApproveAsync(reviewer3, id)).EnsureSuccessStatusCode();
        Assert.Equal("approved", (await TestData.GetAsync(reviewer3, id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASensitiveItem_NeedsARecordedConsultation_P9()
    {
        var (id, _) = await SubmitAsync(a => a["sensitive"] = true);
        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        using var reviewer2 = host.Client(GatewayTestHost.Reviewer2Token);
        using var reviewer3 = host.Client(GatewayTestHost.Reviewer3Token);
        (await ApproveAsync(reviewer1, id)).EnsureSuccessStatusCode();
        (await ApproveAsync(reviewer2, id)).EnsureSuccessStatusCode();
        using var early = await ApproveAsync(reviewer3, id);
        Assert.Contains("P9", (await TestData.ProblemAsync(early))["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var liaison = host.Client(LiaisonToken);
        using var incomplete = await liaison.PostAsJsonAsync($"api/content/{id}/consultation", new { units = "市委宣传部" });
        Assert.NotNull((await TestData.ProblemAsync(incomplete))["errors"]!["summary"]);
        (await liaison.PostAsJsonAsync($"api/content/{id}/consultation", new { units = "市委宣传部、市网信办", summary = "同意按口径发布" })).EnsureSuccessStatusCode();
        (await ApproveAsync(reviewer3, id)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task AnAccountWithALongerChain_NeedsEveryLevel_AndTheLastIsTheSignOff()
    {
        var (id, _) = await SubmitAsync(a => a["targets"] = new JsonArray("wx-strict"));
        using var op = host.Client(GatewayTestHost.OperatorToken);
        Assert.Equal(4, (await TestData.GetAsync(op, id))["requiredLevels"]!.GetValue<int>());
        await TestData.ApproveAllLevelsAsync(host, id); // levels 1-3
        var item = await TestData.GetAsync(op, id);
        Assert.Equal("inReview", item["status"]!.GetValue<string>());
        Assert.Equal(4, item["awaitingLevel"]!.GetValue<int>());
        Assert.Empty(item["publications"]!.AsArray());

        using var reviewer4 = host.Client(GatewayTestHost.Reviewer4Token);
        (await ApproveAsync(reviewer4, id)).EnsureSuccessStatusCode();
        var published = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wx-strict");
        Assert.Equal("published", published["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task AllowedActions_SayWhatEachPersonMayDoNext()
    {
        var (id, _) = await SubmitAsync();
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        using var reviewer2 = host.Client(GatewayTestHost.Reviewer2Token);
        Assert.Equal(["revise", "withdraw"], Actions(await TestData.GetAsync(op, id)));
        Assert.Equal(["approve", "reject"], Actions(await TestData.GetAsync(reviewer1, id)));
        Assert.Empty(Actions(await TestData.GetAsync(reviewer2, id)));
    }

    [Fact]
    public async Task AWithdrawnScheduledItem_CancelsItsPublications_AndPublishesNothing()
    {
        var (id, article) = await SubmitAsync(a => a["publishAt"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        await TestData.ApproveAllLevelsAsync(host, id);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var noReason = await op.PostAsJsonAsync($"api/content/{id}/withdraw", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        (await op.PostAsJsonAsync($"api/content/{id}/withdraw", new { reason = "活动延期" })).EnsureSuccessStatusCode();

        var item = await TestData.GetAsync(op, id);
        Assert.Equal("withdrawn", item["status"]!.GetValue<string>());
        Assert.All(item["publications"]!.AsArray(), p => Assert.Equal("cancelled", p!["state"]!.GetValue<string>()));
        // Nothing is left that could send them: no due time, no stream entry.
        var keys = host.Services.GetRequiredService<MediaGateway.Storage.RedisKeys>();
        var db = host.Multiplexer.GetDatabase();
        foreach (var pub in item["publications"]!.AsArray())
        {
            var pubId = pub!["id"]!.GetValue<string>();
            Assert.Null(await db.SortedSetScoreAsync(keys.PublishDue, pubId));
            Assert.DoesNotContain(await db.StreamRangeAsync(keys.PublishStream), e => (string?)e["pub"] == pubId);
        }

        var title = article["title"]!.GetValue<string>();
        Assert.DoesNotContain(host.WeChat.PublishedArticles, a => a.Title == title);
        Assert.DoesNotContain(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
    }

    [Fact]
    public async Task APublishedItem_IsNotWithdrawn()
    {
        var (id, _) = await SubmitAsync();
        await TestData.ApproveAllLevelsAsync(host, id);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        await TestData.WaitForFinalPublicationsAsync(op, id);
        using var response = await op.PostAsJsonAsync($"api/content/{id}/withdraw", new { reason = "晚了" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }
}
