using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaGateway.Notifications;

/// <summary>What happened to a robot's messages in one flush.</summary>
internal enum RobotState
{
    /// <summary>Sending (or nothing to send).</summary>
    Ready,
    /// <summary>The platform refused the robot for good (removed robot, wrong key or signature): an administrator must fix the configuration.</summary>
    Disabled,
}

/// <summary>
/// One review group's robot: formats the notices as the platform wants them (WeCom markdown, DingTalk markdown with the
/// 加签 timestamp and signature), sends them within the budget through a <see cref="RobotBatcher"/>, and reads the
/// platform's errcode. Its URL and signing secret are never logged or shown (<see cref="ToString"/> names the robot only).
/// </summary>
internal sealed partial class RobotSender(string name, RobotKind kind, string url, string? signSecret, HttpClient http, int perMinute, ILogger logger)
{
    /// <summary>Bytes of text per message: below WeCom's 4096-byte markdown limit, far below DingTalk's 20000-byte body.</summary>
    public const int MaxTextBytes = 4000;

    /// <summary>At most this many pending notices are read for one message (a message holds far fewer lines).</summary>
    private const int PeekLimit = 200;

    private readonly RobotBatcher _batcher = new(perMinute, MaxTextBytes);

    public string Name => name;
    public RobotState State { get; private set; } = RobotState.Ready;

    /// <summary>
    /// Sends what waits in <paramref name="queue"/> as far as the budget allows now; a notice leaves the queue only once the
    /// platform took its message, so a rate refusal or a failure keeps it for the next minute and nothing is dropped.
    /// </summary>
    public async Task FlushAsync(IRobotQueue queue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (State == RobotState.Ready && _batcher.HasSlot(now))
        {
            var pending = await queue.PeekAsync(PeekLimit);
            if (pending.Count == 0) return;
            var batch = _batcher.Compose(pending, pending.Count < PeekLimit ? pending.Count : await queue.CountAsync());
            _batcher.Sent(now);
            int errcode;
            try
            {
                using var response = await http.PostAsJsonAsync(Address(now), Body(batch.Text), cancellationToken);
                var answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
                errcode = response.IsSuccessStatusCode ? answer?["errcode"]?.GetValue<int>() ?? -1 : -1;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
            {
                // The message names the exception type only: an exception's text may carry the URL, and the URL is the secret.
                LogSendFailed(logger, name, e.GetType().Name);
                errcode = -1;
            }

            switch (errcode)
            {
                case 0:
                    if (await queue.RemoveAsync(batch.Count)) continue;
                    return; // another gateway sends for this robot now: it starts from what is still in the list
                case 93000 or 300001 or 310000:
                    LogDisabled(logger, name, errcode);
                    State = RobotState.Disabled;
                    return;
                default:
                    // 45009 / 130101 (too fast), a platform error or no answer: the notices stay, this minute is spent.
                    _batcher.Refused(now);
                    return;
            }
        }
    }

    private string Address(DateTimeOffset now)
    {
        if (kind != RobotKind.DingTalk || signSecret is null) return url;
        var timestamp = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return $"{url}&timestamp={timestamp}&sign={Uri.EscapeDataString(Sign(timestamp, signSecret))}";
    }

    /// <summary>DingTalk 加签: base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)).</summary>
    public static string Sign(string timestamp, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));

    private JsonObject Body(string text) => kind == RobotKind.WeCom
        ? new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = text } }
        : new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["title"] = "媒体网关提醒", ["text"] = text } };

    public override string ToString() => $"robot {name} ({kind})";

    [LoggerMessage(Observability.EventIds.RobotSendFailed, LogLevel.Warning, "robot {Robot}: sending failed ({Error}); the notices wait for the next round")]
    private static partial void LogSendFailed(ILogger logger, string robot, string error);

    [LoggerMessage(Observability.EventIds.RobotDisabled, LogLevel.Error,
        "robot {Robot}: the platform refused it with errcode {Errcode} (robot removed, wrong key or signature); it is disabled until the configuration is fixed, the items still wait in the console")]
    private static partial void LogDisabled(ILogger logger, string robot, int errcode);
}
