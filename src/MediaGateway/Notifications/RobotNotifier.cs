using System.Text.Json.Nodes;
using MediaGateway.Hosting;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Options;

namespace MediaGateway.Notifications;

/// <summary>
/// Tells the review groups' robots what waits for them: every half second each robot sends what waits in its Redis list
/// (<see cref="NoticeStore"/>, filled by <see cref="NoticeRouter"/>) within its budget. A notice leaves the list only
/// once the platform took it, so notices pending when the gateway stops are sent after the restart, once; with several
/// gateways, the one holding a robot's lease sends for it. HTTP through the named client <see cref="HttpClientName"/>.
/// </summary>
internal sealed class RobotNotifier(IOptions<NotificationsOptions> options, ConfigDirectory configDirectory, NoticeStore store,
    IHttpClientFactory http, TimeProvider time, ILogger<RobotNotifier> logger) : BackgroundService
{
    public const string HttpClientName = "robots";
    private readonly string _owner = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>How long one gateway holds the right to send for a robot; renewed with every message the platform took.</summary>
    private static readonly TimeSpan RobotLease = TimeSpan.FromSeconds(30);
    private List<RobotSender> _robots = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _robots = [.. options.Value.Robots.Select(r => new RobotSender(r.Key, r.Value.Kind,
            SecretReference.Resolve(r.Value.UrlRef, $"{NotificationsOptions.Section}:Robots:{r.Key}:UrlRef", configDirectory),
            r.Value.SignSecretRef is null ? null
                : SecretReference.Resolve(r.Value.SignSecretRef, $"{NotificationsOptions.Section}:Robots:{r.Key}:SignSecretRef", configDirectory),
            http.CreateClient(HttpClientName), options.Value.PerMinute, logger))];
        if (_robots.Count == 0) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var sender in _robots)
            {
                try
                {
                    // A send in flight is not cancelled by the stop (the client's timeout bounds it), so what the platform
                    // took leaves the list before the gateway stops and is not sent again after a restart.
                    if (await store.LeaseRobotAsync(sender.Name, _owner, RobotLease))
                    {
                        await sender.FlushAsync(store.QueueFor(sender.Name, _owner, RobotLease), time.GetUtcNow(), CancellationToken.None);
                    }
                }
                catch (Exception e) when (e is StackExchange.Redis.RedisException or StackExchange.Redis.RedisCommandException or TimeoutException)
                {
                    // Redis is away (a hung Redis answers with a timeout, which is no RedisException): the notices wait
                    // there; the outage is reported by the health probes and the poller. Letting it escape stopped the host.
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        foreach (var sender in _robots)
        {
            try
            {
                await store.ReleaseRobotAsync(sender.Name, _owner);
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or StackExchange.Redis.RedisCommandException or TimeoutException)
            {
                // the lease runs out by itself
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
}
