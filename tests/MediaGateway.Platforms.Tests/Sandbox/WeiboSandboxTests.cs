using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MediaGateway.Sandbox;

namespace MediaGateway.Platforms.Tests.Sandbox;

public sealed class WeiboSandboxTests : IAsyncLifetime
{
    private const string Token = "2.00TokenOfTheCityOffice";
    private const string OtherToken = "2.00TokenOfTheHealthBureau";
    private const string ExpiredToken = "2.00ExpiredToken";
    private const string Uid = "5837261901";
    private const string Link = "https://www.example.gov.cn/a/1";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 10, 24, 15, 49, 17, TimeSpan.Zero));
    private WeiboSandbox _sandbox = null!;
    private HttpClient Client { get; set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new WeiboSandboxOptions { TimeProvider = _time, PostsPerUserPerHour = 3 };
        options.Apps.Add(new WeiboSandboxApp("3141592653", "www.example.gov.cn"));
        options.Apps.Add(new WeiboSandboxApp("2718281828", ""));
        var now = _time.GetUtcNow();
        options.Users.Add(new WeiboSandboxUser(Token, Uid, "示例市人民政府", "3141592653", now.AddDays(7)));
        options.Users.Add(new WeiboSandboxUser(OtherToken, "6000000002", "示例市卫健委", "3141592653", now.AddDays(7)));
        options.Users.Add(new WeiboSandboxUser(ExpiredToken, "6000000003", "过期账号", "3141592653", now.AddSeconds(-1)));
        options.Users.Add(new WeiboSandboxUser("2.00NoDomain", "6000000004", "无域名应用", "2718281828", now.AddDays(1)));
        _sandbox = await WeiboSandbox.StartAsync(options);
        Client = new HttpClient { BaseAddress = _sandbox.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _sandbox.DisposeAsync();
    }

    private Task<(int Status, JsonObject Body)> Share(string status, string token = Token, string rip = "203.0.113.7") =>
        Wire.PostFormAsync(Client, "2/statuses/share.json", ("access_token", token), ("status", status), ("rip", rip));

    private static void AssertWeiboError((int Status, JsonObject Body) answer, int http, long code, string? message = null)
    {
        Assert.Equal(http, answer.Status);
        Assert.Equal(code, answer.Body["error_code"]!.GetValue<long>());
        Assert.Equal("/2/statuses/share.json", answer.Body["request"]!.GetValue<string>());
        if (message is not null)
        {
            Assert.Equal(message, answer.Body["error"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Share_Valid_ReturnsStatusObject_AndServesItsPage()
    {
        var (status, body) = await Share($"【通知】国庆假期安排 {Link}");

        Assert.Equal(200, status);
        var id = body["id"]!.GetValue<long>();
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), body["idstr"]!.GetValue<string>());
        Assert.Equal(body["idstr"]!.GetValue<string>(), body["mid"]!.GetValue<string>());
        Assert.Equal("Fri Oct 24 23:49:17 +0800 2025", body["created_at"]!.GetValue<string>());
        Assert.Equal(long.Parse(Uid, CultureInfo.InvariantCulture), body["user"]!["id"]!.GetValue<long>());
        Assert.Equal("示例市人民政府", body["user"]!["screen_name"]!.GetValue<string>());
        Assert.Null(body["original_pic"]);

        var page = await Client.GetStringAsync($"{Uid}/{body["idstr"]}");
        Assert.Contains("国庆假期安排", page, StringComparison.Ordinal);
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
        Assert.Equal(id, Assert.Single(_sandbox.Statuses).Id);
    }

    [Fact]
    public async Task Share_ChecksTheSheetsRules()
    {
        AssertWeiboError(await Share(""), 400, 20008);
        AssertWeiboError(await Share($"无 rip {Link}", rip: ""), 400, 10016);
        AssertWeiboError(await Share("没有链接的文字"), 400, 10017, "text not find domain!");
        AssertWeiboError(await Share("别的域名 https://www.example.com/x"), 400, 10017, "text not find domain!");
        AssertWeiboError(await Share($"#话题# 内容 {Link}"), 400, 10017);
        AssertWeiboError(await Share($"无域名应用 {Link}", token: "2.00NoDomain"), 400, 10017, "appkey not bind domain!");

        var exactly140 = new string('字', 140 - Link.Length - 1) + " " + Link;
        Assert.Equal(200, (await Share(exactly140)).Status);
        AssertWeiboError(await Share("多" + exactly140), 400, 20012);
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task Share_IdenticalText_Is20019_UntilTheFirstIsDestroyed()
    {
        var text = $"重复内容 {Link}";
        var (_, first) = await Share(text);

        AssertWeiboError(await Share(text), 400, 20019);
        Assert.Equal(200, (await Share(text, token: OtherToken)).Status); // another user may say the same

        var (destroyStatus, destroyed) = await Wire.PostFormAsync(Client, "2/statuses/destroy.json", ("access_token", Token), ("id", first["idstr"]!.GetValue<string>()));
        Assert.Equal(200, destroyStatus);
        Assert.Equal(first["id"]!.GetValue<long>(), destroyed["id"]!.GetValue<long>());
        Assert.Equal(200, (await Share(text)).Status);

        Assert.Equal(2, _sandbox.PostEffectCount(Uid));
        Assert.Single(_sandbox.Statuses, s => s.Destroyed);
        var gone = await Client.GetAsync($"{Uid}/{first["idstr"]}");
        Assert.Equal(404, (int)gone.StatusCode);
    }

    [Fact]
    public async Task Destroy_UnknownIs20101_OthersIs20102()
    {
        var (_, mine) = await Share($"我的微博 {Link}");

        var unknown = await Wire.PostFormAsync(Client, "2/statuses/destroy.json", ("access_token", Token), ("id", "42"));
        Assert.Equal(20101, unknown.Body["error_code"]!.GetValue<long>());

        var others = await Wire.PostFormAsync(Client, "2/statuses/destroy.json", ("access_token", OtherToken), ("id", mine["idstr"]!.GetValue<string>()));
        Assert.Equal(400, others.Status);
        Assert.Equal(20102, others.Body["error_code"]!.GetValue<long>());
        Assert.False(Assert.Single(_sandbox.Statuses).Destroyed);
    }

    [Fact]
    public async Task Tokens_UnknownIs21332_ExpiredIs21327_BothHttp401_AndAuthorizationHeaderWorks()
    {
        AssertWeiboError(await Share($"x {Link}", token: "nope"), 401, 21332);
        AssertWeiboError(await Share($"x {Link}", token: ExpiredToken), 401, 21327);

        using var request = new HttpRequestMessage(HttpMethod.Post, "2/statuses/share.json")
        {
            Content = new FormUrlEncodedContent([new("status", $"用头部授权 {Link}"), new("rip", "198.51.100.1")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("OAuth2", Token);
        var response = await Client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(1, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task GetTokenInfo_ReturnsUidAppkeyAndRemainingSeconds()
    {
        var (status, info) = await Wire.PostFormAsync(Client, "oauth2/get_token_info", ("access_token", Token));

        Assert.Equal(200, status);
        Assert.Equal(long.Parse(Uid, CultureInfo.InvariantCulture), info["uid"]!.GetValue<long>());
        Assert.Equal("3141592653", info["appkey"]!.GetValue<string>());
        Assert.Equal(7 * 86400, info["expire_in"]!.GetValue<long>());

        var expired = await Wire.PostFormAsync(Client, "oauth2/get_token_info", ("access_token", ExpiredToken));
        Assert.Equal(21327, expired.Body["error_code"]!.GetValue<long>());
    }

    [Fact]
    public async Task Share_WithPicture_ServesOriginalPic_AndRefusesOtherTypes()
    {
        var png = TestImages.Png(2, 2);
        var (status, body) = await Wire.PostMultipartAsync(Client, "2/statuses/share.json",
            [("access_token", Token), ("status", $"带图 {Link}"), ("rip", "203.0.113.7")], "pic", png);
        Assert.Equal(200, status);
        var pic = body["original_pic"]!.GetValue<string>();
        Assert.Equal(png, await Client.GetByteArrayAsync(pic));

        var (badStatus, bad) = await Wire.PostMultipartAsync(Client, "2/statuses/share.json",
            [("access_token", Token), ("status", $"坏图 {Link}"), ("rip", "203.0.113.7")], "pic", "BM not really"u8.ToArray());
        Assert.Equal(400, badStatus);
        Assert.Equal(20005, bad["error_code"]!.GetValue<long>());

        var (_, big) = await Wire.PostMultipartAsync(Client, "2/statuses/share.json",
            [("access_token", Token), ("status", $"大图 {Link}"), ("rip", "203.0.113.7")], "pic", TestImages.Jpeg(5 * 1024 * 1024));
        Assert.Equal(20006, big["error_code"]!.GetValue<long>());
    }

    [Fact]
    public async Task Share_WithTwoPictures_Is10017_ShareTakesOneImage()
    {
        // weibo.md, "optional pic (one image, multipart …)".
        using var content = new MultipartFormDataContent();
        foreach (var (key, value) in new[] { ("access_token", Token), ("status", $"两张图 {Link}"), ("rip", "203.0.113.7") })
        {
            content.Add(new StringContent(value, System.Text.Encoding.UTF8), key);
        }

        foreach (var name in new[] { "a.png", "b.png" })
        {
            var part = new ByteArrayContent(TestImages.Png(2, 2));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "pic", name);
        }

        using var response = await Client.PostAsync("2/statuses/share.json", content);
        var body = Wire.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(10017, body["error_code"]!.GetValue<long>());
        Assert.Equal(0, _sandbox.PostEffectCount(Uid));
    }

    [Fact]
    public async Task Share_Topic_IsRefused_UnlessTheAppIsGrantedTopics()
    {
        AssertWeiboError(await Share($"#国庆# 假期安排 {Link}"), 400, 10017);

        var options = new WeiboSandboxOptions { TimeProvider = _time };
        options.Apps.Add(new WeiboSandboxApp("1618033988", "www.example.gov.cn") { TopicsAllowed = true });
        options.Users.Add(new WeiboSandboxUser("2.00TopicsGranted", "6000000005", "话题账号", "1618033988", _time.GetUtcNow().AddDays(7)));
        await using var granted = await WeiboSandbox.StartAsync(options);
        using var client = new HttpClient { BaseAddress = granted.BaseAddress };
        var (status, body) = await Wire.PostFormAsync(client, "2/statuses/share.json",
            ("access_token", "2.00TopicsGranted"), ("status", $"#国庆# 假期安排 {Link}"), ("rip", "203.0.113.7"));
        Assert.Equal(200, status);
        Assert.StartsWith("#国庆#", body["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Share_OverHourlyPostLimit_Is10024_UntilTheNextHour()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await Share($"第{i}条 {Link}")).Status);
        }

        AssertWeiboError(await Share($"第四条 {Link}"), 403, 10024);
        var (_, limits) = await Wire.PostFormAsync(Client, "2/statuses/share.json"); // unauthenticated: 21301
        Assert.Equal(21301, limits["error_code"]!.GetValue<long>());

        var rate = await Wire.GetJsonAsync(Client, $"2/account/rate_limit_status.json?access_token={Token}");
        Assert.Equal("HOURS", rate["limit_time_unit"]!.GetValue<string>());
        Assert.Equal(0, rate["api_rate_limits"]![0]!["remaining_hits"]!.GetValue<int>());
        Assert.Equal(643, rate["reset_time_in_seconds"]!.GetValue<long>()); // clock is 15:49:17 UTC
        Assert.True(rate["remaining_user_hits"]!.GetValue<int>() < rate["user_limit"]!.GetValue<int>());

        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(200, (await Share($"第四条 {Link}")).Status);
    }
}
