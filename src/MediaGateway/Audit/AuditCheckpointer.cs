using MediaGateway.Hosting;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Audit;

/// <summary>
/// Writes a checkpoint of the audit chain every <see cref="AuditOptions.CheckpointMinutes"/> (when it moved) and one at a
/// graceful stop. Started before the event processor (Hosting/StartOrder), so it stops after it and the last checkpoint has the last entry.
/// </summary>
internal sealed partial class AuditCheckpointer(AuditCheckpoints checkpoints, AuditOptions options, TimeProvider time,
    ILogger<AuditCheckpointer> logger) : BackgroundService
{
    // Made with the service, so the interval counts from its start, not from whenever ExecuteAsync gets a thread.
    private readonly PeriodicTimer _timer = new(TimeSpan.FromMinutes(options.CheckpointMinutes), time);

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                await TakeAsync("interval");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Bounded: a stop with Redis gone must not hang on the last checkpoint.
        await TakeAsync("shutdown").WaitAsync(TimeSpan.FromSeconds(5), time, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task TakeAsync(string reason)
    {
        try
        {
            if (await checkpoints.TakeAsync(reason) is { } written)
            {
                Log.Written(logger, written.Seq, reason, checkpoints.Directory);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            Log.Failed(logger, reason, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.AuditCheckpointWritten, LogLevel.Debug, "Audit checkpoint at entry {Seq} ({Reason}) written to {Directory}")]
        public static partial void Written(ILogger logger, long seq, string reason, string directory);

        [LoggerMessage(EventIds.AuditCheckpointFailed, LogLevel.Error, "The audit checkpoint ({Reason}) could not be written: {Error}")]
        public static partial void Failed(ILogger logger, string reason, string error);
    }
}
