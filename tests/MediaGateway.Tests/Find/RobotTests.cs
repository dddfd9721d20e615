using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MediaGateway.Notifications;
using MediaGateway.Sandbox;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MediaGateway.Tests.Find;

/// <summary>
/// The WeCom and DingTalk robot sandboxes check the wire format and answer each documented error; the gateway's
/// <see cref="RobotSender"/> signs, stays within 20 messages a minute by merging notices, and drops none. Real HTTP on loopback.
/// </summary>
public sealed class RobotTests : IAsyncLifetime, IDisposable
{
    private const string Key = "wecom-key-0001", Token = "dingtalk-token-0001", Secret = "SECdemo0001", Unsigned = "dingtalk-token-plain";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private RobotSandbox _sandbox = null!;

    public async Task InitializeAsync()
    {
        var options = new RobotSandboxOptions { TimeProvider = _time };
        options.WeComKeys.Add(Key);
        options.DingTalkRobots[Token] = Secret;
        options.DingTalkRobots[Unsigned] = null;
        _sandbox = await RobotSandbox.StartAsync(options);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private async Task<int> PostAsync(Uri url, JsonObject body)
    {
        using var response = await _http.PostAsJsonAsync(url, body);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["errcode"]!.GetValue<int>();
    }

    private static JsonObject WeComMarkdown(string content) => new() { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = content } };

    private static JsonObject DingMarkdown(string text) =>
        new() { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["title"] = "提醒", ["text"] = text } };

    private Uri Signed(string timestamp, string? sign = null) =>
        new($"{_sandbox.DingTalkUrl(Token)}&timestamp={timestamp}&sign={Uri.EscapeDataString(sign ?? RobotSender.Sign(timestamp, Secret))}");

    [Fact]
    public async Task WeCom_sandbox_checks_key_type_content_size_and_the_minute_limit()
    {
        Assert.Equal(93000, await PostAsync(_sandbox.WeComUrl("no-such-key"), WeComMarkdown("有稿件等待审核")));
        Assert.Equal(40008, await PostAsync(_sandbox.WeComUrl(Key), new JsonObject { ["msgtype"] = "voice" }));
        Assert.Equal(44004, await PostAsync(_sandbox.WeComUrl(Key), WeComMarkdown("")));
        Assert.Equal(40058, await PostAsync(_sandbox.WeComUrl(Key), WeComMarkdown(new string('审', 1366)))); // 4098 bytes
        Assert.Equal(0, await PostAsync(_sandbox.WeComUrl(Key), WeComMarkdown(new string('审', 1365)))); // 4095 bytes
        for (var n = 1; n < RobotSandbox.PerMinute; n++) Assert.Equal(0, await PostAsync(_sandbox.WeComUrl(Key), WeComMarkdown($"第{n}条")));
        Assert.Equal(45009, await PostAsync(_sandbox.WeComUrl(Key), WeComMarkdown("第21条")));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await PostAsync(_sandbox.WeComUrl(Key), WeComMarkdown("下一分钟")));
    }

    [Fact]
    public async Task DingTalk_sandbox_checks_token_signature_timestamp_window_and_body()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(300001, await PostAsync(_sandbox.DingTalkUrl("nope"), DingMarkdown("x")));
        Assert.Equal(310000, await PostAsync(_sandbox.DingTalkUrl(Token), DingMarkdown("x"))); // unsigned
        Assert.Equal(310000, await PostAsync(Signed($"{now}", RobotSender.Sign($"{now}", "wrong-secret")), DingMarkdown("x")));
        var old = now - (long)TimeSpan.FromMinutes(61).TotalMilliseconds;
        Assert.Equal(310000, await PostAsync(Signed($"{old}"), DingMarkdown("x")));
        Assert.Equal(40035, await PostAsync(Signed($"{now}"), new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["text"] = "无标题" } }));
        Assert.Equal(400102, await PostAsync(Signed($"{now}"), DingMarkdown(new string('审', 7000))));
        Assert.Equal(0, await PostAsync(Signed($"{now - 50 * 60 * 1000}"), DingMarkdown("有稿件等待审核")));
        Assert.Equal(0, await PostAsync(_sandbox.DingTalkUrl(Unsigned), new JsonObject { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = "未加签" } }));
        Assert.Equal("有稿件等待审核", Assert.Single(_sandbox.Received(Token)).Text);
    }

    [Theory]
    [InlineData("WeCom")]
    [InlineData("DingTalk")]
    public async Task A_burst_of_notices_is_merged_within_20_messages_a_minute_and_none_is_lost(string platform)
    {
        var kind = Enum.Parse<RobotKind>(platform);
        var (url, robot) = kind == RobotKind.WeCom ? (_sandbox.WeComUrl(Key).ToString(), Key) : (_sandbox.DingTalkUrl(Token).ToString(), Token);
        var sender = new RobotSender("review-group", kind, url, kind == RobotKind.DingTalk ? Secret : null, _http, 20, NullLogger.Instance);
        var queue = new MemoryRobotQueue();
        var lines = Enumerable.Range(1, 30).Select(n => $"有稿件等待第 1 级审核：《通知{n}》").ToList();

        // Ten rounds in the same minute, three notices each: the budget is never exceeded and nothing is refused.
        for (var round = 0; round < 10; round++)
        {
            foreach (var line in lines.Skip(round * 3).Take(3)) queue.Add(new Notice(line, _time.GetUtcNow()));
            await sender.FlushAsync(queue, _time.GetUtcNow(), CancellationToken.None);
            if (round == 0) await sender.FlushAsync(queue, _time.GetUtcNow(), CancellationToken.None);
        }

        Assert.Equal(0, _sandbox.Refused);
        Assert.True(_sandbox.Received(robot).Count <= 20);
        var text = string.Join("\n", _sandbox.Received(robot).Select(m => m.Text));
        Assert.All(lines, line => Assert.Contains(line, text));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task When_the_minute_is_spent_notices_wait_and_go_out_merged_in_the_next_one()
    {
        var sender = new RobotSender("review-group", RobotKind.WeCom, _sandbox.WeComUrl(Key).ToString(), null, _http, 20, NullLogger.Instance);
        var queue = new MemoryRobotQueue();
        for (var n = 0; n < 20; n++)
        {
            queue.Add(new Notice($"第{n}条", _time.GetUtcNow()));
            await sender.FlushAsync(queue, _time.GetUtcNow(), CancellationToken.None);
        }

        for (var n = 20; n < 25; n++) queue.Add(new Notice($"第{n}条", _time.GetUtcNow()));
        await sender.FlushAsync(queue, _time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(20, _sandbox.Received(Key).Count);
        Assert.Equal(5, queue.Count);

        _time.Advance(TimeSpan.FromMinutes(1));
        await sender.FlushAsync(queue, _time.GetUtcNow(), CancellationToken.None);
        var merged = _sandbox.Received(Key)[^1].Text;
        Assert.StartsWith("共 5 条提醒", merged);
        Assert.All(Enumerable.Range(20, 5), n => Assert.Contains($"第{n}条", merged));
        Assert.Equal(0, _sandbox.Refused);
    }

    [Fact]
    public async Task A_removed_robot_disables_the_sender_and_the_log_never_holds_the_key()
    {
        var logs = new StringBuilder();
        using var factory = LoggerFactory.Create(b => b.AddProvider(new TextLoggerProvider(logs)));
        var url = _sandbox.WeComUrl("removed-robot-key").ToString();
        var sender = new RobotSender("review-group", RobotKind.WeCom, url, null, _http, 20, factory.CreateLogger("robots"));
        var queue = new MemoryRobotQueue();
        queue.Add(new Notice("有稿件等待审核", _time.GetUtcNow()));
        await sender.FlushAsync(queue, _time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(RobotState.Disabled, sender.State);
        Assert.Contains("93000", logs.ToString());
        Assert.DoesNotContain("removed-robot-key", logs.ToString());
        Assert.DoesNotContain("removed-robot-key", sender.ToString());
    }

    [Fact]
    public void Events_that_need_a_person_become_one_line_notices_and_others_none()
    {
        GatewayEvent Event(string type, JsonObject data) => new("e1", type, DateTimeOffset.UtcNow, ["wx-city"], data) { ContentId = "c1" };
        Assert.Equal("有稿件等待第 2 级审核：《防汛通知》", RobotNotifier.NoticeFor(Event(EventTypes.ReviewRequested, new() { ["content"] = new JsonObject { ["title"] = "防汛通知" }, ["level"] = 2 })));
        Assert.Equal("稿件已超过发布时限：《防汛通知》", RobotNotifier.NoticeFor(Event(EventTypes.DeadlineMissed, new() { ["title"] = "防汛通知" })));
        Assert.StartsWith("稿件即将到期", RobotNotifier.NoticeFor(Event(EventTypes.DeadlineApproaching, new() { ["title"] = "x" })));
        Assert.StartsWith("发布失败", RobotNotifier.NoticeFor(Event(EventTypes.PublicationDeadLettered, new())));
        Assert.Null(RobotNotifier.NoticeFor(Event(EventTypes.PublicationSucceeded, new() { ["title"] = "x" })));
    }

    private sealed class TextLoggerProvider(StringBuilder sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new TextLogger(sink);
        public void Dispose() { }

        private sealed class TextLogger(StringBuilder sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (sink) sink.AppendLine(formatter(state, exception));
            }
        }
    }
}
