using System.Text.Json.Nodes;
using MediaGateway.Sandbox;

namespace MediaGateway.Platforms.Tests.Sandbox;

public sealed class WeChatFaultTests : WeChatHarness
{
    [Fact]
    public async Task Fault_AnswersItsErrcodeForTimesRequests_ThenThePlatformAnswers()
    {
        var token = await TokenAsync();
        Sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/draft/count", WeChatErrcode = -1, Times = 2 });

        AssertError(await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={token}"), -1);
        AssertError(await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={token}"), -1);
        Assert.Equal(0, (await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={token}"))["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Fault_HttpStatusAlone_IsABareGatewayError()
    {
        Sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/token", HttpStatus = 502 });

        var response = await Http.GetAsync($"cgi-bin/token?grant_type=client_credential&appid={AppId}&secret={Secret}");

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, Sandbox.TokenFetchCount(AppId));
    }

    [Fact]
    public async Task Fault_AfterEffect_PublishesAndThenAnswers503()
    {
        var token = await TokenAsync();
        var mediaId = await DraftAsync(token, Article(await ThumbAsync(token), title: "超时之后"));
        Sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", HttpStatus = 503, AfterEffect = true });

        var (response, _) = await Wire.PostRawJsonAsync(Http, $"cgi-bin/freepublish/submit?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""");
        Assert.Equal(503, (int)response.StatusCode);

        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, Sandbox.PublishEffectCount(AppId));
        var list = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/batchget?access_token={token}", """{"offset":0,"count":20,"no_content":1}""");
        Assert.Equal("超时之后", list["item"]![0]!["content"]!["news_item"]![0]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fault_Delay_MakesAClientTimeOut()
    {
        Sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/token", Delay = TimeSpan.FromSeconds(10) });
        using var impatient = new HttpClient { BaseAddress = Sandbox.BaseAddress, Timeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAsync<TaskCanceledException>(() =>
            impatient.GetAsync($"cgi-bin/token?grant_type=client_credential&appid={AppId}&secret={Secret}"));
        Assert.Equal(0, Sandbox.TokenFetchCount(AppId));
    }

    [Fact]
    public async Task ControlEndpoints_AddListAndClearFaults_AndReportPublications()
    {
        var (added, _) = await Wire.PostRawJsonAsync(Http, "_sandbox/faults", """{"path":"/cgi-bin/draft/add","weChatErrcode":45009,"times":3}""");
        Assert.Equal(204, (int)added.StatusCode);
        var pending = JsonNode.Parse(await Http.GetStringAsync("_sandbox/faults"))!.AsArray();
        Assert.Equal(3, pending[0]!["times"]!.GetValue<int>());

        var token = await TokenAsync();
        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/draft/add?access_token={token}", """{"articles":[]}"""), 45009);

        var cleared = await Http.DeleteAsync("_sandbox/faults");
        Assert.Equal(204, (int)cleared.StatusCode);
        Assert.Empty(JsonNode.Parse(await Http.GetStringAsync("_sandbox/faults"))!.AsArray());

        var mediaId = await DraftAsync(token, Article(await ThumbAsync(token), title: "控制接口"));
        await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/submit?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""");
        Time.Advance(TimeSpan.FromSeconds(5));
        var published = JsonNode.Parse(await Http.GetStringAsync("_sandbox/published"))!.AsArray();
        Assert.Equal("控制接口", published.Single()!["title"]!.GetValue<string>());
        var stats = await Wire.GetJsonAsync(Http, "_sandbox/stats");
        var app = stats["apps"]!.AsArray().Single(a => a!["appId"]!.GetValue<string>() == AppId)!;
        Assert.Equal(1, app["publishEffects"]!.GetValue<int>());
        Assert.Equal(1, app["tokenFetches"]!.GetValue<int>());
    }

    [Fact]
    public async Task ControlEndpoint_RejectsAFaultWithoutPath()
    {
        var (response, _) = await Wire.PostRawJsonAsync(Http, "_sandbox/faults", """{"weChatErrcode":-1}""");

        Assert.Equal(400, (int)response.StatusCode);
    }
}

public sealed class WeiboFaultTests : IAsyncLifetime
{
    private const string Token = "2.00FaultToken";
    private const string Uid = "7000000001";
    private WeiboSandbox _sandbox = null!;
    private HttpClient Client { get; set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new WeiboSandboxOptions();
        options.Apps.Add(new WeiboSandboxApp("3141592653", "www.example.gov.cn"));
        options.Users.Add(new WeiboSandboxUser(Token, Uid, "测试", "3141592653", DateTimeOffset.UtcNow.AddDays(1)));
        _sandbox = await WeiboSandbox.StartAsync(options);
        Client = new HttpClient { BaseAddress = _sandbox.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _sandbox.DisposeAsync();
    }

    private Task<(int Status, JsonObject Body)> Share(string text) =>
        Wire.PostFormAsync(Client, "2/statuses/share.json", ("access_token", Token), ("status", text), ("rip", "203.0.113.7"));

    [Fact]
    public async Task Fault_ErrorCode_DefaultsToHttp400_AndDoesNotPost()
    {
        _sandbox.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 10022 });

        var (status, body) = await Share("https://www.example.gov.cn/ 一");

        Assert.Equal(400, status);
        Assert.Equal(10022, body["error_code"]!.GetValue<long>());
        Assert.Equal(0, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task Fault_AfterEffect20032_PostExistsThoughTheAnswerIsAnError()
    {
        var (added, _) = await Wire.PostRawJsonAsync(Client, "_sandbox/faults",
            """{"path":"/2/statuses/share.json","weiboErrorCode":20032,"afterEffect":true}""");
        Assert.Equal(204, (int)added.StatusCode);

        var (status, body) = await Share("https://www.example.gov.cn/ 慢");

        Assert.Equal(400, status);
        Assert.Equal(20032, body["error_code"]!.GetValue<long>());
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
        var statuses = JsonNode.Parse(await Client.GetStringAsync("_sandbox/statuses"))!.AsArray();
        Assert.Equal("https://www.example.gov.cn/ 慢", statuses.Single()!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fault_Bare503_WithDelayMs_ThenNormalService()
    {
        await Wire.PostRawJsonAsync(Client, "_sandbox/faults", """{"path":"/2/statuses/share.json","httpStatus":503,"delayMs":50}""");

        var response = await Client.PostAsync("2/statuses/share.json", new FormUrlEncodedContent([new("access_token", Token)]));
        Assert.Equal(503, (int)response.StatusCode);
        Assert.DoesNotContain("error_code", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(200, (await Share("https://www.example.gov.cn/ 好了")).Status);
        var stats = await Wire.GetJsonAsync(Client, "_sandbox/stats");
        Assert.Equal(1, stats["users"]![0]!["postEffects"]!.GetValue<int>());
    }
}
