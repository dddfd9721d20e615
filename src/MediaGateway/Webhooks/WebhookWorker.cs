using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Storage;
using MediaGateway.Webhooks.Subscriptions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Webhooks;

/// <summary>
/// Records every event in the audit chain and turns it into deliveries (one per interested subscription), then has the
/// <see cref="WebhookSender"/> send them. Fan-out and sending run as two loops, so sending never holds up the audit chain.
/// </summary>
internal sealed partial class WebhookWorker(
    WebhookStore store, Audit.AuditLog audit, SubscriptionStore subscriptions, SubscriptionSeeding seeding, WebhookSender sender,
    AccountRegistry accounts, StreamPoller poller, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(
            Task.Run(() => poller.RunAsync(new StreamPoll
            {
                Name = "webhook fan-out",
                Streams = [store.EventStream],
                Group = RedisKeys.WebhookGroup,
                Consumer = $"{Environment.MachineName}-{Environment.ProcessId}",
                BatchSize = WebhookStore.EventBatch,
                // An event another process took and did not fan out within a sender's lease: that process is gone.
                ReclaimAfter = sender.Lease,
                // Acknowledged in the transaction that appends it to the audit chain and creates its deliveries.
                AcknowledgeAfterHandling = false,
                BeforeRead = async _ =>
                {
                    await seeding.EnsureAsync();
                    return false;
                },
            }, FanOutAsync, stoppingToken), stoppingToken),
            Task.Run(() => SendAsync(stoppingToken), stoppingToken));
        await sender.DrainAsync();
    }

    /// <summary>The delivery loop: sends what is due (a due set, not a stream), backing off while nothing is.</summary>
    private async Task SendAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(10);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await seeding.EnsureAsync();
                if (await sender.SendDueAsync(stoppingToken))
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
                Log.RedisUnavailable(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private async Task FanOutAsync(IReadOnlyList<StreamMessage> batch, CancellationToken stoppingToken)
    {
        var entries = batch.Select(m => m.Entry).ToArray();
        await subscriptions.RefreshAsync();
        var events = entries.Select(entry => Parse(entry["event"])).ToArray();
        var deliveriesOf = events.Select(Deliveries).ToArray();
        // Usually the whole batch goes in one transaction: every event appended to the audit chain in order, with its
        // deliveries and its acknowledgement. If another process moved the chain or took one of the events, one by one below.
        var readable = Enumerable.Range(0, entries.Length).Where(i => events[i] is not null).ToArray();
        var batchHead = await audit.HeadAsync();
        if (await store.CreateBatchAsync(Enumerable.Range(0, entries.Length).Select(i => (deliveriesOf[i], entries[i].Id)).ToList(), time.GetUtcNow(),
                tx => audit.AppendAll(tx, batchHead, readable.Select(i => events[i]!).ToList()), options.Value.Retention))
        {
            return;
        }

        // One round trip for the whole batch: which events another process already put in the chain.
        var audited = await Task.WhenAll(events.Select(e => e is null ? Task.FromResult(false) : audit.ContainsAsync(e.Id)));
        (long Seq, string Hash, RedisValue Stored)? head = null;
        for (var i = 0; i < entries.Length; i++)
        {
            var (entry, e) = (entries[i], events[i]);
            // An event already in the chain (another process got it first) is only acknowledged, never appended twice.
            if (audited[i])
            {
                await store.CreateAsync([], entry.Id, time.GetUtcNow(), _ => { });
                continue;
            }

            var deliveries = deliveriesOf[i];
            // The audit append (P7) and the deliveries land together, conditional on the chain head; if another gateway
            // moved the head first, read it again and retry. An event is never acknowledged before it is in the chain.
            // After a successful append the new head is known, so the next event needs no read.
            for (var attempt = 0; attempt < 20; attempt++)
            {
                head ??= await audit.HeadAsync();
                Audit.StoredAuditEntry? appended = null;
                var at = head.Value;
                if (await store.CreateAsync(deliveries, entry.Id, time.GetUtcNow(), tx =>
                    {
                        if (e is not null) appended = audit.Append(tx, at, e);
                    }, options.Value.Retention))
                {
                    if (appended is not null) head = (appended.Entry.Seq, appended.Hash, (RedisValue)$"{appended.Entry.Seq}:{appended.Hash}");
                    break;
                }

                head = null;
                if (e is not null && await audit.ContainsAsync(e.Id))
                {
                    await store.CreateAsync([], entry.Id, time.GetUtcNow(), _ => { });
                    break;
                }
            }
        }
    }

    /// <summary>
    /// One delivery per enabled subscription that wants the event, all with the same body. The body is built only when
    /// some subscription wants the event: for an item with many accounts it is large, and most events reach nobody.
    /// </summary>
    private IReadOnlyList<WebhookDelivery> Deliveries(GatewayEvent? e)
    {
        if (e is null) return [];
        var wanting = subscriptions.Cached.Where(s => s.Wants(e, accounts)).ToList();
        if (wanting.Count == 0) return [];
        var body = Payload(e);
        var now = time.GetUtcNow();
        return wanting.Select(s => new WebhookDelivery
        {
            Id = $"{e.Id}.{s.Id}", EventId = e.Id, EventType = e.Type, SubscriptionId = s.Id, Body = body, CreatedAt = now,
        }).ToList();
    }

    /// <summary>Parsed from the stored UTF-8: an event for an item with many accounts is over 100 KB, twice that as a string.</summary>
    private GatewayEvent? Parse(RedisValue stored)
    {
        try
        {
            return stored.IsNull ? null : Json.Deserialize<GatewayEvent>(stored);
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

        if (e.Broadcast && e.Type.StartsWith("calendar.", StringComparison.Ordinal)) links["calendar"] = Link("/api/calendar/status");
        if (links.Count > 0) data["links"] = links;
        return new JsonObject { ["type"] = e.Type, ["timestamp"] = e.OccurredAt.ToString("O"), ["data"] = data }
            .ToJsonString(Json.Options);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.WebhookEventUnreadable, LogLevel.Error, "An event in the stream cannot be read and is skipped: {Reason}")]
        public static partial void UnreadableEvent(ILogger logger, string reason);

        [LoggerMessage(EventIds.WebhookRedisUnavailable, LogLevel.Warning, "Redis unavailable in the webhook loop; retrying")]
        public static partial void RedisUnavailable(ILogger logger, Exception exception);
    }
}
