using MediaGateway.Publishing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Observability;

/// <summary>
/// Samples the length of each publishing lane's Redis keys every <see cref="ObservabilityOptions.QueueSampleSeconds"/>
/// for the <c>mediagateway.queue.depth</c> gauge (read by <see cref="QueueDepthStore"/>). A new lane is one more line in <see cref="Lanes"/>.
/// </summary>
internal sealed partial class QueueDepthSampler(QueueDepthStore depths, IOptions<ObservabilityOptions> options,
    TimeProvider time, ILogger<QueueDepthSampler> logger) : BackgroundService
{
    /// <summary>The lanes and their names on the gauge.</summary>
    private static readonly (string Name, PublishLane Lane)[] Lanes = [("routine", PublishLane.Routine), ("emergency", PublishLane.Emergency)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(options.Value.QueueSampleSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Log.SampleFailed(logger, e.Message);
            }

            try
            {
                await Task.Delay(period, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task SampleAsync()
    {
        foreach (var (name, lane) in Lanes)
        {
            var (stream, due, pending) = await depths.DepthAsync(lane);
            GatewayMetrics.SetQueueDepth(name, "stream", stream);
            GatewayMetrics.SetQueueDepth(name, "due", due);
            GatewayMetrics.SetQueueDepth(name, "pending", pending);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.QueueDepthNotSampled, LogLevel.Debug, "Queue depth not sampled: {Reason}")]
        public static partial void SampleFailed(ILogger logger, string reason);
    }
}
