using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Hosting;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Options;

namespace MediaGateway.Notifications;

/// <summary>
/// Tells the review groups' robots what waits for them: reads the event stream (its own consumer group, new events only),
/// turns the events a reviewer or operator must act on into one-line notices (<see cref="NoticeFor"/>), hands each to the
/// robots of the departments that may see the item's accounts, and flushes the robots once a second within their budget.
/// A notice is a reminder, not a record: the item still waits in the console, so notices pending in memory when the
/// process stops are not sent.
/// </summary>
internal sealed class RobotNotifier(IOptions<NotificationsOptions> options, ConfigDirectory configDirectory, AccountRegistry accounts,
    StreamPoller poller, RedisKeys keys, TimeProvider time, ILogger<RobotNotifier> logger) : BackgroundService
{
    public const string Group = "robots";
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(10) };
    private List<(RobotSender Sender, IReadOnlyList<string> Departments)> _robots = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _robots = [.. options.Value.Robots.Select(r => (new RobotSender(r.Key, r.Value.Kind,
            SecretReference.Resolve(r.Value.UrlRef, $"{NotificationsOptions.Section}:Robots:{r.Key}:UrlRef", configDirectory),
            r.Value.SignSecretRef is null ? null
                : SecretReference.Resolve(r.Value.SignSecretRef, $"{NotificationsOptions.Section}:Robots:{r.Key}:SignSecretRef", configDirectory),
            _http, options.Value.PerMinute, logger), (IReadOnlyList<string>)r.Value.Departments))];
        if (_robots.Count == 0) return;
        await Task.WhenAll(
            Task.Run(() => poller.RunAsync(new StreamPoll
            {
                Name = "robot notices",
                Streams = [keys.EventStream],
                Group = Group,
                GroupStart = "$",
                Consumer = $"{Environment.MachineName}-{Environment.ProcessId}",
                BatchSize = 100,
                AcknowledgeAfterHandling = true,
            }, (messages, _) => { Route(messages); return Task.CompletedTask; }, stoppingToken), stoppingToken),
            Task.Run(() => FlushLoopAsync(stoppingToken), stoppingToken));
    }

    private void Route(IReadOnlyList<StreamMessage> messages)
    {
        foreach (var message in messages)
        {
            var raw = message.Entry["event"];
            if (raw.IsNull) continue;
            var e = Json.Deserialize<GatewayEvent>(raw);
            if (NoticeFor(e) is not { } line || e.AccountIds.Count == 0) continue;
            foreach (var (sender, departments) in _robots.Where(r => r.Departments.Any(d => accounts.AllVisibleTo(e.AccountIds, d))))
            {
                sender.Add(new Notice(line, e.OccurredAt));
            }
        }
    }

    private async Task FlushLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var (sender, _) in _robots) await sender.FlushAsync(time.GetUtcNow(), stoppingToken);
            await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
        }
    }

    /// <summary>The line a review group reads, or null for events nobody must act on. Titles only: no secret, no personal data.</summary>
    public static string? NoticeFor(GatewayEvent e)
    {
        var title = e.Data["title"]?.GetValue<string>() is { Length: > 0 } t ? $"《{t}》" : e.ContentId ?? "";
        return e.Type switch
        {
            EventTypes.ReviewRequested => $"有稿件等待第 {Level(e.Data)} 级审核：{title}",
            EventTypes.DeadlineApproaching => $"稿件即将到期，请尽快处理：{title}",
            EventTypes.DeadlineMissed => $"稿件已超过发布时限：{title}",
            EventTypes.PublicationFailed or EventTypes.PublicationDeadLettered => $"发布失败，需要处理：{title}",
            EventTypes.PublicationMissed => $"定时发布已错过，需要决定是否补发：{title}",
            EventTypes.RetractionRequested => $"有撤回申请等待审批：{title}",
            _ => null,
        };
    }

    private static string Level(JsonObject data) => data["level"]?.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
