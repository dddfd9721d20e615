using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Hosting;
using MediaGateway.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Webhooks;

/// <summary>Section "Webhooks" (subscriptions are read by <see cref="WebhookSubscriptions"/>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Seconds to wait before each retry; the default follows the Standard Webhooks example (~3 days).</summary>
    public List<int> RetryScheduleSeconds { get; set; } = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400];

    [System.ComponentModel.DataAnnotations.Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 15;
}

/// <summary>
/// Records every event in the audit chain and turns it into deliveries (one per interested subscription) and sends them signed per Standard
/// Webhooks: 2xx is success, redirects are not followed, anything else is retried on the schedule.
/// </summary>
public sealed partial class WebhookWorker(
    WebhookStore store, Audit.AuditLog audit, WebhookSubscriptions subscriptions, AccountRegistry accounts, IHttpClientFactory http,
    IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookWorker> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    /// <summary>How long a claimed delivery or event is ours: longer than any send can take, so a slow receiver is never sent to twice.</summary>
    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.TimeoutSeconds + 30);

    private bool _groupReady;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(
            Task.Run(() => PollAsync(FanOutAsync, stoppingToken), stoppingToken),
            Task.Run(() => PollAsync(SendDueAsync, stoppingToken), stoppingToken));
    }

    private async Task PollAsync(Func<CancellationToken, Task<bool>> work, CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(10);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
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

        var entries = await store.ReadEventsAsync($"{Environment.MachineName}-{Environment.ProcessId}", Lease);
        foreach (var entry in entries)
        {
            var e = Parse((string?)entry["event"]);
            var deliveries = e is null
                ? []
                : subscriptions.All.Where(s => s.Wants(e, accounts)).Select(s => new WebhookDelivery
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
                    }))
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

    /// <summary>The Standard Webhooks payload shape: type, timestamp, data (with the event id inside).</summary>
    private static string Payload(GatewayEvent e)
    {
        var data = e.Data.DeepClone().AsObject();
        data["eventId"] = e.Id;
        return new JsonObject { ["type"] = e.Type, ["timestamp"] = e.OccurredAt.ToString("O"), ["data"] = data }
            .ToJsonString(Json.Options);
    }

    private async Task<bool> SendDueAsync(CancellationToken stoppingToken)
    {
        var due = await store.ClaimDueAsync(time.GetUtcNow(), Lease, 32);
        await Task.WhenAll(due.Select(id => SendAsync(id, stoppingToken)));
        return due.Length > 0;
    }

    private async Task SendAsync(string deliveryId, CancellationToken stoppingToken)
    {
        var delivery = await store.GetAsync(deliveryId);
        var subscription = delivery is null ? null : subscriptions.Find(delivery.SubscriptionId);
        if (delivery is null || subscription is null || delivery.State != DeliveryState.Pending)
        {
            await store.RemoveDueAsync(deliveryId);
            return;
        }

        var attempt = delivery.Attempts + 1;
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigner.Sign(subscription.SigningKey, delivery.Id, timestamp, delivery.Body));

        int? status = null;
        string? error = null;
        var watch = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException e)
        {
            error = e.HttpRequestError.ToString();
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            error = "timeout";
        }

        var now = time.GetUtcNow();
        var delivered = status is >= 200 and < 300;
        var schedule = options.Value.RetryScheduleSeconds;
        var exhausted = !delivered && attempt > schedule.Count;
        var updated = delivery with
        {
            Attempts = attempt, LastStatusCode = status, LastError = error,
            State = delivered ? DeliveryState.Delivered : exhausted ? DeliveryState.Failed : DeliveryState.Pending,
        };
        var log = new DeliveryLogEntry(delivery.Id, delivery.EventId, delivery.EventType, attempt, now, status,
            watch.ElapsedMilliseconds, error, updated.State.ToString());
        DateTimeOffset? next = updated.State == DeliveryState.Pending ? now.AddSeconds(Jitter(schedule[attempt - 1])) : null;
        await store.RecordAsync(updated, log, next);
        if (!delivered)
        {
            Log.DeliveryFailed(logger, delivery.Id, subscription.Id, status, error, attempt);
        }
    }

    private static double Jitter(int seconds) => seconds * (0.9 + (Random.Shared.NextDouble() * 0.2));

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Warning, "Webhook delivery {DeliveryId} to {SubscriptionId} failed (status {Status}, error {Error}, attempt {Attempt})")]
        public static partial void DeliveryFailed(ILogger logger, string deliveryId, string subscriptionId, int? status, string? error, int attempt);

        [LoggerMessage(3003, LogLevel.Error, "An event in the stream cannot be read and is skipped: {Reason}")]
        public static partial void UnreadableEvent(ILogger logger, string reason);

        [LoggerMessage(3002, LogLevel.Warning, "Redis unavailable in the webhook loop; retrying")]
        public static partial void RedisUnavailable(ILogger logger, Exception exception);
    }
}
