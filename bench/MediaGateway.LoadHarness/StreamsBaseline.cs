using System.Diagnostics;
using StackExchange.Redis;

namespace MediaGateway.LoadHarness;

/// <summary>
/// The bare Redis Streams job cycle the anchors were measured with: XADD the jobs, then 16 concurrent consumers
/// XREADGROUP, SET NX an outcome key per job and XACK it. One multiplexer, like the gateway.
/// </summary>
internal static class StreamsBaseline
{
    public sealed record Result(int Jobs, double AddPerSecond, double CyclePerSecond);

    public static async Task<Result> RunAsync(IConnectionMultiplexer redis, int jobs, int consumers = 16)
    {
        var db = redis.GetDatabase();
        var stream = (RedisKey)$"bench:{Guid.NewGuid():N}:stream";
        const string group = "bench";
        await db.StreamCreateConsumerGroupAsync(stream, group, "0-0", createStream: true);

        var add = Stopwatch.StartNew();
        await InBatchesAsync(jobs, n => db.StreamAddAsync(stream, "job", n));

        add.Stop();
        var done = 0;
        var cycle = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, consumers).Select(c => Task.Run(async () =>
        {
            while (Volatile.Read(ref done) < jobs)
            {
                var entries = await db.StreamReadGroupAsync(stream, group, $"c{c}", ">", 10);
                if (entries.Length == 0)
                {
                    await Task.Delay(1);
                    continue;
                }

                await Task.WhenAll(entries.Select(async e =>
                {
                    await db.StringSetAsync($"{stream}:done:{e["job"]}", "1", TimeSpan.FromMinutes(10), When.NotExists);
                    await db.StreamAcknowledgeAsync(stream, group, e.Id);
                }));
                Interlocked.Add(ref done, entries.Length);
            }
        })));
        cycle.Stop();
        await db.KeyDeleteAsync(stream);
        return new Result(jobs, jobs / add.Elapsed.TotalSeconds, jobs / cycle.Elapsed.TotalSeconds);
    }

    /// <summary>Sends <paramref name="send"/> for 0 … count-1, 500 commands in flight at a time (one multiplexer pipelines them).</summary>
    public static async Task InBatchesAsync(int count, Func<int, Task> send)
    {
        const int batch = 500;
        for (var i = 0; i < count; i += batch)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(batch, count - i)).Select(send));
        }
    }
}
