using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;
using MediaGateway.Tests.Publishing;

namespace MediaGateway.Tests.Reliability;

/// <summary>
/// Reliability promise 4, the fault classes not covered by PlatformFaultTests and PlatformIntegrationTests: auth a
/// token refresh fixes, auth it cannot fix, configuration, a refusal after submission, a post held for review.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class FaultClassTests(GatewayTestHost host)
{
    private async Task<(string Id, string Title, JsonPublication Pub)> PublishAsync(string account)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("故障类别");
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title, [account])))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id, TimeSpan.FromSeconds(60)), account);
        return (id, title, new JsonPublication(pub));
    }

    [Fact]
    public async Task AnExpiredWeChatToken_IsRefreshedOnce_AndTheArticlePublishedOnce()
    {
        var fetches = host.WeChat.TokenFetchCount(GatewayTestHost.CityAppId);
        host.WeChat.ExpireTokens(GatewayTestHost.CityAppId); // the cached token now answers 42001
        var (_, title, pub) = await PublishAsync("wx-city");
        Assert.Equal("published", pub.State);
        Assert.Single(host.WeChat.PublishedArticles, a => a.Title == title);
        Assert.True(host.WeChat.TokenFetchCount(GatewayTestHost.CityAppId) > fetches, "no new token was fetched");
    }

    [Fact]
    public async Task AnExpiredWeiboToken_FailsAtOnce_AsAuth_AndTellsTheDepartment()
    {
        // A Weibo token cannot be refreshed by the gateway: the account owner must re-authorise.
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 21327, HttpStatus = 401, Times = 1 });
        var (id, title, pub) = await PublishAsync("wb-city");
        Assert.Equal("failed", pub.State);
        Assert.Equal("Auth", pub.ErrorClass);
        Assert.Equal("21327", pub.ErrorCode);
        Assert.Equal(1, pub.Attempts);
        Assert.DoesNotContain(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        await TestData.Eventually(() => host.Receiver.Received(GatewayTestHost.ReceiverName)
            .Any(r => r.Body.Contains(id, StringComparison.Ordinal) && r.Body.Contains("\"publication.failed\"", StringComparison.Ordinal)),
            "publication.failed delivered to the department");
    }

    [Fact]
    public async Task AConfigurationError_FailsAtOnce_WithThePlatformsReason()
    {
        // 40164: the gateway's address is not on the account's IP whitelist; retrying cannot help.
        host.WeChat.Faults.Add(new SandboxFault { Path = "*", AppId = GatewayTestHost.CityAppId, WeChatErrcode = 40164, Times = 1 });
        var (_, title, pub) = await PublishAsync("wx-city");
        Assert.Equal("failed", pub.State);
        Assert.Equal("Configuration", pub.ErrorClass);
        Assert.Equal("40164", pub.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(pub.Explanation));
        Assert.DoesNotContain(host.WeChat.PublishedArticles, a => a.Title == title);
    }

    [Fact]
    public async Task ASubmissionTheReviewLaterRejects_FailsWithTheReason_AndIsNotSubmittedAgain()
    {
        // freepublish/submit succeeds, then the asynchronous outcome is publish_status 4 (review rejected).
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", PublishStatus = 4, AppId = GatewayTestHost.CityAppId, Times = 1 });
        var (_, title, pub) = await PublishAsync("wx-city");
        Assert.Equal("failed", pub.State);
        Assert.False(string.IsNullOrWhiteSpace(pub.Explanation));
        Assert.DoesNotContain(host.WeChat.PublishedArticles, a => a.Title == title);
        Assert.Single(pub.Notes, n => n.StartsWith("submitted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APostHeldForReview_CountsAsPublished_AndIsNotPostedAgain()
    {
        // 20053: the post exists but is held for manual review; the answer carries no status.
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 20053, Times = 1 });
        var (_, title, pub) = await PublishAsync("wb-city");
        Assert.Equal("published", pub.State);
        Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
    }
}

/// <summary>Reliability promise 4 with the platform's timeout: a send that took effect but answered too late is found, not repeated.</summary>
[Collection(ShortLeaseCollection.Name)]
public sealed class TimeoutAfterEffectTests(ShortLeaseGatewayHost host)
{
    [Fact]
    public async Task AWeiboPostAnsweredAfterTheTimeout_IsFoundOnThePlatform_NotPostedAgain()
    {
        // The post is made, the answer comes after the client's 2 s timeout: the outcome is unknown.
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", AfterEffect = true, Delay = TimeSpan.FromSeconds(3), Times = 1 });
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("超时");
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title, ["wb-city"])))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var pub = new JsonPublication(TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id, TimeSpan.FromSeconds(60)), "wb-city"));
        Assert.Equal("published", pub.State);
        var status = Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        Assert.Equal(status.IdStr, pub.PlatformId);
        Assert.Contains(pub.Notes, n => n.StartsWith("found on the platform", StringComparison.Ordinal));
    }
}

/// <summary>The fields of a publication as GET /api/content/{id} shows it.</summary>
internal sealed class JsonPublication(System.Text.Json.Nodes.JsonObject pub)
{
    public string State => pub["state"]!.GetValue<string>();
    public int Attempts => pub["attempts"]?.GetValue<int>() ?? 0;
    public string? PlatformId => pub["platformId"]?.GetValue<string>();
    public string? ErrorClass => pub["error"]?["class"]?.GetValue<string>();
    public string? ErrorCode => pub["error"]?["code"]?.GetValue<string>();
    public string? Explanation => pub["error"]?["explanation"]?.GetValue<string>();
    public IReadOnlyList<string> Notes => pub["history"]!.AsArray().Select(h => h!["note"]!.GetValue<string>()).ToList();
}
