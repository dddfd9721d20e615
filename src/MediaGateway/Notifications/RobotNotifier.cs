using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Hosting;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Options;

namespace MediaGateway.Notifications;

/// <summary>
/// Tells the review groups' robots what waits for them. It follows the audit chain in its own consumer group ("robots",
/// from now on, through the shared <see cref="StreamPoller"/>): every event is appended there once, in order, after the
/// webhook fan-out has taken it, and the chain is never trimmed (the event stream is: the fan-out deletes what it has
/// handled, so a second group on it would see nothing). The events a reviewer or operator must act on become one-line
/// notices (<see cref="NoticeFor"/>) for the robots of the departments that may see the item's accounts; the robots are
/// flushed every half second within their budget. A notice is a reminder, not a record: the item still waits in the
/// console, so notices pending in memory when the process stops are not sent.
/// </summary>
internal sealed partial class RobotNotifier(IOptions<NotificationsOptions> options, ConfigDirectory configDirectory, AccountRegistry accounts,
    StreamPoller poller, Audit.AuditLog audit, TimeProvider time, ILogger<RobotNotifier> logger) : BackgroundService
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
                Streams = [audit.Stream],
                Group = Group,
                Consumer = $"{Environment.MachineName}-{Environment.ProcessId}",
                GroupStart = "$", // a robot tells what happens from now on, not the history
                BatchSize = 100,
                ReclaimAfter = TimeSpan.FromMinutes(1),
                ReclaimInterval = TimeSpan.FromMinutes(1),
                AcknowledgeAfterHandling = true,
                IdleMin = TimeSpan.FromMilliseconds(100),
                IdleMax = TimeSpan.FromSeconds(1),
            }, RouteAsync, stoppingToken), stoppingToken),
            Task.Run(() => FlushAsync(stoppingToken), stoppingToken));
    }

    private async Task FlushAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var (sender, _) in _robots) await sender.FlushAsync(time.GetUtcNow(), stoppingToken);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private Task RouteAsync(IReadOnlyList<StreamMessage> batch, CancellationToken cancellationToken)
    {
        foreach (var message in batch)
        {
            Audit.AuditEntry entry;
            try
            {
                ReadOnlyMemory<byte> body = message.Entry["body"];
                entry = Json.DeserializeUtf8<Audit.AuditEntry>(body.Span);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentNullException)
            {
                LogUnreadable(logger, message.Entry.Id.ToString());
                continue; // the chain verifier reports damaged entries; a reminder skips them
            }

            Route(new GatewayEvent(entry.EventId, entry.Type, entry.At, entry.AccountIds, entry.Details) { Actor = entry.Actor, ContentId = entry.ContentId });
        }

        return Task.CompletedTask;
    }

    private void Route(GatewayEvent e)
    {
        if (e.AccountIds is not { Count: > 0 } || NoticeFor(e) is not { } line) return;
        foreach (var (sender, _) in _robots.Where(r => r.Departments.Any(d => accounts.AllVisibleTo(e.AccountIds, d))))
        {
            sender.Add(new Notice(line, e.OccurredAt));
        }
    }

    /// <summary>The line a review group reads, or null for events nobody must act on. Titles only: no secret, no personal data.</summary>
    public static string? NoticeFor(GatewayEvent e)
    {
        var title = (e.Data?["content"]?["title"] ?? e.Data?["title"]) is JsonValue v && v.TryGetValue<string>(out var t) && t.Length > 0 ? $"《{t}》" : e.ContentId ?? "";
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

    private static string Level(JsonObject? data) =>
        data?["level"] is JsonValue v && v.TryGetValue<int>(out var level) ? level.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";

    [LoggerMessage(Observability.EventIds.RobotEventsUnread, LogLevel.Warning, "robot notices: audit entry {EntryId} is unreadable; no notice for it")]
    private static partial void LogUnreadable(ILogger logger, string entryId);

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
