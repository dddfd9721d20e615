using MediaGateway.Content;
using MediaGateway.Platforms;
using MediaGateway.Publishing;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Publishing;

/// <summary>
/// Reliability promise 3 (P3): nothing unapproved is ever published, whatever the fault. These tests put
/// work into Redis behind the API's back — as a bug, an operator's mistake or a tampered store would —
/// and check that the worker refuses it.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ApprovalGuardTests(GatewayTestHost host)
{
    private RedisKeys Keys => host.Services.GetRequiredService<RedisKeys>();

    [Fact]
    public async Task APublicationForAnItemStillInReview_IsRefusedByTheWorker()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("未审稿件");
        var item = await TestData.SubmitAsync(op, TestData.Article(cover, title, ["wx-city"]));
        var id = item["id"]!.GetValue<string>();

        var injected = new Publication
        {
            Id = Publication.IdFor(id, 1, "wx-city"), ContentId = id, Revision = 1, AccountId = "wx-city", Platform = Platform.WeChat,
            ApprovedFingerprint = item["fingerprints"]!["wx-city"]!.GetValue<string>(), State = PublicationState.Queued,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var db = host.Multiplexer.GetDatabase();
        await db.StringSetAsync(Keys.Publication(injected.Id), Json.Serialize(injected));
        await db.StreamAddAsync(Keys.PublishStream, "pub", injected.Id);

        var store = host.Services.GetRequiredService<PublicationStore>();
        await TestData.Eventually(async () => (await store.GetAsync(injected.Id))?.Value.State == PublicationState.Failed, "the worker refuses it");
        var refused = (await store.GetAsync(injected.Id))!.Value;
        Assert.Contains("P3", refused.Error!.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain(host.WeChat.PublishedArticles, a => a.Title == title);
    }

    [Fact]
    public async Task ContentChangedAfterApproval_IsNotSent()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("篡改测试");
        var article = TestData.Article(cover, title, ["wx-city"]);
        article["publishAt"] = DateTimeOffset.UtcNow.AddSeconds(6).ToString("O");
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var scheduled = TestData.Publication(await TestData.GetAsync(op, id), "wx-city");
        Assert.Equal("scheduled", scheduled["state"]!.GetValue<string>());

        // Change the approved text in the store while the publication waits for its time.
        var contents = host.Services.GetRequiredService<ContentStore>();
        var stored = (await contents.GetAsync(id))!;
        await host.Multiplexer.GetDatabase().StringSetAsync(Keys.Content(id),
            Json.Serialize(stored.Value with { Body = stored.Value.Body + "\n\n未经审核的附加段落。" }));

        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wx-city");
        Assert.Equal("failed", pub["state"]!.GetValue<string>());
        Assert.Contains("fingerprint", pub["error"]!["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.WeChat.PublishedArticles, a => a.Title == title);
    }

    [Fact]
    public async Task AScheduledItem_WaitsForItsTime()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("定时发布");
        var article = TestData.Article(cover, title, ["wb-city"]);
        var at = DateTimeOffset.UtcNow.AddSeconds(6);
        article["publishAt"] = at.ToString("O");
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        Assert.Equal("scheduled", TestData.Publication(await TestData.GetAsync(op, id), "wb-city")["state"]!.GetValue<string>());
        Assert.DoesNotContain(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));

        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        Assert.True(pub["publishedAt"]!.GetValue<DateTimeOffset>() >= at, "published before its time");
        Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
    }
}
