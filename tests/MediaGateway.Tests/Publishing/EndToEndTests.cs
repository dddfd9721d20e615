using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;
using StandardWebhooks;

namespace MediaGateway.Tests.Publishing;

[Collection(GatewayCollection.Name)]
public sealed class EndToEndTests(GatewayTestHost host)
{
    [Fact]
    public async Task ThreeApprovals_PublishOnceToWeChatAndWeibo_AndTheDepartmentGetsSignedEvents()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("营商环境");
        var submitted = await TestData.SubmitAsync(op, TestData.Article(cover, title));
        var id = submitted["id"]!.GetValue<string>();
        Assert.Equal("inReview", submitted["status"]!.GetValue<string>());
        Assert.Equal(1, submitted["awaitingLevel"]!.GetValue<int>());

        await TestData.ApproveAllLevelsAsync(host, id);
        var item = await TestData.WaitForFinalPublicationsAsync(op, id);

        // WeChat: cover + body image re-hosted, draft, freepublish; the sandbox published it exactly once.
        var wx = TestData.Publication(item, "wx-city");
        Assert.Equal("published", wx["state"]!.GetValue<string>());
        var article = Assert.Single(host.WeChat.PublishedArticles, a => a.Title == title);
        Assert.Equal(article.ArticleId, wx["platformId"]!.GetValue<string>());
        Assert.Equal(article.ArticleUrl, wx["url"]!.GetValue<string>());
        Assert.Contains("/mmbiz/", article.Content, StringComparison.Ordinal); // the body image now points at the platform's copy
        Assert.DoesNotContain("media:", article.Content, StringComparison.Ordinal);
        using (var page = new HttpClient())
        {
            Assert.Contains(title, await page.GetStringAsync(article.ArticleUrl), StringComparison.Ordinal);
        }

        // Weibo: one status with the safe-domain link, id recorded as idstr.
        var wb = TestData.Publication(item, "wb-city");
        Assert.Equal("published", wb["state"]!.GetValue<string>());
        var status = Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
        Assert.Equal(status.IdStr, wb["platformId"]!.GetValue<string>());
        Assert.Contains("https://www.example.gov.cn/zwgk/test.html", status.Text, StringComparison.Ordinal);
        Assert.NotNull(status.OriginalPic);

        // Webhooks: the department received publication.succeeded for both accounts, signed per Standard Webhooks.
        await TestData.Eventually(() => Succeeded(id).Count == 2, "two publication.succeeded deliveries");
        var secret = RepoPaths.DemoSecret("webhook-city-info-office.secret");
        foreach (var received in Succeeded(id))
        {
            var headers = new Microsoft.AspNetCore.Http.HeaderDictionary
            {
                ["webhook-id"] = received.WebhookId!, ["webhook-timestamp"] = received.Timestamp!, ["webhook-signature"] = received.Signature!,
            };
            new StandardWebhook(secret).Verify(received.Body, headers); // throws if the signature is wrong
            var payload = JsonNode.Parse(received.Body)!;
            var account = payload["data"]!["accounts"]![0]!;
            Assert.Equal("city-info-office", account["ownership"]!["supervisingDepartment"]!.GetValue<string>());
            Assert.Equal("王敏", account["ownership"]!["responsiblePerson"]!["name"]!.GetValue<string>());
            Assert.Equal($"/api/content/{id}", payload["data"]!["content"]!["link"]!.GetValue<string>());
            // A publication's event names what was published to its account: that account's fingerprint, not every
            // target's (an item for 200 accounts would put 200 fingerprints into each of its 200 events).
            var accountId = payload["data"]!["publication"]!["accountId"]!.GetValue<string>();
            var fingerprints = payload["data"]!["content"]!["fingerprints"]!.AsObject();
            Assert.Equal([accountId], fingerprints.Select(f => f.Key));
            Assert.Equal(item["fingerprints"]![accountId]!.GetValue<string>(), fingerprints[accountId]!.GetValue<string>());
        }

        // Every step of the workflow reaches the department (deliveries run in parallel, so neither order nor
        // arrival before the publication events is promised).
        List<string> Types() => host.Receiver.Received(GatewayTestHost.ReceiverName)
            .Where(r => r.Body.Contains(id, StringComparison.Ordinal))
            .Select(r => JsonNode.Parse(r.Body)!["type"]!.GetValue<string>()).ToList();
        await TestData.Eventually(() => Types() is var t && t.Contains("content.submitted") && t.Contains("content.approved")
                                        && t.Count(x => x == "review.decided") >= 3, "every workflow event delivered");
        Assert.Equal(3, Types().Count(t => t == "review.decided"));
    }

    [Fact]
    public async Task TheDepartmentReadsItsDeliveryLog()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover)))["id"]!.GetValue<string>();
        await TestData.Eventually(() => host.Receiver.Received(GatewayTestHost.ReceiverName).Any(r => r.Body.Contains(id, StringComparison.Ordinal)),
            "the submission event delivered");
        var deliveryId = host.Receiver.Received(GatewayTestHost.ReceiverName).First(r => r.Body.Contains(id, StringComparison.Ordinal)).WebhookId;

        using var department = host.Client(GatewayTestHost.DepartmentToken);
        JsonNode? row = null;
        await TestData.Eventually(async () =>
        {
            var log = (await department.GetFromJsonAsync<JsonArray>("api/webhooks/subscriptions/city-info-office-main/deliveries?take=1000"))!;
            row = log.FirstOrDefault(e => e!["deliveryId"]!.GetValue<string>() == deliveryId);
            return row is not null;
        }, "the delivery is in the log");
        Assert.Equal("Delivered", row!["outcome"]!.GetValue<string>());
        Assert.Equal(204, row["statusCode"]!.GetValue<int>());
        Assert.Equal(1, row["attempt"]!.GetValue<int>());

        using var otherDepartment = host.Client(GatewayTestHost.HealthOperatorToken);
        using var refused = await otherDepartment.GetAsync("api/webhooks/subscriptions/city-info-office-main/deliveries");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, refused.StatusCode);
    }

    private List<MediaGateway.Sandbox.ReceivedWebhook> Succeeded(string contentId) =>
        host.Receiver.Received(GatewayTestHost.ReceiverName)
            .Where(r => r.Body.Contains(contentId, StringComparison.Ordinal) && r.Body.Contains("\"publication.succeeded\"", StringComparison.Ordinal))
            .ToList();
}
