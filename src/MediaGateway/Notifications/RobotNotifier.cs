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
/// robots of the departments that may see the item's accounts, and flushes the robots every half second within their budget.
/// A notice is a reminder, not a record: the item still waits in the console, so notices pending in memory when the
/// process stops are not sent.
/// </summary>
internal sealed partial class RobotNotifier(IOptions<NotificationsOptions> options, ConfigDirectory configDirectory, AccountRegistry accounts,
    StackExchange.Redis.IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time, ILogger<RobotNotifier> logger) : BackgroundService
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
        var db = redis.GetDatabase();
        var consumer = $"{Environment.MachineName}-{Environment.ProcessId}";
        var groupReady = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // New events only: a robot tells what happens from now on, not the history.
                if (!groupReady) await StreamGroups.EnsureAsync(db, keys.EventStream, Group, "$");
                groupReady = true;
                var entries = await db.StreamReadGroupAsync(keys.EventStream, Group, consumer, ">", 100);
                Route(entries);
                if (entries.Length > 0) await db.StreamAcknowledgeAsync(keys.EventStream, Group, [.. entries.Select(e => e.Id)]);
                foreach (var (sender, _) in _robots) await sender.FlushAsync(time.GetUtcNow(), stoppingToken);
                if (entries.Length > 0) continue;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException or System.Text.Json.JsonException)
            {
                if (StreamGroups.IsMissingGroup(e)) groupReady = false;
                LogReadFailed(logger, e.GetType().Name);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, stoppingToken);
        }
    }

    private void Route(StackExchange.Redis.StreamEntry[] entries)
    {
        foreach (var entry in entries)
        {
            var raw = entry["event"];
            if (raw.IsNull) continue;
            var e = Json.Deserialize<GatewayEvent>(raw);
            if (e.AccountIds is not { Count: > 0 } || NoticeFor(e) is not { } line) continue;
            foreach (var (sender, departments) in _robots.Where(r => r.Departments.Any(d => accounts.AllVisibleTo(e.AccountIds, d))))
            {
                sender.Add(new Notice(line, e.OccurredAt));
            }
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

    [LoggerMessage(Observability.EventIds.RobotEventsUnread, LogLevel.Warning, "robot notices: reading the event stream failed ({Error}); trying again")]
    private static partial void LogReadFailed(ILogger logger, string error);

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
