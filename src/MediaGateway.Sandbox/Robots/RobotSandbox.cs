using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MediaGateway.Sandbox;

public sealed class RobotSandboxOptions
{
    /// <summary>0 = an ephemeral port on 127.0.0.1.</summary>
    public int Port { get; set; }

    /// <summary>WeCom group robots: their webhook keys.</summary>
    public ISet<string> WeComKeys { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>DingTalk custom robots: access token → signing secret (加签); null = the robot does not sign.</summary>
    public IDictionary<string, string?> DingTalkRobots { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>The platforms' clock: the 20-a-minute windows and DingTalk's one-hour timestamp window.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>One message a robot accepted: which robot, its type and its text (markdown content or text content).</summary>
public sealed record RobotMessage(string Robot, string MsgType, string Text, DateTimeOffset At);

/// <summary>
/// The WeCom group robot (<c>POST /cgi-bin/webhook/send?key=</c>) and the DingTalk custom robot
/// (<c>POST /robot/send?access_token=&amp;timestamp=&amp;sign=</c>), checking what the platforms check: the key or token,
/// DingTalk's HmacSHA256 signature and its one-hour timestamp window, the body shape and sizes (WeCom text 2048 and
/// markdown 4096 bytes; DingTalk 20000 bytes), and 20 messages a minute per robot. Each refusal is the platform's
/// errcode (WeCom 93000, 45009, 40008, 44004, 40058; DingTalk 300001, 310000, 130101, 40035, 400102) with HTTP 200, as they answer.
/// <see cref="Fail"/> makes the next answers of a robot a chosen errcode.
/// </summary>
public sealed class RobotSandbox : IAsyncDisposable
{
    public const int PerMinute = 20, WeComTextBytes = 2048, WeComMarkdownBytes = 4096, DingTalkBytes = 20000;
    private readonly SandboxHost _host;
    private readonly RobotSandboxOptions _options;
    private readonly ConcurrentQueue<RobotMessage> _received = new();
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _sent = new();
    private readonly ConcurrentDictionary<string, (int Code, int Times)> _faults = new();
    private int _refused;

    private RobotSandbox(SandboxHost host, RobotSandboxOptions options)
    {
        _host = host;
        _options = options;
    }

    public Uri BaseAddress => _host.BaseAddress;

    /// <summary>How many requests were refused with a non-zero errcode (any reason).</summary>
    public int Refused => _refused;

    public static async Task<RobotSandbox> StartAsync(RobotSandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        RobotSandbox? sandbox = null;
        var host = await SandboxHost.StartAsync(options.Port, app =>
        {
            app.MapPost("/cgi-bin/webhook/send", (HttpContext c) => sandbox!.WeComAsync(c));
            app.MapPost("/robot/send", (HttpContext c) => sandbox!.DingTalkAsync(c));
        }, cancellationToken);
        sandbox = new RobotSandbox(host, options);
        return sandbox;
    }

    /// <summary>The WeCom robot's URL for a key (the URL is the secret).</summary>
    public Uri WeComUrl(string key) => new(BaseAddress, $"cgi-bin/webhook/send?key={Uri.EscapeDataString(key)}");

    /// <summary>The DingTalk robot's URL for a token (the sender adds timestamp and sign).</summary>
    public Uri DingTalkUrl(string token) => new(BaseAddress, $"robot/send?access_token={Uri.EscapeDataString(token)}");

    public IReadOnlyList<RobotMessage> Received(string robot) => [.. _received.Where(m => m.Robot == robot)];

    /// <summary>The next <paramref name="times"/> requests to <paramref name="robot"/> (key or token) answer <paramref name="errcode"/>.</summary>
    public void Fail(string robot, int errcode, int times) => _faults[robot] = (errcode, times);

    private async Task WeComAsync(HttpContext c)
    {
        var key = c.Request.Query["key"].ToString();
        if (!_options.WeComKeys.Contains(key)) { await RefuseAsync(c, 93000, "invalid webhook url, hint: key not found"); return; }
        if (TakeFault(key) is { } fault) { await RefuseAsync(c, fault, "sandbox fault"); return; }
        var (body, _) = await ReadAsync(c);
        var type = body?["msgtype"]?.GetValue<string>();
        if (type is not ("text" or "markdown")) { await RefuseAsync(c, 40008, "invalid message type"); return; }
        var content = body![type]?["content"]?.GetValue<string>();
        if (string.IsNullOrEmpty(content)) { await RefuseAsync(c, 44004, "empty content"); return; }
        var limit = type == "text" ? WeComTextBytes : WeComMarkdownBytes;
        if (Encoding.UTF8.GetByteCount(content) > limit) { await RefuseAsync(c, 40058, $"content exceed max length {limit}"); return; }
        if (!TakeSlot(key)) { await RefuseAsync(c, 45009, "api freq out of limit"); return; }
        _received.Enqueue(new RobotMessage(key, type, content, _options.TimeProvider.GetUtcNow()));
        await OkAsync(c);
    }

    private async Task DingTalkAsync(HttpContext c)
    {
        var token = c.Request.Query["access_token"].ToString();
        if (!_options.DingTalkRobots.TryGetValue(token, out var secret)) { await RefuseAsync(c, 300001, "token is not exist"); return; }
        if (secret is not null)
        {
            var timestamp = c.Request.Query["timestamp"].ToString();
            var sign = c.Request.Query["sign"].ToString(); // ASP.NET Core has URL-decoded it already
            if (!long.TryParse(timestamp, out var ms)
                || Math.Abs(_options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds() - ms) > TimeSpan.FromHours(1).TotalMilliseconds)
            {
                await RefuseAsync(c, 310000, "invalid timestamp");
                return;
            }

            var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(sign)))
            {
                await RefuseAsync(c, 310000, "sign not match");
                return;
            }
        }

        if (TakeFault(token) is { } fault) { await RefuseAsync(c, fault, "sandbox fault"); return; }
        var (body, bytes) = await ReadAsync(c);
        if (bytes > DingTalkBytes) { await RefuseAsync(c, 400102, "message too long"); return; }
        var type = body?["msgtype"]?.GetValue<string>();
        var text = type switch
        {
            "text" => body!["text"]?["content"]?.GetValue<string>(),
            "markdown" when body!["markdown"]?["title"] is not null => body["markdown"]?["text"]?.GetValue<string>(),
            _ => null,
        };
        if (string.IsNullOrEmpty(text)) { await RefuseAsync(c, 40035, "invalid message: msgtype, text or title missing"); return; }
        if (!TakeSlot(token)) { await RefuseAsync(c, 130101, "send too fast, exceed 20 times per minute"); return; }
        _received.Enqueue(new RobotMessage(token, type!, text, _options.TimeProvider.GetUtcNow()));
        await OkAsync(c);
    }

    private static async Task<(JsonNode? Body, long Bytes)> ReadAsync(HttpContext c)
    {
        using var buffer = new MemoryStream();
        await c.Request.Body.CopyToAsync(buffer);
        try
        {
            return (c.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true
                ? JsonNode.Parse(buffer.ToArray()) : null, buffer.Length);
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, buffer.Length);
        }
    }

    private int? TakeFault(string robot)
    {
        lock (_faults)
        {
            if (!_faults.TryGetValue(robot, out var f) || f.Times <= 0) return null;
            _faults[robot] = (f.Code, f.Times - 1);
            return f.Code;
        }
    }

    /// <summary>20 messages in any minute per robot (a sliding minute).</summary>
    private bool TakeSlot(string robot)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var sent = _sent.GetOrAdd(robot, _ => new Queue<DateTimeOffset>());
        lock (sent)
        {
            while (sent.Count > 0 && now - sent.Peek() >= TimeSpan.FromMinutes(1)) sent.Dequeue();
            if (sent.Count >= PerMinute) return false;
            sent.Enqueue(now);
            return true;
        }
    }

    private Task RefuseAsync(HttpContext c, int errcode, string errmsg)
    {
        Interlocked.Increment(ref _refused);
        return Json.WriteAsync(c.Response, new JsonObject { ["errcode"] = errcode, ["errmsg"] = errmsg });
    }

    private static Task OkAsync(HttpContext c) => Json.WriteAsync(c.Response, new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" });

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
