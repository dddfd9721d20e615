using System.Net;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Publishing;

/// <summary>Issue 3 through the whole gateway: reconciliation after unknown outcomes, mass send, the WeChat callback.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PlatformIntegrationTests(GatewayTestHost host)
{
    private async Task<(string Id, string Title)> PublishAsync(string account)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("平台");
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title, [account])))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        return (id, title);
    }

    [Fact]
    public async Task WeChatSubmitAnswering502AfterTheEffect_IsFoundWithBatchget_NotSubmittedAgain()
    {
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", HttpStatus = 502, AfterEffect = true, AppId = GatewayTestHost.CityAppId });
        var (id, title) = await PublishAsync("wx-city");
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id, TimeSpan.FromSeconds(45)), "wx-city");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        var article = Assert.Single(host.WeChat.PublishedArticles, a => a.Title == title);
        Assert.Equal(article.ArticleId, pub["platformId"]!.GetValue<string>());
        Assert.Contains(pub["history"]!.AsArray(), h => h!["note"]!.GetValue<string>().StartsWith("found on the platform", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMassSendAccount_SendsOnce_EvenWhenTheAnswerIsLost()
    {
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/message/mass/sendall", HttpStatus = 502, AfterEffect = true, AppId = GatewayTestHost.MassAppId });
        var before = host.WeChat.MassSendEffectCount(GatewayTestHost.MassAppId);
        var (id, _) = await PublishAsync("wx-mass");
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id, TimeSpan.FromSeconds(45)), "wx-mass");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        Assert.Equal(before + 1, host.WeChat.MassSendEffectCount(GatewayTestHost.MassAppId));
        // The repeat carried the same clientmsgid and the platform answered 45065 with the existing msg_id.
        Assert.Contains(pub["history"]!.AsArray(), h => h!["note"]!.GetValue<string>().Contains("45065", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSandboxPushesThePublishOutcome_AndTheGatewayAcceptsItInSafeMode()
    {
        var (id, _) = await PublishAsync("wx-city");
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wx-city");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        await TestData.Eventually(() => host.WeChat.Pushes.Any(p => p.AppId == GatewayTestHost.CityAppId && p.Event == "PUBLISHJOBFINISH"
            && p.Finished && p.StatusCode == 200 && p.Answer == "success" && p.Encrypted), "an encrypted PUBLISHJOBFINISH push answered 'success'");
    }

    [Fact]
    public async Task TheCallbackHandshake_AnswersOnlyAGoodSignature()
    {
        using var client = host.Client(null);
        const string timestamp = "1732500000", nonce = "n0nce";
        var good = WeChatCallback.Sign(GatewayTestHost.CallbackToken, timestamp, nonce);
        var url = $"wechat/callback/{GatewayTestHost.CityAppId}?timestamp={timestamp}&nonce={nonce}&echostr=hello";
        Assert.Equal("hello", await client.GetStringAsync($"{url}&signature={good}"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"{url}&signature=0000")).StatusCode);
    }

    [Fact]
    public async Task AForgedPush_IsRefused()
    {
        using var client = host.Client(null);
        using var content = new StringContent("<xml><ToUserName>x</ToUserName><Encrypt>forged</Encrypt></xml>", System.Text.Encoding.UTF8, "text/xml");
        using var response = await client.PostAsync(
            $"wechat/callback/{GatewayTestHost.CityAppId}?timestamp=1&nonce=2&signature=3&encrypt_type=aes&msg_signature=4", content);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
