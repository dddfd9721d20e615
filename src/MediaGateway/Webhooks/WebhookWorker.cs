using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Storage;
using MediaGateway.Webhooks.Subscriptions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Webhooks;

/// <summary>
/// Records every event in the audit chain and turns it into deliveries (one per interested subscription), then has the
/// <see cref="WebhookSender"/> send them. Fan-out and sending run as two loops, so sending never holds up the audit chain.
/// </summary>
public sealed partial class WebhookWorker(
    WebhookStore store, Audit.AuditLog audit, SubscriptionStore subscriptions, SubscriptionSeeding seeding, WebhookSender sender,
    AccountRegistry accounts, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookWorker> logger) : BackgroundService
{
    private bool _groupReady;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(
            Task.Run(() => PollAsync(FanOutAsync, stoppingToken), stoppingToken),
            Task.Run(() => PollAsync(sender.SendDueAsync, stoppingToken), stoppingToken));
        await sender.DrainAsync();
    }

    private async Task PollAsync(Func<CancellationToken, Task<bool>> work, CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(10);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await seeding.EnsureAsync();
                if (await work(stoppingToken))
                {
                    idle = TimeSpan.FromMilliseconds(10);
                    continue;
                }

                await Task.Delay(idle, time, stoppingToken);
                idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, 250));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or RedisCommandException or TimeoutException)
            {
                _groupReady = !StreamGroups.IsMissingGroup(e) && _groupReady;
                Log.RedisUnavailable(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private async Task<bool> FanOutAsync(CancellationToken stoppingToken)
    {
        if (!_groupReady)
        {
            await store.EnsureGroupAsync();
            _groupReady = true;
        }

        var entries = await store.ReadEventsAsync($"{Environment.MachineName}-{Environment.ProcessId}", sender.Lease);
        if (entries.Length > 0) await subscriptions.RefreshAsync();
        foreach (var entry in entries)
        {
            var e = Parse((string?)entry["event"]);
            var deliveries = e is null
                ? []
                : subscriptions.Cached.Where(s => s.Wants(e, accounts)).Select(s => new WebhookDelivery
                {
                    Id = $"{e.Id}.{s.Id}", EventId = e.Id, EventType = e.Type, SubscriptionId = s.Id,
                    Body = Payload(e), CreatedAt = time.GetUtcNow(),
                }).ToList();
            // The audit append (P7) and the deliveries land together; if another gateway moved the audit head
            // first, read it again and retry. An event is never acknowledged before it is in the audit chain,
            // and never appended twice: one already in the chain (another process got it first) is only acknowledged.
            if (e is not null && await audit.ContainsAsync(e.Id))
            {
                await store.CreateAsync([], entry.Id, time.GetUtcNow(), _ => { });
                continue;
            }

            for (var attempt = 0; attempt < 20; attempt++)
            {
                var head = await audit.HeadAsync();
                if (await store.CreateAsync(deliveries, entry.Id, time.GetUtcNow(), tx =>
                    {
                        if (e is not null) audit.Append(tx, head, e);
                    }, options.Value.Retention))
                {
                    break;
                }
            }
        }

        return entries.Length > 0;
    }

    private GatewayEvent? Parse(string? json)
    {
        try
        {
            return json is null ? null : Json.Deserialize<GatewayEvent>(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            Log.UnreadableEvent(logger, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The Standard Webhooks payload shape: type, timestamp, data. The data carries the event id and links back to the
    /// item and the accounts (absolute when <see cref="WebhookOptions.PublicBaseUrl"/> is set).
    /// </summary>
    private string Payload(GatewayEvent e) => Payload(e, options.Value.PublicBaseUrl);

    internal static string Payload(GatewayEvent e, Uri? baseUrl)
    {
        var data = e.Data.DeepClone().AsObject();
        data["eventId"] = e.Id;
        string Link(string path) => baseUrl is null ? path : new Uri(baseUrl, path).ToString();
        var links = new JsonObject();
        if (e.ContentId is not null)
        {
            links["content"] = Link($"/api/content/{e.ContentId}");
            links["audit"] = Link($"/api/content/{e.ContentId}/audit");
        }

        if (e.AccountIds.Count > 0)
        {
            links["accounts"] = new JsonArray(e.AccountIds.Select(id => (JsonNode)Link($"/api/accounts/{id}/history")!).ToArray());
        }

        if (links.Count > 0) data["links"] = links;
        return new JsonObject { ["type"] = e.Type, ["timestamp"] = e.OccurredAt.ToString("O"), ["data"] = data }
            .ToJsonString(Json.Options);
    }

    private static partial class Log
    {
        [LoggerMessage(3003, LogLevel.Error, "An event in the stream cannot be read and is skipped: {Reason}")]
        public static partial void UnreadableEvent(ILogger logger, string reason);

        [LoggerMessage(3002, LogLevel.Warning, "Redis unavailable in the webhook loop; retrying")]
        public static partial void RedisUnavailable(ILogger logger, Exception exception);
    }
}
