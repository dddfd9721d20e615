using System.Text.Json.Nodes;
using MediaGateway.Sandbox;

namespace MediaGateway.Platforms.Tests.Sandbox;

/// <summary>A WeChat sandbox on an ephemeral loopback port with one service account and a hand-moved clock.</summary>
public abstract class WeChatHarness : IAsyncLifetime
{
    protected const string AppId = "wx1234567890abcdef";
    protected const string Secret = "0123456789abcdef0123456789abcdef";

    internal FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 10, 24, 15, 49, 17, TimeSpan.Zero));

    protected WeChatSandbox Sandbox { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new WeChatSandboxOptions { TimeProvider = Time, PublishDelay = TimeSpan.FromSeconds(5) };
        options.Apps.Add(new WeChatSandboxApp(AppId, Secret, "service"));
        options.Apps.Add(new WeChatSandboxApp("wxother000000000", "othersecret", "subscription"));
        Sandbox = await WeChatSandbox.StartAsync(options);
        Http = new HttpClient { BaseAddress = Sandbox.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Sandbox.DisposeAsync();
    }

    protected async Task<string> TokenAsync(string appId = AppId, string secret = Secret)
    {
        var answer = await Wire.GetJsonAsync(Http, $"cgi-bin/token?grant_type=client_credential&appid={appId}&secret={secret}");
        return Wire.Str(answer, "access_token");
    }

    protected async Task<string> ThumbAsync(string token)
    {
        var (_, answer) = await Wire.PostMultipartAsync(Http, $"cgi-bin/material/add_material?access_token={token}&type=thumb",
            [], "media", TestImages.Jpeg(), "cover.jpg");
        return Wire.Str(answer, "media_id");
    }

    protected static string Article(string thumb, string title = "通知公告", string content = "<p>正文内容</p>", string extra = "") =>
        $$"""{"title":"{{title}}","author":"办公室","content":"{{content}}","thumb_media_id":"{{thumb}}","content_source_url":"https://www.example.gov.cn/a/1"{{extra}}}""";

    protected async Task<string> DraftAsync(string token, params string[] articles)
    {
        var answer = await Wire.PostJsonAsync(Http, $"cgi-bin/draft/add?access_token={token}",
            $$"""{"articles":[{{string.Join(",", articles)}}]}""");
        Assert.Equal(0, Wire.Errcode(answer));
        return Wire.Str(answer, "media_id");
    }

    protected static void AssertError(JsonObject answer, long errcode)
    {
        Assert.Equal(errcode, Wire.Errcode(answer));
        Assert.Matches(@" rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$", Wire.Str(answer, "errmsg"));
    }
}
