using MediaGateway.Observability;
using StackExchange.Redis;

namespace MediaGateway.Storage;

/// <summary>One entry read from one of the streams of a <see cref="StreamPoll"/>.</summary>
internal readonly record struct StreamMessage(RedisKey Stream, StreamEntry Entry)
{
    public RedisValue Id => Entry.Id;
}

/// <summary>What a <see cref="StreamPoller"/> reads, and how (decision 34).</summary>
internal sealed record StreamPoll
{
    /// <summary>Says which loop it is in the log.</summary>
    public required string Name { get; init; }

    /// <summary>The streams, in the order they are served: a later stream is read only when the earlier ones have no new entry.</summary>
    public required IReadOnlyList<RedisKey> Streams { get; init; }

    public required string Group { get; init; }

    public required string Consumer { get; init; }

    /// <summary>Where a group the poller creates starts: "0-0" for every entry (a work queue), "$" for entries added from then on.</summary>
    public RedisValue GroupStart { get; init; } = "0-0";

    /// <summary>The most entries handed to the handler at once.</summary>
    public required int BatchSize { get; init; }

    /// <summary>
    /// Entries pending to a consumer (of this group) for longer than this are taken over (XAUTOCLAIM): their consumer
    /// died or hung. Null: never.
    /// </summary>
    public TimeSpan? ReclaimAfter { get; init; }

    /// <summary>How often at most the pending entries are looked through; between two looks only new entries are read.</summary>
    public TimeSpan ReclaimInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// True: the poller acknowledges a batch once the handler returned. False: the handler acknowledges each entry itself,
    /// in the same transaction as what the entry caused, so an entry is never acknowledged without its effect.
    /// </summary>
    public bool AcknowledgeAfterHandling { get; init; }

    /// <summary>The first wait when nothing came; it doubles on every empty round up to <see cref="IdleMax"/>.</summary>
    public TimeSpan IdleMin { get; init; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan IdleMax { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The wait after Redis failed, before trying again.</summary>
    public TimeSpan RetryAfterFailure { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many entries the handler can take now (it may have work in progress); null: always <see cref="BatchSize"/>.</summary>
    public Func<int>? Room { get; init; }

    /// <summary>An idle wait ends early when the task this gives completes (work in progress finished and made room); null: no such task.</summary>
    public Func<Task?>? Wake { get; init; }

    /// <summary>Work before each read (moving due entries into the stream); true when it found some, so the next wait is short.</summary>
    public Func<CancellationToken, Task<bool>>? BeforeRead { get; init; }
}

/// <summary>
/// The one loop that reads Redis streams through a consumer group (decision 34). Each round it creates the group when
/// it is missing (at start, and after Redis lost its data: NOGROUP), reads at most a batch of new entries, takes over
/// entries a dead consumer left pending (XAUTOCLAIM, when the poll says after how long), hands the batch to the handler
/// and acknowledges it (or leaves that to the handler). When nothing comes it waits, longer each empty round, on the
/// injected clock. A Redis failure is logged once, when it starts, and again when reading works again; in between the
/// poller retries quietly. It returns when the token is cancelled.
/// </summary>
internal sealed partial class StreamPoller(IConnectionMultiplexer redis, TimeProvider time, ILogger<StreamPoller> logger)
{
    public async Task RunAsync(StreamPoll poll, Func<IReadOnlyList<StreamMessage>, CancellationToken, Task> handle, CancellationToken stoppingToken)
    {
        var groupReady = false;
        var failures = 0;
        var idle = poll.IdleMin;
        var lastReclaim = (DateTimeOffset?)null;
        var reclaimFrom = poll.Streams.Select(_ => (RedisValue)"0-0").ToArray();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var db = redis.GetDatabase();
                if (!groupReady)
                {
                    foreach (var stream in poll.Streams) await StreamGroups.EnsureAsync(db, stream, poll.Group, poll.GroupStart);
                    groupReady = true;
                }

                var worked = poll.BeforeRead is not null && await poll.BeforeRead(stoppingToken);
                var room = Math.Min(poll.BatchSize, poll.Room?.Invoke() ?? poll.BatchSize);
                var batch = new List<StreamMessage>();
                if (room > 0)
                {
                    foreach (var stream in poll.Streams)
                    {
                        batch.AddRange((await db.StreamReadGroupAsync(stream, poll.Group, poll.Consumer, ">", room)).Select(e => new StreamMessage(stream, e)));
                        if (batch.Count > 0) break;
                    }

                    var now = time.GetUtcNow();
                    if (poll.ReclaimAfter is { } after && batch.Count < room && (lastReclaim is null || now - lastReclaim >= poll.ReclaimInterval))
                    {
                        lastReclaim = now;
                        for (var i = 0; i < poll.Streams.Count && batch.Count < room; i++)
                        {
                            var claimed = await db.StreamAutoClaimAsync(poll.Streams[i], poll.Group, poll.Consumer, (long)after.TotalMilliseconds,
                                reclaimFrom[i], room - batch.Count);
                            // The cursor goes on where this look stopped, and starts again from the beginning once it wrapped.
                            reclaimFrom[i] = claimed.NextStartId.IsNull ? "0-0" : claimed.NextStartId;
                            batch.AddRange(claimed.ClaimedEntries.Select(e => new StreamMessage(poll.Streams[i], e)));
                        }
                    }
                }

                if (batch.Count > 0)
                {
                    await handle(batch, stoppingToken);
                    if (poll.AcknowledgeAfterHandling)
                    {
                        foreach (var byStream in batch.GroupBy(m => m.Stream))
                        {
                            await db.StreamAcknowledgeAsync(byStream.Key, poll.Group, byStream.Select(m => m.Id).ToArray());
                        }
                    }
                }

                if (failures > 0)
                {
                    Log.ReadAgain(logger, poll.Name, failures);
                    failures = 0;
                }

                if (batch.Count > 0)
                {
                    idle = poll.IdleMin;
                    continue;
                }

                if (worked) idle = poll.IdleMin;
                // Nothing new: wait for the idle interval, or until the handler has room again, whichever comes first.
                var delay = Task.Delay(idle, time, stoppingToken);
                if (poll.Wake?.Invoke() is { } wake && await Task.WhenAny(delay, wake) != delay) continue;
                await delay; // observes cancellation on stop
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, poll.IdleMax.Ticks));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or RedisCommandException or TimeoutException)
            {
                // Redis away, or back without its data (the group is gone: NOGROUP): recreate the group and go on.
                if (StreamGroups.IsMissingGroup(e)) groupReady = false;
                if (failures++ == 0) Log.Unreachable(logger, poll.Name, poll.RetryAfterFailure, e);
                try
                {
                    await Task.Delay(poll.RetryAfterFailure, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.StreamUnreachable, LogLevel.Warning, "Stream reader {Poll}: Redis unavailable; retrying every {Retry} (logged once until it works again)")]
        public static partial void Unreachable(ILogger logger, string poll, TimeSpan retry, Exception exception);

        [LoggerMessage(EventIds.StreamReadAgain, LogLevel.Information, "Stream reader {Poll}: reading again after {Failures} failed attempts")]
        public static partial void ReadAgain(ILogger logger, string poll, int failures);
    }
}
