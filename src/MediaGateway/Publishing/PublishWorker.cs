using MediaGateway.Hosting;
using MediaGateway.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Publishing;

/// <summary>
/// Publisher loops. Each keeps up to Publishing:InFlightPerWorker publications in progress at once and
/// takes new entries from the work streams (consumer group) as slots free up — emergency lane first, so an
/// emergency item overtakes any routine backlog as soon as a slot is free. The reading is the shared
/// <see cref="StreamPoller"/>'s (decision 34): every quarter second it also reclaims entries a dead worker left
/// unacknowledged past the lease (XAUTOCLAIM), and the loop moves due publications into the streams. Idle loops back
/// off up to Publishing:IdlePollMaxMilliseconds. A worker's lease is renewed by a step's save once a tenth of it has
/// passed, and released by the save that acknowledges the entry.
/// On stop (SIGTERM) no new work is taken and no new step starts; a platform call in flight gets up to
/// Publishing:DrainSeconds to finish, and every unfinished entry is handed back to the stream at once, so
/// another instance (or the next start) resumes it without waiting for the lease.
/// </summary>
internal sealed partial class PublishWorker(
    PublishQueue queue, PublicationStore store, PublicationProcessor processor, Observability.GatewayTracing tracing, StreamPoller poller,
    IOptions<PublishingOptions> options, TimeProvider time, ILogger<PublishWorker> logger) : BackgroundService
{
    private static readonly TimeSpan HousekeepingInterval = TimeSpan.FromMilliseconds(250);
    private readonly PublishingOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // In-flight platform calls are cancelled only DrainSeconds after the stop was asked for.
        using var drain = new CancellationTokenSource();
        await using var registration = stoppingToken.Register(() => drain.CancelAfter(TimeSpan.FromSeconds(_options.DrainSeconds)));
        await Task.WhenAll(Enumerable.Range(0, _options.Workers)
            .Select(i => Task.Run(() => LoopAsync($"{Environment.MachineName}-{Environment.ProcessId}-{i}", stoppingToken, drain.Token), CancellationToken.None)));
    }

    private async Task LoopAsync(string consumer, CancellationToken stoppingToken, CancellationToken drainToken)
    {
        var lease = TimeSpan.FromSeconds(_options.LeaseSeconds);
        var inFlight = new List<Task>();
        var lastHousekeeping = DateTimeOffset.MinValue;
        await poller.RunAsync(new StreamPoll
        {
            Name = "publishing",
            Streams = queue.Streams,
            Group = RedisKeys.PublishGroup,
            Consumer = consumer,
            BatchSize = _options.InFlightPerWorker,
            // An entry a worker took and did not finish within the lease: the worker died or hung (its lease ran out too).
            ReclaimAfter = lease,
            ReclaimInterval = HousekeepingInterval,
            // A step's save acknowledges its entry, in the same script (decision 21).
            AcknowledgeAfterHandling = false,
            IdleMax = TimeSpan.FromMilliseconds(_options.IdlePollMaxMilliseconds),
            Room = () =>
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                return _options.InFlightPerWorker - inFlight.Count;
            },
            Wake = () => inFlight.Count == 0 ? null : Task.WhenAny(inFlight),
            BeforeRead = async _ =>
            {
                var now = time.GetUtcNow();
                if (now - lastHousekeeping < HousekeepingInterval) return false;
                lastHousekeeping = now;
                return await queue.MoveDueAsync(now) > 0;
            },
        }, (batch, _) =>
        {
            foreach (var message in batch)
            {
                inFlight.Add(HandleAsync(queue.EntryOf(message), consumer, lease, stoppingToken, drainToken));
            }

            return Task.CompletedTask;
        }, stoppingToken);

        // Draining: the publications in progress finish their current step (or are cancelled after DrainSeconds).
        await Task.WhenAll(inFlight);
    }

    /// <summary>Works on one entry; never throws (a failure is logged and the entry stays pending for a reclaim).</summary>
    private async Task HandleAsync(QueueEntry entry, string consumer, TimeSpan lease, CancellationToken stoppingToken, CancellationToken drainToken)
    {
        var publicationId = (string?)entry.Entry["pub"];
        string? token = null;
        PublicationLease? held = null;
        try
        {
            if (publicationId is null)
            {
                await store.AcknowledgeAsync(entry);
                return;
            }

            // The lease is asked for and the publication read in one round trip: Redis runs the read after the SET NX, so
            // when the lease is ours the read shows every save of its previous holder.
            var leasedAt = TimeProvider.System.GetTimestamp();
            var leasing = queue.TryLeaseAsync(publicationId, lease);
            var reading = store.GetAsync(publicationId);
            token = await leasing;
            if (token is null)
            {
                // Another worker holds it; this entry stays pending and is reclaimed if that worker dies.
                await ((Task)reading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                return;
            }

            // The platform calls join the item's trace; log lines carry the item and the publication.
            var contentId = Observability.GatewayTracing.ContentIdOf(publicationId);
            using var span = await tracing.StartInItemTraceAsync("publish", contentId);
            span?.SetTag("mediagateway.publication", publicationId);
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["ContentId"] = contentId, ["PublicationId"] = publicationId });

            // Once stopping, no new step starts. The lease was taken (and the entry read or claimed, which resets its idle
            // time) just now; each save followed by another step renews both.
            held = new PublicationLease(publicationId, token, entry, consumer, lease) { SetAt = leasedAt };
            await processor.ProcessAsync(held, await reading,
                () => stoppingToken.IsCancellationRequested, drainToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // A call cut off by the drain deadline: its send marker (if any) was saved, so whoever resumes reconciles first.
        }
        catch (Exception e)
        {
            // Not acknowledged: the entry is reclaimed after the lease and tried again from the recorded step,
            // until it has been handed out MaxAttempts times; then it fails visibly instead of looping forever.
            Log.ProcessingFailed(logger, publicationId ?? "?", e);
            try
            {
                if (publicationId is not null && await queue.DeliveryCountAsync(entry) >= _options.MaxAttempts)
                {
                    await processor.GiveUpAsync(publicationId, entry, e.GetType().Name);
                }
            }
            catch (Exception again) when (again is RedisException or RedisCommandException or TimeoutException)
            {
                Log.RedisUnavailable(logger, again);
            }
        }
        finally
        {
            // A last save that acknowledged the entry released the lease with it: nothing left to release or hand back.
            await ReleaseAndHandBackAsync(publicationId, held?.Released == true ? null : token, entry, stoppingToken.IsCancellationRequested);
        }
    }

    private async Task ReleaseAndHandBackAsync(string? publicationId, string? token, QueueEntry entry, bool stopping)
    {
        try
        {
            if (publicationId is not null && token is not null)
            {
                await queue.ReleaseAsync(publicationId, token);
            }

            if (stopping && publicationId is not null && token is not null)
            {
                // Still pending to us: put it back in the stream for whoever runs next, instead of waiting out the lease.
                await queue.HandBackAsync(entry, publicationId);
            }
        }
        catch (Exception e) when (e is RedisException or RedisCommandException or TimeoutException)
        {
            // Redis is away: the entry stays pending and is reclaimed after the lease.
            Log.RedisUnavailable(logger, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.PublisherRedisUnavailable, LogLevel.Warning, "Redis unavailable in the publisher loop; retrying")]
        public static partial void RedisUnavailable(ILogger logger, Exception exception);

        [LoggerMessage(EventIds.PublicationFailedUnexpectedly, LogLevel.Error, "Publication {PublicationId} failed unexpectedly; it will be reclaimed after the lease")]
        public static partial void ProcessingFailed(ILogger logger, string publicationId, Exception exception);
    }
}
