using System.Diagnostics;
using MediaGateway.Platforms;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Platforms.Weibo;
using MediaGateway.Publishing;
using MediaGateway.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace MediaGateway.LoadHarness;

/// <summary>
/// The least any gateway has to do per publication under the reliability promises, and nothing else, built from the
/// gateway's own parts: its platform clients over real HTTP to the sandboxes, its compare-and-set save
/// (<see cref="ConditionalWrite"/>) of the publication's document before each call that must not be repeated and after
/// each call whose result must not be lost (five for a WeChat freepublish: cover, draft, send marker, submitted,
/// published; two for Weibo: send marker, published), a lease taken per publication, renewed by a save once a tenth of it
/// has passed and released by the last one (as the gateway's <see cref="PublicationLease"/>), and the
/// work put on a Redis stream, taken by a consumer group and acknowledged by the last save. No item, rules, rendering,
/// events, quotas or audit. Its rate is the ceiling of the end-to-end figure on the same machine.
/// With <c>plainSaves</c> each save is a bare SET and there is no lease: not safe (a reclaimed entry could be sent
/// twice), but it shows what the platform calls cost on their own.
/// </summary>
internal sealed class PlatformFloor(HarnessWorld world, byte[] cover, bool plainSaves = false) : IDisposable
{
    public sealed record Result(int Publications, double Seconds, double PerSecond, double HarnessCpuSeconds, double RedisCpuSeconds, double CommandsPerPublication);

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly RedisKeys Keys = new("floor");
    private readonly MediaFile _picture = new("cover.png", "image/png", cover);

    // Made once and kept across rounds, like the gateway's singletons (their connections stay open).
    private readonly WeChatClient _weChat = new(new WeChatClientOptions { BaseUrl = world.WeChat.BaseAddress },
        new RedisWeChatTokenCache(world.Multiplexer, Keys, TimeProvider.System), TimeProvider.System, NullLogger<WeChatClient>.Instance);

    private readonly WeiboClient _weibo = new(new WeiboClientOptions { BaseUrl = world.Weibo.BaseAddress }, TimeProvider.System, NullLogger<WeiboClient>.Instance);

    public async Task<Result> RunAsync(int publications, int workers)
    {
        var db = world.Multiplexer.GetDatabase();
        var stream = (RedisKey)$"{Keys.Tag}:stream:{Guid.NewGuid():N}";
        const string group = "floor";
        var run = Guid.NewGuid().ToString("N")[..8]; // texts differ between runs: the platforms refuse a repeated post
        var secret = world.WeChatSecret;
        await db.StreamCreateConsumerGroupAsync(stream, group, "0-0", createStream: true);
        // The publications exist before they come due, as the gateway's do (created at approval): ~1 KB documents.
        var initial = (RedisValue)System.Text.Encoding.UTF8.GetBytes(new string('x', 1024));
        await StreamsBaseline.InBatchesAsync(publications, n => db.StringSetAsync(Document(run, n), initial));

        foreach (var appId in world.AppIds) await _weChat.GetAccessTokenAsync(new WeChatCredentials(appId, secret), false, CancellationToken.None);

        var effectsBefore = world.Effects();
        var statsBefore = await world.CommandStatsAsync();
        var redisBefore = await world.RedisCpuAsync();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        // Coming due: every publication put on the stream (the gateway's scheduler does this from its due set).
        await StreamsBaseline.InBatchesAsync(publications, n => db.StreamAddAsync(stream, "pub", n));

        var taken = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var consumer = $"w{w}";
            // Every entry is in the stream already: a worker that claims a slot always gets one.
            while (Interlocked.Increment(ref taken) <= publications)
            {
                var entries = await db.StreamReadGroupAsync(stream, group, consumer, ">", count: 1);
                if (entries.Length == 0) throw new InvalidOperationException("the stream ran dry early");
                var entry = entries[0];
                var n = (int)entry.Values[0].Value;
                var key = Document(run, n);
                var lockKey = (RedisKey)Keys.PublicationLock($"{run}-{n}");
                var token = Guid.NewGuid().ToString("N");
                var leaseSetAt = Stopwatch.GetTimestamp();
                if (!plainSaves && !await db.StringSetAsync(lockKey, token, Lease, When.NotExists)) throw new InvalidOperationException("lease taken");
                var stored = plainSaves ? RedisValue.Null : await db.StringGetAsync(key);
                var step = 0;

                // One step's save: compare-and-set of the document; the lease renewed, or (last) the entry acknowledged.
                async Task SaveAsync(bool last = false)
                {
                    var next = (RedisValue)System.Text.Encoding.UTF8.GetBytes($"{{\"step\":{++step},\"pad\":\"{new string('x', 1000)}\"}}");
                    if (plainSaves)
                    {
                        var batch = db.CreateBatch();
                        var saved = batch.StringSetAsync(key, next);
                        var acked = last ? batch.StreamAcknowledgeAsync(stream, group, entry.Id) : Task.FromResult(0L);
                        batch.Execute();
                        await Task.WhenAll(saved, acked);
                        return;
                    }

                    // The gateway's lease policy (PublicationLease): checked by every save, renewed once a tenth of it has passed, released by the last save.
                    var write = new ConditionalWrite(key, stored);
                    write.StringSet(key, next);
                    var renewing = !last && Stopwatch.GetElapsedTime(leaseSetAt) >= Lease / 10;
                    if (last)
                    {
                        write.StreamAcknowledge(stream, group, entry.Id);
                        write.StreamDelete(stream, entry.Id);
                        write.ReleaseLease(lockKey, token);
                    }
                    else if (renewing)
                    {
                        write.RenewLease(lockKey, token, Lease, stream, group, consumer, entry.Id);
                    }
                    else
                    {
                        write.CheckLease(lockKey, token);
                    }

                    var sentAt = Stopwatch.GetTimestamp();
                    if (await write.ExecuteAsync(db) != WriteOutcome.Written) throw new InvalidOperationException("save refused");
                    if (renewing) leaseSetAt = sentAt;
                    stored = next;
                }

                if (n % 2 == 0)
                {
                    var credentials = new WeChatCredentials(world.AppIds[n / 2 % world.AppIds.Count], secret);
                    var material = await _weChat.AddMaterialAsync(credentials, WeChatMaterialType.Image, _picture, CancellationToken.None);
                    await SaveAsync();
                    var draft = await _weChat.AddDraftAsync(credentials,
                        [new WeChatArticle { Title = $"下限 {run} {n}", Content = "<p>政务公开</p>", ThumbMediaId = material.MediaId }], CancellationToken.None);
                    await SaveAsync();
                    await SaveAsync(); // the send marker, before the call that must not be repeated
                    var submitted = await _weChat.SubmitPublishAsync(credentials, draft, CancellationToken.None);
                    await SaveAsync();
                    var outcome = await _weChat.GetPublishAsync(credentials, submitted.PublishId, CancellationToken.None);
                    if (outcome.Status != WeChatPublishStatus.Success) throw new InvalidOperationException($"publish {submitted.PublishId}: {outcome.Status}");
                }
                else
                {
                    var credentials = new WeiboCredentials(world.WeiboTokens[n / 2 % world.WeiboTokens.Count]);
                    await SaveAsync(); // the send marker
                    await _weibo.ShareAsync(credentials, new WeiboShareRequest($"下限 {run} {n} http://www.example.gov.cn/{n}", "127.0.0.1", _picture), CancellationToken.None);
                }

                await SaveAsync(last: true);
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var redisAfter = await world.RedisCpuAsync();
        var statsAfter = await world.CommandStatsAsync();
        var effects = world.Effects() - effectsBefore;
        if (effects != publications) throw new InvalidOperationException($"{effects} effects on the sandboxes for {publications} publications");
        var commands = statsAfter.Sum(kv => kv.Value - statsBefore.GetValueOrDefault(kv.Key)) / (double)publications;
        return new Result(publications, seconds, publications / seconds, cpu,
            redisAfter.UserSeconds + redisAfter.SysSeconds - redisBefore.UserSeconds - redisBefore.SysSeconds, commands);
    }

    private RedisKey Document(string run, int n) => Keys.Publication($"{run}-{n}");

    public void Dispose()
    {
        _weChat.Dispose();
        _weibo.Dispose();
    }
}
