using System.Net;
using System.Net.Http.Json;
using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Review;

/// <summary>Retraction after publishing: asked with a reason, decided at the sign-off level, fanned out to every platform.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RetractionTests(GatewayTestHost host)
{
    private async Task<(string Id, string Title)> PublishedAsync()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("撤销");
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title)))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var item = await TestData.WaitForFinalPublicationsAsync(op, id);
        Assert.All(item["publications"]!.AsArray(), p => Assert.Equal("published", p!["state"]!.GetValue<string>()));
        return (id, title);
    }

    [Fact]
    public async Task AnApprovedRetraction_TakesThePostsDownOnBothPlatforms()
    {
        var (id, title) = await PublishedAsync();
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/delete", WeChatErrcode = -1, Times = 1, AppId = GatewayTestHost.CityAppId });
        using var op = host.Client(GatewayTestHost.OperatorToken);
        Assert.Contains("request-retraction", (await TestData.GetAsync(op, id))["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()));
        (await op.PostAsJsonAsync($"api/content/{id}/retraction", new { reason = "数据有误，需更正" })).EnsureSuccessStatusCode();

        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        Assert.DoesNotContain("decide-retraction", (await TestData.GetAsync(reviewer1, id))["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()));
        using var notSignOff = await reviewer1.PostAsJsonAsync($"api/content/{id}/retraction/decision", new { decision = "approve" });
        Assert.Equal(HttpStatusCode.Forbidden, notSignOff.StatusCode);

        using var reviewer3 = host.Client(GatewayTestHost.Reviewer3Token);
        Assert.Contains("decide-retraction", (await TestData.GetAsync(reviewer3, id))["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()));
        (await reviewer3.PostAsJsonAsync($"api/content/{id}/retraction/decision", new { decision = "approve", comment = "同意撤销" })).EnsureSuccessStatusCode();

        await TestData.Eventually(async () =>
        {
            var item = await TestData.GetAsync(op, id);
            return item["publications"]!.AsArray().All(p => p!["retraction"]?.GetValue<string>() == "retracted");
        }, "both publications retracted");
        Assert.True(Assert.Single(host.WeChat.PublishedArticles, a => a.Title == title).Deleted);
        Assert.True(Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal)).Destroyed);
        await TestData.Eventually(() => host.Receiver.Received(GatewayTestHost.ReceiverName)
            .Count(r => r.Body.Contains(id, StringComparison.Ordinal) && r.Body.Contains("\"publication.retracted\"", StringComparison.Ordinal)) == 2,
            "the department told of both retractions");
    }

    [Fact]
    public async Task ARetraction_NeedsAReason_APublishedItem_AndASignOffDecision()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var unpublished = (await TestData.SubmitAsync(op, TestData.Article(cover)))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsJsonAsync($"api/content/{unpublished}/retraction", new { reason = "不需要了" })).StatusCode);

        var (id, title) = await PublishedAsync();
        using var noReason = await op.PostAsJsonAsync($"api/content/{id}/retraction", new { reason = " " });
        Assert.NotNull((await TestData.ProblemAsync(noReason))["errors"]!["reason"]);
        (await op.PostAsJsonAsync($"api/content/{id}/retraction", new { reason = "标题不准确" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsJsonAsync($"api/content/{id}/retraction", new { reason = "again" })).StatusCode);

        using var reviewer3 = host.Client(GatewayTestHost.Reviewer3Token);
        using var noComment = await reviewer3.PostAsJsonAsync($"api/content/{id}/retraction/decision", new { decision = "reject" });
        Assert.NotNull((await TestData.ProblemAsync(noComment))["errors"]!["comment"]);
        (await reviewer3.PostAsJsonAsync($"api/content/{id}/retraction/decision", new { decision = "reject", comment = "无需撤销" })).EnsureSuccessStatusCode();

        var item = await TestData.GetAsync(op, id);
        Assert.Equal("rejected", item["retraction"]!["status"]!.GetValue<string>());
        Assert.All(item["publications"]!.AsArray(), p => Assert.Null(p!["retraction"]));
        Assert.False(Assert.Single(host.WeChat.PublishedArticles, a => a.Title == title).Deleted);
    }
}
