using MediaGateway.Hosting;
using MediaGateway.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>
/// Publisher loops: read new entries from the work streams (consumer group; emergency lane first, and again
/// between the routine items of one batch); every quarter second also
/// move due publications into the stream and reclaim entries a dead worker left unacknowledged past the
/// lease (XAUTOCLAIM), so neither waits behind a backlog. Idle loops back off up to
/// Publishing:IdlePollMaxMilliseconds. A worker renews its lease before every step.
/// </summary>
public sealed partial class PublishWorker(
    PublishQueue queue, PublicationStore store, PublicationProcessor processor, IOptions<PublishingOptions> options, TimeProvider time,
    ILogger<PublishWorker> logger) : BackgroundService
{
    private static readonly TimeSpan HousekeepingInterval = TimeSpan.FromMilliseconds(250);
    private readonly PublishingOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Workers)
            .Select(i => Task.Run(() => LoopAsync($"{Environment.MachineName}-{Environment.ProcessId}-{i}", stoppingToken), stoppingToken)));

    private async Task LoopAsync(string consumer, CancellationToken stoppingToken)
    {
        var lease = TimeSpan.FromSeconds(_options.LeaseSeconds);
        var idle = TimeSpan.FromMilliseconds(10);
        var groupReady = false;
        var lastHousekeeping = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!groupReady)
                {
                    await queue.EnsureGroupAsync();
                    groupReady = true;
                }

                var entries = await queue.ReadNewAsync(consumer, 4);
                var now = time.GetUtcNow();
                if (now - lastHousekeeping >= HousekeepingInterval)
                {
                    lastHousekeeping = now;
                    var moved = await queue.MoveDueAsync(now);
                    entries = [.. entries, .. await queue.ClaimAbandonedAsync(consumer, lease, 4)];
                    if (moved > 0) idle = TimeSpan.FromMilliseconds(10);
                }

                if (entries.Length == 0)
                {
                    await Task.Delay(idle, time, stoppingToken);
                    idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, _options.IdlePollMaxMilliseconds));
                    continue;
                }

                idle = TimeSpan.FromMilliseconds(10);
                for (var i = 0; i < entries.Length; i++)
                {
                    if (i > 0 && entries[i].Lane == PublishLane.Routine)
                    {
                        // An emergency item that arrived meanwhile goes before the rest of this routine batch.
                        foreach (var urgent in await queue.ReadNewAsync(consumer, 1, PublishLane.Emergency))
                        {
                            await HandleAsync(urgent, consumer, lease, stoppingToken);
                        }
                    }

                    await HandleAsync(entries[i], consumer, lease, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or RedisCommandException or TimeoutException)
            {
                // Redis down or restarted without its data (NOGROUP): keep trying, and recreate the group.
                groupReady = !StreamGroups.IsMissingGroup(e) && groupReady;
                Log.RedisUnavailable(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private async Task HandleAsync(QueueEntry entry, string consumer, TimeSpan lease, CancellationToken stoppingToken)
    {
        var publicationId = (string?)entry.Entry["pub"];
        if (publicationId is null)
        {
            await store.AcknowledgeAsync(entry);
            return;
        }

        var token = await queue.TryLeaseAsync(publicationId, lease);
        if (token is null)
        {
            // Another worker holds it; this entry stays pending and is reclaimed if that worker dies.
            return;
        }

        try
        {
            await processor.ProcessAsync(publicationId, entry,
                () => queue.RenewAsync(publicationId, token, entry, consumer, lease), stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not acknowledged: the entry is reclaimed after the lease and tried again from the recorded step,
            // until it has been handed out MaxAttempts times; then it fails visibly instead of looping forever.
            Log.ProcessingFailed(logger, publicationId, e);
            if (await queue.DeliveryCountAsync(entry) >= _options.MaxAttempts)
            {
                await processor.GiveUpAsync(publicationId, entry, e.GetType().Name);
            }
        }
        finally
        {
            await queue.ReleaseAsync(publicationId, token);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2101, LogLevel.Warning, "Redis unavailable in the publisher loop; retrying")]
        public static partial void RedisUnavailable(ILogger logger, Exception exception);

        [LoggerMessage(2102, LogLevel.Error, "Publication {PublicationId} failed unexpectedly; it will be reclaimed after the lease")]
        public static partial void ProcessingFailed(ILogger logger, string publicationId, Exception exception);
    }
}
