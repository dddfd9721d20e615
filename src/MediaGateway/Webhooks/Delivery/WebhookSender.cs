using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using MediaGateway.Webhooks.Security;
using MediaGateway.Webhooks.Subscriptions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Webhooks;

/// <summary>
/// Sends due deliveries, signed per Standard Webhooks. Claimed deliveries are started without waiting for each other,
/// at most <see cref="WebhookOptions.MaxInFlight"/> in all and <see cref="WebhookOptions.MaxInFlightPerSubscription"/>
/// per subscription; a delivery whose subscription is at its limit is put back a little later. So one slow or dead
/// endpoint holds a few senders and never delays the others.
/// </summary>
internal sealed partial class WebhookSender(
    WebhookStore store, SubscriptionStore subscriptions, SubscriptionDisabler disabler, IHttpClientFactory http,
    IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookSender> logger) : IDisposable
{
    public const string HttpClientName = "webhooks";
    private const int ResponseExcerptBytes = 1024;

    private readonly ConcurrentDictionary<string, int> _perSubscription = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(options.Value.MaxInFlight);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly ConcurrentDictionary<string, long> _logTrimmedAt = new(StringComparer.Ordinal);

    /// <summary>How long a claimed delivery is ours: longer than any send can take, so a slow receiver is never sent to twice.</summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(options.Value.TimeoutSeconds + 30);

    /// <summary>Deliveries being sent by this process now.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Claims and starts due deliveries; true when it found any.</summary>
    public async Task<bool> SendDueAsync(CancellationToken stoppingToken)
    {
        await _slots.WaitAsync(stoppingToken);
        var free = _slots.CurrentCount + 1;
        _slots.Release();
        await subscriptions.RefreshAsync();
        var now = time.GetUtcNow();
        var ids = await store.ClaimDueAsync(now, Lease, Math.Min(free, 200));
        if (ids.Length == 0) return false;
        var deliveries = await store.GetManyAsync(ids);
        var deferred = new List<string>();
        for (var i = 0; i < ids.Length; i++)
        {
            var delivery = deliveries[i];
            if (delivery is null || delivery.State != DeliveryState.Pending)
            {
                await store.RemoveDueAsync(ids[i]);
                continue;
            }

            var subscription = subscriptions.FindCached(delivery.SubscriptionId);
            if (subscription is null)
            {
                await store.RemoveDueAsync(ids[i]); // the subscription was deleted
                continue;
            }

            if (_inFlight.ContainsKey(delivery.Id)) continue; // a redelivery asked for while the attempt runs: the running one answers
            if (!TryTakeSlot(subscription.Id))
            {
                deferred.Add(delivery.Id);
                continue;
            }

            _inFlight[delivery.Id] = 0;
            var task = Task.Run(() => SendOneAsync(delivery, subscription, stoppingToken), CancellationToken.None);
            _running[task] = 0;
            _ = task.ContinueWith(t =>
            {
                _running.TryRemove(t, out _);
                _inFlight.TryRemove(delivery.Id, out _);
                ReleaseSlot(subscription.Id);
            }, TaskScheduler.Default);
        }

        await store.DeferAsync(deferred, now.AddMilliseconds(options.Value.DeferMilliseconds));
        return ids.Length > deferred.Count;
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>Waits for the deliveries in flight (at shutdown).</summary>
    public Task DrainAsync() => Task.WhenAll(_running.Keys);

    private bool TryTakeSlot(string subscriptionId)
    {
        var limit = options.Value.MaxInFlightPerSubscription;
        while (true)
        {
            var current = _perSubscription.GetOrAdd(subscriptionId, 0);
            if (current >= limit) return false;
            if (!_slots.Wait(0)) return false;
            if (_perSubscription.TryUpdate(subscriptionId, current + 1, current)) return true;
            _slots.Release();
        }
    }

    private void ReleaseSlot(string subscriptionId)
    {
        _perSubscription.AddOrUpdate(subscriptionId, 0, (_, n) => Math.Max(0, n - 1));
        _slots.Release();
    }

    private async Task SendOneAsync(WebhookDelivery delivery, WebhookSubscription subscription, CancellationToken stoppingToken)
    {
        try
        {
            await AttemptAsync(delivery, subscription, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the claim's lease runs out and another sender (or the next start) tries again.
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.RedisUnavailable(logger, e);
        }
    }

    private async Task AttemptAsync(WebhookDelivery delivery, WebhookSubscription subscription, CancellationToken stoppingToken)
    {
        var o = options.Value;
        var attempt = delivery.Attempts + 1;
        var started = time.GetUtcNow();
        var timestamp = started.ToUnixTimeSeconds();
        int? status = null;
        string? error = null;
        string? excerpt = null;
        TimeSpan? retryAfter = null;
        var clockStarted = time.GetTimestamp();
        if (!subscription.Enabled)
        {
            error = "subscription disabled / 订阅已停用";
        }
        else
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
            {
                Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("webhook-id", delivery.Id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", string.Join(' ',
                subscription.SigningKeys(started).Select(key => WebhookSigner.Sign(key, delivery.Id, timestamp, delivery.Body))));
            request.Headers.UserAgent.ParseAdd("MediaGateway-Webhooks/1.0");
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
                using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                status = (int)response.StatusCode;
                retryAfter = RetryPolicy.RetryAfter(response, time.GetUtcNow());
                excerpt = await ExcerptAsync(response, timeout.Token);
                if (status is >= 300 and < 400) error = $"redirect to {response.Headers.Location} not followed / 不跟随重定向";
            }
            catch (HttpRequestException e) when (e.InnerException is WebhookAddressRefusedException refused)
            {
                error = refused.Message;
            }
            catch (HttpRequestException e)
            {
                error = e.HttpRequestError == HttpRequestError.Unknown ? e.Message : e.HttpRequestError.ToString();
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                error = $"timeout after {o.TimeoutSeconds} s";
            }
        }

        var latency = (long)time.GetElapsedTime(clockStarted).TotalMilliseconds;
        var now = time.GetUtcNow();
        var outcome = subscription.Enabled
            ? RetryPolicy.Decide(attempt, status, retryAfter, delivery.Manual, o.Schedule, TimeSpan.FromSeconds(o.MaxRetryAfterSeconds), Random.Shared.NextDouble())
            : new AttemptOutcome(DeliveryState.Failed, null, false, HealthChange.None);
        DateTimeOffset? next = outcome.Delay is { } delay ? now + delay : null;
        var record = new DeliveryAttempt(attempt, started, timestamp, status, latency, error, excerpt, next, delivery.Manual);
        var updated = delivery with
        {
            Attempts = attempt, LastStatusCode = status, LastError = error, State = outcome.State, NextAttemptAt = next, Manual = false,
            History = [.. delivery.History, record],
        };
        var log = new DeliveryLogEntry(delivery.Id, delivery.EventId, delivery.EventType, attempt, started, status, latency, error,
            outcome.State.ToString(), next, delivery.Manual);
        var trim = now.ToUnixTimeMilliseconds() - _logTrimmedAt.GetValueOrDefault(subscription.Id) > 60_000;
        if (trim) _logTrimmedAt[subscription.Id] = now.ToUnixTimeMilliseconds();
        var (exhausted, failingSince) = await store.RecordAsync(updated, log, next, outcome.Health, o.Retention, trim);
        if (outcome.State != DeliveryState.Delivered)
        {
            Log.DeliveryFailed(logger, delivery.Id, subscription.Id, status, error, attempt);
        }

        if (outcome.DisableSubscription)
        {
            await disabler.DisableAsync(subscription.Id, "接收方返回 410 Gone / the endpoint answered 410 Gone: it no longer wants deliveries");
        }
        else if (outcome.Health == HealthChange.Exhausted && exhausted >= o.DisableAfterExhaustedDeliveries && failingSince is { } since
                 && now.ToUnixTimeMilliseconds() - since >= o.DisableAfterFailingSeconds * 1000L)
        {
            await disabler.DisableAsync(subscription.Id,
                $"持续投递失败 / sustained failure: {exhausted} deliveries in a row exhausted their retries, no success since {DateTimeOffset.FromUnixTimeMilliseconds(since):O} (last: {(status?.ToString(CultureInfo.InvariantCulture) ?? error)})");
        }
    }

    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ResponseExcerptBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) break;
            read += n;
        }

        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.WebhookDeliveryFailed, LogLevel.Warning, "Webhook delivery {DeliveryId} to {SubscriptionId} failed (status {Status}, error {Error}, attempt {Attempt})")]
        public static partial void DeliveryFailed(ILogger logger, string deliveryId, string subscriptionId, int? status, string? error, int attempt);

        [LoggerMessage(EventIds.WebhookDeliveryNotRecorded, LogLevel.Warning, "Redis unavailable while recording a webhook delivery; its lease will bring it back")]
        public static partial void RedisUnavailable(ILogger logger, Exception exception);
    }
}
