using MediaGateway.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Publishing;

/// <summary>Reliability promises 2 and 4: platform faults are classified and handled; nothing is published twice.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PlatformFaultTests(GatewayTestHost host)
{
    private async Task<(string Id, string Title)> SubmitAndApproveAsync(string[] targets)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("故障测试");
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title, targets)))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        return (id, title);
    }

    [Fact]
    public async Task TransientWeChatError_IsRetried_AndPublishedExactlyOnce()
    {
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", WeChatErrcode = -1, Times = 1 });
        var (id, title) = await SubmitAndApproveAsync(["wx-city"]);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wx-city");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        Assert.True(pub["attempts"]!.GetValue<int>() >= 2);
        Assert.Single(host.WeChat.PublishedArticles, a => a.Title == title);
    }

    [Fact]
    public async Task ContentRefusedByWeChat_FailsWithThePlatformsReason()
    {
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/draft/add", WeChatErrcode = 45002, Times = 1 });
        var (id, title) = await SubmitAndApproveAsync(["wx-city"]);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wx-city");
        Assert.Equal("failed", pub["state"]!.GetValue<string>());
        Assert.Equal("Content", pub["error"]!["class"]!.GetValue<string>());
        Assert.Equal("45002", pub["error"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(pub["error"]!["explanation"]!.GetValue<string>()));
        Assert.DoesNotContain(host.WeChat.PublishedArticles, a => a.Title == title);
        await TestData.Eventually(() => host.Receiver.Received(GatewayTestHost.ReceiverName)
            .Any(r => r.Body.Contains(id, StringComparison.Ordinal) && r.Body.Contains("\"publication.failed\"", StringComparison.Ordinal)),
            "publication.failed delivered to the department");
    }

    [Fact]
    public async Task WeiboAnswering503AfterPosting_IsFoundOnThePlatform_NotPostedAgain()
    {
        // The post is made, but the answer is lost: the gateway looks the post up before anything else and never posts twice.
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", HttpStatus = 503, AfterEffect = true, Times = 1 });
        var (id, title) = await SubmitAndApproveAsync(["wb-city"]);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        var status = Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        Assert.Equal(status.IdStr, pub["platformId"]!.GetValue<string>());
        Assert.Contains(pub["history"]!.AsArray(), h => h!["note"]!.GetValue<string>().StartsWith("found on the platform", StringComparison.Ordinal));
        // Nothing is left that could send it again: no due time, no pending stream entry.
        var keys = host.Services.GetRequiredService<MediaGateway.Storage.RedisKeys>();
        var db = host.Multiplexer.GetDatabase();
        Assert.Null(await db.SortedSetScoreAsync(keys.PublishDue, pub["id"]!.GetValue<string>()));
        Assert.DoesNotContain(await db.StreamRangeAsync(keys.PublishStream), e => (string?)e["pub"] == pub["id"]!.GetValue<string>());
        Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TransientWeiboError_IsRetried_WithoutDoubling()
    {
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 10001, HttpStatus = 400, Times = 1 });
        var (id, title) = await SubmitAndApproveAsync(["wb-city"]);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        Assert.Contains(pub["history"]!.AsArray(), h => h!["note"]!.GetValue<string>().Contains("10001", StringComparison.Ordinal));
    }
}
