using System.Text.Json.Nodes;
using MediaGateway.Sandbox;

namespace MediaGateway.Platforms.Tests.Sandbox;

/// <summary>message/mass/sendall, get, delete on the wire (wechat-mp.md, "Mass send").</summary>
public sealed class WeChatMassSandboxTests : WeChatHarness
{
    private const string SubscriptionApp = "wxother000000000";
    private const string SubscriptionSecret = "othersecret";

    private static string SendAll(string mediaId, string clientMsgId) =>
        $$"""{"filter":{"is_to_all":true},"mpnews":{"media_id":"{{mediaId}}"},"msgtype":"mpnews","send_ignore_reprint":0,"clientmsgid":"{{clientMsgId}}"}""";

    private async Task<string> NewDraftAsync(string token, string title = "群发通知") =>
        await DraftAsync(token, Article(await ThumbAsync(token), title: title));

    private Task<JsonObject> PostAsync(string token, string path, string json) =>
        Wire.PostJsonAsync(Http, $"cgi-bin/{path}?access_token={token}", json);

    [Fact]
    public async Task SendAll_ThenSending_ThenSendSuccess_AndTheDraftLeavesTheDraftBox()
    {
        var token = await TokenAsync();
        var mediaId = await NewDraftAsync(token);

        var sent = await PostAsync(token, "message/mass/sendall", SendAll(mediaId, "pub-1"));
        Assert.Equal(0, Wire.Errcode(sent));
        var msgId = Wire.Id(sent["msg_id"]);
        Assert.True(Wire.Id(sent["msg_data_id"]) > 0);

        var sending = await PostAsync(token, "message/mass/get", $$"""{"msg_id":{{msgId}}}""");
        Assert.Equal("SENDING", Wire.Str(sending, "msg_status"));
        Time.Advance(TimeSpan.FromSeconds(5));
        var done = await PostAsync(token, "message/mass/get", $$"""{"msg_id":"{{msgId}}"}""");
        Assert.Equal("SEND_SUCCESS", Wire.Str(done, "msg_status"));
        Assert.Equal(msgId, Wire.Id(done["msg_id"]));
        AssertError(await PostAsync(token, "draft/get", $$"""{"media_id":"{{mediaId}}"}"""), 40007);
        Assert.Equal(1, Sandbox.MassSendEffectCount(AppId));
    }

    [Fact]
    public async Task SameClientMsgId_Within24h_Is45065WithTheExistingMsgId_AndNoSecondEffect()
    {
        var token = await TokenAsync();
        var mediaId = await NewDraftAsync(token);
        var first = await PostAsync(token, "message/mass/sendall", SendAll(mediaId, "pub-dup"));

        Time.Advance(TimeSpan.FromHours(23));
        token = await TokenAsync();
        var again = await PostAsync(token, "message/mass/sendall", SendAll(mediaId, "pub-dup"));

        AssertError(again, 45065);
        Assert.Equal(Wire.Id(first["msg_id"]), Wire.Id(again["msg_id"]));
        Assert.Equal(1, Sandbox.MassSendEffectCount(AppId));
    }

    [Fact]
    public async Task ClientMsgIdOver64Bytes_Is45067()
    {
        var token = await TokenAsync();
        var mediaId = await NewDraftAsync(token);

        AssertError(await PostAsync(token, "message/mass/sendall", SendAll(mediaId, new string('x', 65))), 45067);
        Assert.Equal(0, Wire.Errcode(await PostAsync(token, "message/mass/sendall", SendAll(mediaId, new string('x', 64)))));
    }

    [Fact]
    public async Task Subscription_OneSuccessfulSendPerChinaDay_Then45028_And45066ForAQuickRepeat()
    {
        var token = await TokenAsync(SubscriptionApp, SubscriptionSecret);
        var a = await NewDraftAsync(token, "第一篇");
        var b = await NewDraftAsync(token, "第二篇");
        Assert.Equal(0, Wire.Errcode(await PostAsync(token, "message/mass/sendall", SendAll(a, "a"))));

        AssertError(await PostAsync(token, "message/mass/sendall", SendAll(b, "b")), 45028);
        Time.Advance(TimeSpan.FromSeconds(30));
        AssertError(await PostAsync(token, "message/mass/sendall", SendAll(b, "b")), 45066);

        // Start: 2025-10-24 15:49 UTC = 23:49 in China; 11 minutes later it is the next China day.
        Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(0, Wire.Errcode(await PostAsync(token, "message/mass/sendall", SendAll(b, "b"))));
        Assert.Equal(2, Sandbox.MassSendEffectCount(SubscriptionApp));
    }

    [Fact]
    public async Task Service_FourPerChinaMonth_ThenQuota_UntilTheNextMonth()
    {
        var token = await TokenAsync();
        for (var i = 0; i < 4; i++)
        {
            var sent = await PostAsync(token, "message/mass/sendall", SendAll(await NewDraftAsync(token, $"第{i}篇"), $"m{i}"));
            Assert.Equal(0, Wire.Errcode(sent));
            Time.Advance(TimeSpan.FromDays(1));
            token = await TokenAsync();
        }

        // 2025-10-28: still October in China.
        var fifth = await NewDraftAsync(token, "第五篇");
        AssertError(await PostAsync(token, "message/mass/sendall", SendAll(fifth, "m4")), 45028);

        Time.Advance(TimeSpan.FromDays(4)); // 2025-11-01 China time
        token = await TokenAsync();
        Assert.Equal(0, Wire.Errcode(await PostAsync(token, "message/mass/sendall", SendAll(fifth, "m4"))));
        Assert.Equal(5, Sandbox.MassSendEffectCount(AppId));
    }

    [Fact]
    public async Task SixtyCallsAMinute_TheSixtyFirstIs45011()
    {
        var token = await TokenAsync();
        for (var i = 0; i < 60; i++)
        {
            // Unknown media: 40007 but each call counts against the per-minute limit.
            AssertError(await PostAsync(token, "message/mass/sendall", SendAll("nope", $"c{i}")), 40007);
        }

        AssertError(await PostAsync(token, "message/mass/sendall", SendAll("nope", "c60")), 45011);
        Time.Advance(TimeSpan.FromMinutes(1));
        AssertError(await PostAsync(token, "message/mass/sendall", SendAll("nope", "c61")), 40007);
    }

    [Fact]
    public async Task WrongShape_Is47001_UnknownMsgId_Is40035()
    {
        var token = await TokenAsync();
        var mediaId = await NewDraftAsync(token);

        AssertError(await PostAsync(token, "message/mass/sendall",
            $$"""{"filter":{"is_to_all":true},"mpnews":{"media_id":"{{mediaId}}"},"msgtype":"text","clientmsgid":"t"}"""), 47001);
        AssertError(await PostAsync(token, "message/mass/sendall",
            $$"""{"mpnews":{"media_id":"{{mediaId}}"},"msgtype":"mpnews","clientmsgid":"u"}"""), 47001);
        AssertError(await PostAsync(token, "message/mass/get", """{"msg_id":1}"""), 40035);
        AssertError(await PostAsync(token, "message/mass/delete", """{"msg_id":1,"article_idx":0}"""), 40035);
    }

    [Fact]
    public async Task Delete_OneArticleThenAll_StatusBecomesDelete()
    {
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);
        var mediaId = await DraftAsync(token, Article(thumb, title: "甲"), Article(thumb, title: "乙"));
        var msgId = Wire.Id((await PostAsync(token, "message/mass/sendall", SendAll(mediaId, "del")))["msg_id"]);
        Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, Wire.Errcode(await PostAsync(token, "message/mass/delete", $$"""{"msg_id":{{msgId}},"article_idx":2}""")));
        Assert.Equal("SEND_SUCCESS", Wire.Str(await PostAsync(token, "message/mass/get", $$"""{"msg_id":{{msgId}}}"""), "msg_status"));
        AssertError(await PostAsync(token, "message/mass/delete", $$"""{"msg_id":{{msgId}},"article_idx":3}"""), 40035);
        Assert.Equal(0, Wire.Errcode(await PostAsync(token, "message/mass/delete", $$"""{"msg_id":{{msgId}},"article_idx":0}""")));

        Assert.Equal("DELETE", Wire.Str(await PostAsync(token, "message/mass/get", $$"""{"msg_id":{{msgId}}}"""), "msg_status"));
        var listed = JsonNode.Parse(await Http.GetStringAsync("_sandbox/mass"))!.AsArray().Single()!;
        Assert.Equal(["甲", "乙"], listed["titles"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("DELETE", listed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task MassStatusFault_SendFail_KeepsTheDraft_AndDoesNotUseTheQuota()
    {
        var token = await TokenAsync(SubscriptionApp, SubscriptionSecret);
        var mediaId = await NewDraftAsync(token);
        Sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/message/mass/sendall", MassStatus = "SEND_FAIL" });

        var msgId = Wire.Id((await PostAsync(token, "message/mass/sendall", SendAll(mediaId, "f1")))["msg_id"]);
        Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("SEND_FAIL", Wire.Str(await PostAsync(token, "message/mass/get", $$"""{"msg_id":{{msgId}}}"""), "msg_status"));
        Assert.Equal(0, Wire.Errcode(await PostAsync(token, "draft/get", $$"""{"media_id":"{{mediaId}}"}""")));
        Assert.Equal(0, Wire.Errcode(await PostAsync(token, "message/mass/sendall", SendAll(mediaId, "f2"))));
    }
}
