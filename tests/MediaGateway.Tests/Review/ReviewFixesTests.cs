using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Audit;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Sandbox;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using MediaGateway.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.Tests.Review;

/// <summary>Cases found in review: each would fail if its fix were undone.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ReviewFixesTests(GatewayTestHost host)
{
    [Fact]
    public async Task APostStillOnItsWay_WhenTheRetractionIsApproved_IsTakenDownToo()
    {
        // WeChat keeps the submission "publishing" for many polls, while Weibo publishes at once.
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", PublishingPolls = 6, AppId = GatewayTestHost.CityAppId });
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("在途撤销");
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title)))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        // Publications proceed in parallel: wait until Weibo is out and the WeChat article is accepted but still publishing.
        await TestData.Eventually(async () =>
        {
            var item = await TestData.GetAsync(op, id);
            return TestData.Publication(item, "wb-city")["state"]!.GetValue<string>() == "published"
                   && TestData.Publication(item, "wx-city")["state"]!.GetValue<string>() == "submitted";
        }, "Weibo published while the WeChat article is still publishing");

        (await op.PostAsJsonAsync($"api/content/{id}/retraction", new { reason = "发布有误" })).EnsureSuccessStatusCode();
        using var reviewer3 = host.Client(GatewayTestHost.Reviewer3Token);
        (await reviewer3.PostAsJsonAsync($"api/content/{id}/retraction/decision", new { decision = "approve" })).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow.AddSeconds(40);
        JsonObject last = [];
        while (DateTime.UtcNow < deadline)
        {
            last = await TestData.GetAsync(op, id);
            if (last["publications"]!.AsArray().All(p => p!["retraction"]?.GetValue<string>() == "retracted")) break;
            await Task.Delay(200);
        }

        Assert.True(last["publications"]!.AsArray().All(p => p!["retraction"]?.GetValue<string>() == "retracted"), last["publications"]!.ToJsonString());
        Assert.True(Assert.Single(host.WeChat.PublishedArticles, a => a.Title == title).Deleted);
    }

    [Fact]
    public async Task AnEventDeliveredTwice_IsInTheAuditChainOnce()
    {
        var keys = host.Services.GetRequiredService<RedisKeys>();
        var contentId = "c-dup-" + Guid.NewGuid().ToString("N")[..8];
        var e = new GatewayEvent("evt_dup_" + Guid.NewGuid().ToString("N"), EventTypes.ContentSubmitted, DateTimeOffset.UtcNow, ["wx-city"],
            new JsonObject { ["content"] = new JsonObject { ["id"] = contentId } }) { ContentId = contentId, Actor = "op-li" };
        var db = host.Multiplexer.GetDatabase();
        await db.StreamAddAsync(keys.EventStream, "event", MediaGateway.Storage.Json.Serialize(e));
        await db.StreamAddAsync(keys.EventStream, "event", MediaGateway.Storage.Json.Serialize(e)); // as after a reclaimed, stalled fan-out
        var audit = host.Services.GetRequiredService<AuditLog>();
        await TestData.Eventually(async () => (await audit.ForContentAsync(contentId)).Count > 0, "the event audited");
        await TestData.Eventually(async () => (await db.StreamRangeAsync(keys.EventStream)).All(x => !((string?)x["event"])!.Contains(e.Id, StringComparison.Ordinal)),
            "both stream entries handled");
        Assert.Single(await audit.ForContentAsync(contentId));
        Assert.True((await audit.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task AnEarlierReviser_CannotReviewTheItem_P5()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var opReviewer = host.Client(GatewayTestHost.OperatorReviewerToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op));
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
        article["body"] = "第二稿。";
        (await opReviewer.PutAsJsonAsync($"api/content/{id}", article)).EnsureSuccessStatusCode();
        article["body"] = "第三稿。";
        (await op.PutAsJsonAsync($"api/content/{id}", article)).EnsureSuccessStatusCode();
        using var response = await TestData.ReviewAsync(opReviewer, id);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AConsultation_IsRecordedOnce_AndNeverByTheAuthor_P9()
    {
        using var author = host.Client(GatewayTestHost.OperatorReviewerToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(author));
        article["sensitive"] = true;
        var id = (await TestData.SubmitAsync(author, article))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden, (await author.PostAsJsonAsync($"api/content/{id}/consultation", new { units = "x", summary = "y" })).StatusCode);

        using var liaison = host.Client("mgdemo-liaison-wu");
        (await liaison.PostAsJsonAsync($"api/content/{id}/consultation", new { units = "市委宣传部", summary = "同意" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Conflict, (await liaison.PostAsJsonAsync($"api/content/{id}/consultation", new { units = "别的", summary = "改写" })).StatusCode);
        Assert.Equal("市委宣传部", (await TestData.GetAsync(liaison, id))["consultation"]!["units"]!.GetValue<string>());
    }

    [Fact]
    public async Task AValidlySignedPush_IsAccepted_ButNotWhenReplayedLater()
    {
        var callback = new WeChatCallback(GatewayTestHost.CityAppId, GatewayTestHost.CallbackToken, GatewayTestHost.CallbackAesKey);
        var encrypted = callback.Encrypt("<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[mp]]></FromUserName>"
            + "<CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[VIEW]]></Event></xml>");
        using var client = host.Client(null);
        async Task<HttpStatusCode> PushAsync(long timestamp)
        {
            var ts = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var signature = WeChatCallback.Sign(GatewayTestHost.CallbackToken, ts, "nonce1");
            var msgSignature = WeChatCallback.Sign(GatewayTestHost.CallbackToken, ts, "nonce1", encrypted);
            using var body = new StringContent($"<xml><ToUserName><![CDATA[gh]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>",
                System.Text.Encoding.UTF8, "text/xml");
            using var response = await client.PostAsync(
                $"wechat/callback/{GatewayTestHost.CityAppId}?timestamp={ts}&nonce=nonce1&signature={signature}&encrypt_type=aes&msg_signature={msgSignature}", body);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await PushAsync(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.Equal(HttpStatusCode.Unauthorized, await PushAsync(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds()));
    }
}
