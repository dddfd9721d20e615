using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Platforms.Tests.Clients.Support;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Sandbox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGateway.Platforms.Tests.Clients;

/// <summary>
/// The sandbox pushes PUBLISHJOBFINISH / MASSSENDJOBFINISH to a callback URL (plain and safe mode); a receiver built on
/// <see cref="WeChatCallback"/> opens them. Sandbox and client crypto were written separately, so this checks one against the other.
/// </summary>
public sealed class WeChatCallbackPushTests : IAsyncLifetime, IDisposable
{
    private const string PlainApp = "wxpush00000000001";
    private const string SafeApp = "wxpush00000000002";
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private const string CallbackToken = "cb-token-1";
    private const string AesKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aQ";

    private readonly InMemoryTokenCache _cache = new();
    private readonly WeChatCallback _plainReceiver = new(PlainApp, CallbackToken, null);
    private readonly WeChatCallback _safeReceiver = new(SafeApp, CallbackToken, AesKey);
    private readonly List<WeChatCallbackEvent> _received = [];
    private int _slowAnswers;
    private StubServer _receiver = null!;
    private WeChatSandbox _sandbox = null!;
    private WeChatClient _client = null!;

    public async Task InitializeAsync()
    {
        _receiver = await StubServer.StartAsync(ReceiveAsync);
        var options = new WeChatSandboxOptions { PublishDelay = TimeSpan.FromMilliseconds(100), CallbackTimeout = TimeSpan.FromMilliseconds(500) };
        options.Apps.Add(new WeChatSandboxApp(PlainApp, Secret, "service")
        {
            CallbackUrl = new Uri(_receiver.BaseAddress, "wechat/callback/" + PlainApp),
            CallbackToken = CallbackToken,
        });
        options.Apps.Add(new WeChatSandboxApp(SafeApp, Secret, "service")
        {
            CallbackUrl = new Uri(_receiver.BaseAddress, "wechat/callback/" + SafeApp),
            CallbackToken = CallbackToken,
            EncodingAesKey = AesKey,
            Followers = 321,
        });
        _sandbox = await WeChatSandbox.StartAsync(options);
        _client = new WeChatClient(new WeChatClientOptions { BaseUrl = _sandbox.BaseAddress }, _cache, TimeProvider.System,
            NullLogger<WeChatClient>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    public void Dispose() => _client.Dispose();

    /// <summary>What the host's endpoint does: open the push with the account's WeChatCallback, record the event, answer "success".</summary>
    private async Task ReceiveAsync(StubRequest request, HttpContext ctx)
    {
        if (Interlocked.Decrement(ref _slowAnswers) >= 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ctx.RequestAborted);
        }

        var callback = request.Path.EndsWith(SafeApp, StringComparison.Ordinal) ? _safeReceiver : _plainReceiver;
        string Q(string name) => request.Query.TryGetValue(name, out var v) ? v : string.Empty;
        try
        {
            var xml = callback.OpenMessage(Q("signature"), Q("timestamp"), Q("nonce"), Q("encrypt_type"), Q("msg_signature"), request.BodyText);
            lock (_received)
            {
                _received.Add(WeChatCallback.ParseEvent(xml));
            }

            await ctx.Response.WriteAsync(WeChatCallback.SuccessReply, ctx.RequestAborted);
        }
        catch (WeChatCallbackException)
        {
            ctx.Response.StatusCode = 401;
        }
    }

    private async Task<WeChatSandboxPush> WaitForPushAsync(Func<WeChatSandboxPush, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_sandbox.Pushes.FirstOrDefault(p => p.Finished && match(p)) is { } push)
            {
                return push;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("No finished push arrived. Pushes: " + string.Join("; ", _sandbox.Pushes));
    }

    private async Task<string> DraftAsync(WeChatCredentials creds, string title)
    {
        var cover = (await _client.AddMaterialAsync(creds, WeChatMaterialType.Image, TestImages.PngFile(), CancellationToken.None)).MediaId;
        return await _client.AddDraftAsync(creds, [new WeChatArticle { Title = title, Content = "<p>正文</p>", ThumbMediaId = cover }], CancellationToken.None);
    }

    [Fact]
    public async Task PlainMode_PublishJobFinished_IsSignedAndParsesToTheSameOutcomeAsFreepublishGet()
    {
        var creds = new WeChatCredentials(PlainApp, Secret);
        var submitted = await _client.SubmitPublishAsync(creds, await DraftAsync(creds, "推送明文"), CancellationToken.None);

        var push = await WaitForPushAsync(p => p.AppId == PlainApp && p.Event == "PUBLISHJOBFINISH");
        var polled = await _client.GetPublishAsync(creds, submitted.PublishId, CancellationToken.None);

        Assert.False(push.Encrypted);
        Assert.Equal((200, "success", 1), (push.StatusCode, push.Answer, push.Attempts));
        Assert.Equal(push.Xml, push.Body);
        Assert.DoesNotContain("msg_signature", push.Url.Query, StringComparison.Ordinal);
        WeChatPublishJobFinished e;
        lock (_received)
        {
            e = Assert.IsType<WeChatPublishJobFinished>(Assert.Single(_received));
        }

        Assert.Equal((submitted.PublishId, WeChatPublishStatus.Success), (e.PublishId, e.Status));
        Assert.Equal(polled.ArticleId, e.ArticleId);
        Assert.Equal(polled.Articles, e.Articles);
        Assert.StartsWith("gh_", e.ToUserName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SafeMode_MassSendJobFinished_IsEncrypted_AndOpensWithTheAccountKey()
    {
        var creds = new WeChatCredentials(SafeApp, Secret) { AccountKind = WeChatAccountKind.Service };
        var sent = await _client.SendMassAsync(creds, await DraftAsync(creds, "推送密文"),
            WeChatClient.ClientMsgIdFor("push-1"), false, CancellationToken.None);

        var push = await WaitForPushAsync(p => p.AppId == SafeApp && p.Event == "MASSSENDJOBFINISH");

        Assert.True(push.Encrypted);
        Assert.Contains("encrypt_type=aes", push.Url.Query, StringComparison.Ordinal);
        Assert.Contains("<Encrypt>", push.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("MASSSENDJOBFINISH", push.Body, StringComparison.Ordinal);
        Assert.Equal((200, "success"), (push.StatusCode, push.Answer));
        WeChatMassSendJobFinished e;
        lock (_received)
        {
            e = Assert.IsType<WeChatMassSendJobFinished>(Assert.Single(_received));
        }

        Assert.Equal((sent.MsgId, true, 321, 321, 0), (e.MsgId, e.Succeeded, e.TotalCount, e.SentCount, e.ErrorCount));
        // Another account's receiver (same token, different appid) cannot open it.
        var stranger = new WeChatCallback(PlainApp, CallbackToken, AesKey);
        var encrypt = push.Body.Split("<![CDATA[")[2].Split("]]>")[0];
        Assert.Throws<WeChatCallbackException>(() => stranger.Decrypt(encrypt));
    }

    [Fact]
    public async Task UnansweredPush_IsRetriedAfterTheTimeout_UntilAnswered()
    {
        Interlocked.Exchange(ref _slowAnswers, 2);
        var creds = new WeChatCredentials(PlainApp, Secret);
        await _client.SubmitPublishAsync(creds, await DraftAsync(creds, "重试推送"), CancellationToken.None);

        var push = await WaitForPushAsync(p => p.AppId == PlainApp);

        Assert.Equal(3, push.Attempts);
        Assert.Equal(200, push.StatusCode);
        Assert.Equal(3, _receiver.Requests.Count);
        Assert.Single(_receiver.Requests.Select(r => r.Query["nonce"]).Distinct());
    }

    [Fact]
    public async Task NeverAnswered_StopsAfterThreeRetries()
    {
        Interlocked.Exchange(ref _slowAnswers, 100);
        var creds = new WeChatCredentials(PlainApp, Secret);
        await _client.SubmitPublishAsync(creds, await DraftAsync(creds, "无人应答"), CancellationToken.None);

        var push = await WaitForPushAsync(p => p.AppId == PlainApp);

        Assert.Equal(4, push.Attempts);
        Assert.Null(push.StatusCode);
    }

    [Fact]
    public async Task ReviewRejected_IsPushedWithFailIdx_AndCallbackCanBeSetAtRuntime()
    {
        using var http = new HttpClient { BaseAddress = _sandbox.BaseAddress };
        var set = await http.PostAsJsonAsync($"_sandbox/callback?appid={SafeApp}",
            new { url = new Uri(_receiver.BaseAddress, "wechat/callback/" + PlainApp).ToString(), token = CallbackToken });
        var bad = await http.PostAsJsonAsync($"_sandbox/callback?appid={SafeApp}", new { url = "http://127.0.0.1:1/", token = "t", encodingAesKey = "short" });
        _sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", PublishStatus = 4 });
        // The safe app now pushes in plain mode to the plain receiver, whose appid check does not apply to plain XML.
        var creds = new WeChatCredentials(SafeApp, Secret);
        await _client.SubmitPublishAsync(creds, await DraftAsync(creds, "审核不通过"), CancellationToken.None);

        var push = await WaitForPushAsync(p => p.AppId == SafeApp);

        Assert.Equal(204, (int)set.StatusCode);
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.False(push.Encrypted);
        WeChatPublishJobFinished e;
        lock (_received)
        {
            e = Assert.IsType<WeChatPublishJobFinished>(Assert.Single(_received));
        }

        Assert.Equal((WeChatPublishStatus.RejectedByReview, (string?)null), (e.Status, e.ArticleId));
        Assert.Equal([1], e.FailedIndexes);
        var listed = JsonNode.Parse(await http.GetStringAsync("_sandbox/pushes"))!.AsArray();
        Assert.Equal("PUBLISHJOBFINISH", listed.Single()!["event"]!.GetValue<string>());
    }
}
