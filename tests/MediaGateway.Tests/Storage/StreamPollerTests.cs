using System.Collections.Concurrent;
using MediaGateway.Hosting;
using MediaGateway.Observability;
using MediaGateway.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace MediaGateway.Tests.Storage;

/// <summary>
/// The one stream poller (decision 34) that the publish workers, the webhook fan-out and the audit listener use, on a
/// redis-server of its own: the group is made when missing, a batch is bounded, a dead consumer's entries are taken over,
/// entries are acknowledged, and an outage (even one that loses Redis's data) is logged once and outlived.
/// </summary>
public sealed class StreamPollerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mg-poller-" + Guid.NewGuid().ToString("N"));
    private readonly CapturingLogger _log = new();
    private EmbeddedRedis _redis = null!;
    private ConnectionMultiplexer _multiplexer = null!;

    public async Task InitializeAsync()
    {
        _redis = await EmbeddedRedis.StartAsync(_dataDirectory);
        var options = RedisConnection.Options(new RedisOptions { ConnectionString = _redis.ConnectionString, CommandTimeoutMilliseconds = 500 });
        options.BacklogPolicy = BacklogPolicy.FailFast;
        _multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async Task DisposeAsync()
    {
        await _multiplexer.DisposeAsync();
        await _redis.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, true);
        }
        catch (IOException)
        {
        }
    }

    private IDatabase Db => _multiplexer.GetDatabase();

    private static string NewStream() => "{t}:poller:" + Guid.NewGuid().ToString("N");

    private StreamPoller Poller(TimeProvider? time = null) => new(_multiplexer, time ?? TimeProvider.System, _log);

    private static StreamPoll Poll(string stream, int batch = 10) => new()
    {
        Name = "test", Streams = [stream], Group = "g", Consumer = "alive", BatchSize = batch, AcknowledgeAfterHandling = true,
        IdleMin = TimeSpan.FromMilliseconds(1), IdleMax = TimeSpan.FromMilliseconds(20), RetryAfterFailure = TimeSpan.FromMilliseconds(50),
    };

    private async Task<bool> HasGroupAsync(string stream)
    {
        try
        {
            return (await Db.StreamGroupInfoAsync(stream)).Length > 0;
        }
        catch (RedisServerException)
        {
            return false; // no stream yet
        }
    }

    private async Task AddAsync(string stream, int count)
    {
        for (var i = 0; i < count; i++) await Db.StreamAddAsync(stream, "n", i);
    }

    /// <summary>Runs the poller until <paramref name="until"/> holds for what it handed over, then stops it.</summary>
    private static async Task<List<IReadOnlyList<StreamMessage>>> RunUntilAsync(StreamPoller poller, StreamPoll poll,
        Func<List<IReadOnlyList<StreamMessage>>, bool> until, Func<Task>? meanwhile = null)
    {
        var batches = new List<IReadOnlyList<StreamMessage>>();
        var done = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var running = poller.RunAsync(poll, (batch, _) =>
        {
            lock (batches)
            {
                batches.Add(batch);
                if (until(batches)) done.TrySetResult();
            }

            return Task.CompletedTask;
        }, stop.Token);
        try
        {
            if (meanwhile is not null) await meanwhile();
            await done.Task.WaitAsync(Patience);
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(Patience);
        }

        return batches;
    }

    [Fact]
    public async Task AMissingGroup_IsCreated_AndAWorkQueueGroupReadsTheEntriesAlreadyThere()
    {
        var stream = NewStream();
        await AddAsync(stream, 3);

        var batches = await RunUntilAsync(Poller(), Poll(stream), b => b.Sum(x => x.Count) >= 3);

        Assert.Equal(3, batches.Sum(b => b.Count));
        var group = Assert.Single(await Db.StreamGroupInfoAsync(stream));
        Assert.Equal("g", group.Name);
    }

    [Fact]
    public async Task AGroupStartingAtTheEnd_ReadsOnlyWhatIsAddedAfterIt()
    {
        var stream = NewStream();
        await AddAsync(stream, 3);
        var later = RedisValue.Null;

        var batches = await RunUntilAsync(Poller(), Poll(stream) with { GroupStart = "$" }, b => b.Count > 0, async () =>
        {
            while (!await HasGroupAsync(stream)) await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
            later = await Db.StreamAddAsync(stream, "n", "later");
        });

        Assert.Equal(later, Assert.Single(Assert.Single(batches)).Id);
    }

    [Fact]
    public async Task ABatch_IsNeverLargerThanTheBound_NorThanTheRoomTheHandlerHas()
    {
        var stream = NewStream();
        await AddAsync(stream, 25);

        var batches = await RunUntilAsync(Poller(), Poll(stream, batch: 10), b => b.Sum(x => x.Count) >= 25);
        Assert.Equal(25, batches.Sum(b => b.Count));
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 10));

        var other = NewStream();
        await AddAsync(other, 7);
        var roomy = await RunUntilAsync(Poller(), Poll(other, batch: 10) with { Room = () => 3 }, b => b.Sum(x => x.Count) >= 7);
        Assert.All(roomy, b => Assert.InRange(b.Count, 1, 3));
    }

    [Fact]
    public async Task TheFirstStream_IsServedBeforeTheNext()
    {
        var (urgent, routine) = (NewStream(), NewStream());
        await AddAsync(routine, 2);
        await AddAsync(urgent, 2);

        var batches = await RunUntilAsync(Poller(), Poll(urgent) with { Streams = [urgent, routine] }, b => b.Sum(x => x.Count) >= 4);

        Assert.All(batches[0], m => Assert.Equal(urgent, (string?)m.Stream));
        Assert.All(batches.Skip(1).SelectMany(b => b), m => Assert.Equal(routine, (string?)m.Stream));
    }

    [Fact]
    public async Task EntriesADeadConsumerLeftPending_AreTakenOver_AndAcknowledged()
    {
        var stream = NewStream();
        await Db.StreamCreateConsumerGroupAsync(stream, "g", "0-0", createStream: true);
        await AddAsync(stream, 2);
        var taken = await Db.StreamReadGroupAsync(stream, "g", "dead", ">", 10); // read, then the consumer dies
        Assert.Equal(2, taken.Length);

        var batches = await RunUntilAsync(Poller(), Poll(stream) with { ReclaimAfter = TimeSpan.FromMilliseconds(20) }, b => b.Sum(x => x.Count) >= 2);

        Assert.Equal(taken.Select(e => e.Id).Order(), batches.SelectMany(b => b).Select(m => m.Id).Order());
        Assert.Equal(0, (await Db.StreamPendingAsync(stream, "g")).PendingMessageCount);
    }

    [Fact]
    public async Task EntriesPendingForLessThanTheirLease_AreLeftToTheirConsumer()
    {
        var stream = NewStream();
        await Db.StreamCreateConsumerGroupAsync(stream, "g", "0-0", createStream: true);
        await AddAsync(stream, 1);
        await Db.StreamReadGroupAsync(stream, "g", "busy", ">", 10); // a live consumer working on it
        var fresh = (RedisValue)"fresh";

        // The poller sees the new entry only after at least one look at the pending list, which took nothing.
        var batches = await RunUntilAsync(Poller(), Poll(stream) with { ReclaimAfter = TimeSpan.FromHours(1), ReclaimInterval = TimeSpan.Zero },
            b => b.Count > 0, async () =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
                await Db.StreamAddAsync(stream, "n", fresh);
            });

        Assert.Equal(fresh, Assert.Single(Assert.Single(batches)).Entry["n"]);
        var pending = Assert.Single(await Db.StreamPendingMessagesAsync(stream, "g", 10, RedisValue.Null));
        Assert.Equal("busy", (string?)pending.ConsumerName);
    }

    [Fact]
    public async Task AHandlerThatAcknowledgesItself_FindsItsEntriesStillPending()
    {
        var stream = NewStream();
        await AddAsync(stream, 2);

        await RunUntilAsync(Poller(), Poll(stream) with { AcknowledgeAfterHandling = false }, b => b.Sum(x => x.Count) >= 2);

        Assert.Equal(2, (await Db.StreamPendingAsync(stream, "g")).PendingMessageCount);
    }

    [Fact]
    public async Task WhenIdle_ThePollerWaitsOnTheInjectedClock()
    {
        var stream = NewStream();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var rounds = 0;
        var idle = new TaskCompletionSource();
        var poll = Poll(stream) with
        {
            IdleMin = TimeSpan.FromSeconds(5), IdleMax = TimeSpan.FromSeconds(5),
            BeforeRead = _ => Task.FromResult(Interlocked.Increment(ref rounds) < 0),
            Wake = () =>
            {
                idle.TrySetResult(); // asked just before it goes to sleep: its read found nothing
                return null;
            },
        };

        var batches = await RunUntilAsync(Poller(clock), poll, b => b.Count > 0, async () =>
        {
            await idle.Task.WaitAsync(Patience);
            await Db.StreamAddAsync(stream, "n", 1);
            // Asleep on the clock that has not moved: the entry waits, however long real time goes by.
            await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
            Assert.Equal(1, Volatile.Read(ref rounds));
            clock.Advance(TimeSpan.FromSeconds(5));
        });

        Assert.Single(Assert.Single(batches));
        Assert.Equal(2, Volatile.Read(ref rounds));
    }

    [Fact]
    public async Task ARedisOutageThatLosesTheData_IsLoggedOnce_AndReadingResumesWithTheGroupMadeAgain()
    {
        var stream = NewStream();
        var rounds = 0;
        var poll = Poll(stream) with { BeforeRead = _ => Task.FromResult(Interlocked.Increment(ref rounds) < 0) };
        var port = _redis.Port;

        var batches = await RunUntilAsync(Poller(), poll, b => b.Count > 0, async () =>
        {
            while (!await HasGroupAsync(stream)) await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
            _redis.Kill();
            await _redis.DisposeAsync();
            // Several failed rounds while Redis is away.
            var before = Volatile.Read(ref rounds);
            while (Volatile.Read(ref rounds) < before + 5) await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);

            // Back on the same port with nothing: no stream, no group.
            _redis = await EmbeddedRedis.StartAsync(Path.Combine(_dataDirectory, "after"), port);
            while (true)
            {
                try
                {
                    await Db.StreamAddAsync(stream, "n", "after the outage");
                    break;
                }
                catch (RedisException)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
                }
            }
        });

        Assert.Equal("after the outage", (string?)Assert.Single(Assert.Single(batches)).Entry["n"]);
        Assert.Single(_log.Events, id => id == EventIds.StreamUnreachable);
        Assert.Single(_log.Events, id => id == EventIds.StreamReadAgain);
        Assert.Equal(0, (await Db.StreamPendingAsync(stream, "g")).PendingMessageCount);
    }

    [Fact]
    public async Task Cancelling_StopsThePoller()
    {
        using var stop = new CancellationTokenSource();
        var running = Poller().RunAsync(Poll(NewStream()), (_, _) => Task.CompletedTask, stop.Token);

        await stop.CancelAsync();

        await running.WaitAsync(Patience);
        Assert.True(running.IsCompletedSuccessfully);
    }

    private sealed class CapturingLogger : ILogger<StreamPoller>
    {
        public ConcurrentQueue<int> Events { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Enqueue(eventId.Id);
    }
}
