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
/// The least any gateway has to do per publication under the reliability promises, and nothing else: the same platform
/// calls as the gateway's (the same clients, real HTTP to the sandboxes), one durable save of the publication's state
/// before each call that must not be repeated and after each call whose result must not be lost (five for a WeChat
/// freepublish: cover, draft, send marker, submitted, published; two for Weibo: send marker, published), and the work
/// taken from a Redis stream by a consumer group and acknowledged with the last save. No item, rules, rendering,
/// events, leases, quotas or audit. Its rate is the ceiling of the end-to-end figure on the same machine.
/// </summary>
internal static class PlatformFloor
{
    public sealed record Result(int Publications, double Seconds, double PerSecond, double HarnessCpuSeconds, double RedisCpuSeconds, double CommandsPerPublication);

    public static async Task<Result> RunAsync(HarnessWorld world, byte[] cover, int publications, int workers)
    {
        var db = world.Multiplexer.GetDatabase();
        var keys = new RedisKeys("floor");
        var stream = (RedisKey)$"{keys.Tag}:stream:{Guid.NewGuid():N}";
        const string group = "floor";
        await db.StreamCreateConsumerGroupAsync(stream, group, "0-0", createStream: true);
        for (var i = 0; i < publications; i += 500)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(500, publications - i)).Select(n => db.StreamAddAsync(stream, "pub", n)));
        }

        using var weChat = new WeChatClient(new WeChatClientOptions { BaseUrl = world.WeChat.BaseAddress },
            new RedisWeChatTokenCache(world.Multiplexer, keys, TimeProvider.System), TimeProvider.System, NullLogger<WeChatClient>.Instance);
        using var weibo = new WeiboClient(new WeiboClientOptions { BaseUrl = world.Weibo.BaseAddress }, TimeProvider.System, NullLogger<WeiboClient>.Instance);
        var secret = world.WeChatSecret;
        var picture = new MediaFile("cover.png", "image/png", cover);
        // A publication document the size of the gateway's (~1 KB of JSON), saved whole at every step.
        var document = new string('x', 1024);
        var run = Guid.NewGuid().ToString("N")[..8]; // texts differ between runs: the platforms refuse a repeated post

        // Tokens first, as the gateway's keeper does at start.
        foreach (var appId in world.AppIds) await weChat.GetAccessTokenAsync(new WeChatCredentials(appId, secret), false, CancellationToken.None);

        var effectsBefore = world.Effects();
        var statsBefore = await world.CommandStatsAsync();
        var redisBefore = await world.RedisCpuAsync();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var taken = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            // Every entry is in the stream already: a worker that claims a slot always gets one.
            while (Interlocked.Increment(ref taken) <= publications)
            {
                var entries = await db.StreamReadGroupAsync(stream, group, $"w{w}", ">", count: 1);
                if (entries.Length == 0) throw new InvalidOperationException("the stream ran dry early");
                var n = (int)entries[0].Values[0].Value;
                var key = (RedisKey)keys.Publication($"floor{n}");
                Task Save() => db.StringSetAsync(key, document);
                if (n % 2 == 0)
                {
                    var credentials = new WeChatCredentials(world.AppIds[n / 2 % world.AppIds.Count], secret);
                    var material = await weChat.AddMaterialAsync(credentials, WeChatMaterialType.Image, picture, CancellationToken.None);
                    await Save();
                    var draft = await weChat.AddDraftAsync(credentials,
                        [new WeChatArticle { Title = $"下限 {run} {n}", Content = "<p>政务公开</p>", ThumbMediaId = material.MediaId }], CancellationToken.None);
                    await Save();
                    await Save(); // the send marker, before the call that must not be repeated
                    var submitted = await weChat.SubmitPublishAsync(credentials, draft, CancellationToken.None);
                    await Save();
                    var outcome = await weChat.GetPublishAsync(credentials, submitted.PublishId, CancellationToken.None);
                    if (outcome.Status != WeChatPublishStatus.Success) throw new InvalidOperationException($"publish {submitted.PublishId}: {outcome.Status}");
                }
                else
                {
                    var credentials = new WeiboCredentials(world.WeiboTokens[n / 2 % world.WeiboTokens.Count]);
                    await Save(); // the send marker
                    await weibo.ShareAsync(credentials, new WeiboShareRequest($"下限 {run} {n} http://www.example.gov.cn/{n}", "127.0.0.1", picture), CancellationToken.None);
                }

                // The last save and the acknowledgement together, as the gateway's last step does.
                var batch = db.CreateBatch();
                var saved = batch.StringSetAsync(key, document);
                var acked = batch.StreamAcknowledgeAsync(stream, group, entries[0].Id);
                batch.Execute();
                await Task.WhenAll(saved, acked);
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
}
