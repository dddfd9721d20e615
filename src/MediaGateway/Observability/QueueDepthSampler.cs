using MediaGateway.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Observability;

/// <summary>
/// Samples the length of each publishing lane's Redis keys every <see cref="ObservabilityOptions.QueueSampleSeconds"/>
/// for the <c>mediagateway.queue.depth</c> gauge. A new lane is one more line in <see cref="Lanes"/>.
/// </summary>
internal sealed partial class QueueDepthSampler(IConnectionMultiplexer redis, RedisKeys keys, IOptions<ObservabilityOptions> options,
    TimeProvider time, ILogger<QueueDepthSampler> logger) : BackgroundService
{
    /// <summary>A lane: its work stream (with consumer group) and its due set.</summary>
    internal sealed record Lane(string Name, string Stream, string Group, string Due);

    public static IReadOnlyList<Lane> Lanes(RedisKeys keys) =>
    [
        new("routine", keys.PublishStreamOf(Publishing.PublishLane.Routine), RedisKeys.PublishGroup, keys.PublishDueOf(Publishing.PublishLane.Routine)),
        new("emergency", keys.PublishStreamOf(Publishing.PublishLane.Emergency), RedisKeys.PublishGroup, keys.PublishDueOf(Publishing.PublishLane.Emergency)),
    ];

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
        var db = redis.GetDatabase();
        foreach (var lane in Lanes(keys))
        {
            GatewayMetrics.SetQueueDepth(lane.Name, "stream", await db.StreamLengthAsync(lane.Stream));
            GatewayMetrics.SetQueueDepth(lane.Name, "due", await db.SortedSetLengthAsync(lane.Due));
            long pending = 0;
            try
            {
                pending = (await db.StreamPendingAsync(lane.Stream, lane.Group)).PendingMessageCount;
            }
            catch (RedisServerException e) when (StreamGroups.IsMissingGroup(e) || e.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
            {
            }

            GatewayMetrics.SetQueueDepth(lane.Name, "pending", pending);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.QueueDepthNotSampled, LogLevel.Debug, "Queue depth not sampled: {Reason}")]
        public static partial void SampleFailed(ILogger logger, string reason);
    }
}
