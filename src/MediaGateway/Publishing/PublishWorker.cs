using MediaGateway.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>
/// Publisher loops: read new entries from the work stream (consumer group), else reclaim entries a dead
/// worker left unacknowledged past the lease (XAUTOCLAIM), else move due publications into the stream;
/// idle loops back off up to Publishing:IdlePollMaxMilliseconds.
/// </summary>
public sealed partial class PublishWorker(
    PublishQueue queue, PublicationProcessor processor, IOptions<PublishingOptions> options, TimeProvider time,
    ILogger<PublishWorker> logger) : BackgroundService
{
    private readonly PublishingOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await queue.EnsureGroupAsync();
        var loops = Enumerable.Range(0, _options.Workers)
            .Select(i => Task.Run(() => LoopAsync($"{Environment.MachineName}-{Environment.ProcessId}-{i}", stoppingToken), stoppingToken));
        await Task.WhenAll(loops);
    }

    private async Task LoopAsync(string consumer, CancellationToken stoppingToken)
    {
        var lease = TimeSpan.FromSeconds(_options.LeaseSeconds);
        var idle = TimeSpan.FromMilliseconds(10);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var entries = await queue.ReadNewAsync(consumer, 4);
                if (entries.Length == 0)
                {
                    entries = await queue.ClaimAbandonedAsync(consumer, lease, 4);
                }

                if (entries.Length == 0 && await queue.MoveDueAsync(time.GetUtcNow()) == 0)
                {
                    await Task.Delay(idle, time, stoppingToken);
                    idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, _options.IdlePollMaxMilliseconds));
                    continue;
                }

                idle = TimeSpan.FromMilliseconds(10);
                foreach (var entry in entries)
                {
                    await HandleAsync(entry, lease, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Log.RedisUnavailable(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private async Task HandleAsync(StreamEntry entry, TimeSpan lease, CancellationToken stoppingToken)
    {
        var publicationId = (string?)entry["pub"];
        if (publicationId is null)
        {
            await queue.AcknowledgeAsync(entry.Id);
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
            await processor.ProcessAsync(publicationId, entry.Id, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not acknowledged: the entry is reclaimed after the lease and tried again from the recorded step.
            Log.ProcessingFailed(logger, publicationId, e);
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
