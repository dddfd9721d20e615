using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.Tests.Publishing;

/// <summary>
/// The compare-and-set every publication step is saved with (<see cref="ConditionalWrite"/>), on the real Redis (and on
/// Redis Cluster when the suite runs there): all of its writes happen when the document is still as read, none otherwise.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConditionalWriteTests(GatewayTestHost host)
{
    private sealed record Keys(string Doc, string Index, string Due, string Parked, string Count, string Stream);

    private Keys NewKeys()
    {
        var tag = host.Services.GetRequiredService<RedisKeys>().Tag;
        var id = Guid.NewGuid().ToString("N");
        return new Keys($"{tag}:test:cas:{id}", $"{tag}:test:cas-index:{id}", $"{tag}:test:cas-due:{id}", $"{tag}:test:cas-parked:{id}",
            $"{tag}:test:cas-count:{id}", $"{tag}:test:cas-stream:{id}");
    }

    private static ConditionalWrite Writes(Keys k, string expected)
    {
        var write = new ConditionalWrite(k.Doc, expected);
        write.StringSet(k.Doc, "{\"v\":2}");
        write.StringSet(k.Index, "pub-1", TimeSpan.FromMinutes(5));
        write.SortedSetAdd(k.Due, "pub-1", 1_764_000_000_123);
        write.SetAdd(k.Parked, "pub-1");
        write.StringIncrement(k.Count);
        write.KeyExpire(k.Count, TimeSpan.FromDays(1));
        write.StreamAdd(k.Stream, "event", "{\"type\":\"test\"}");
        return write;
    }

    [Fact]
    public async Task TheDocumentAsRead_EveryWriteIsMade()
    {
        var db = host.Multiplexer.GetDatabase();
        var k = NewKeys();
        await db.StringSetAsync(k.Doc, "{\"v\":1}");

        Assert.Equal(WriteOutcome.Written, await Writes(k, "{\"v\":1}").ExecuteAsync(db));

        Assert.Equal("{\"v\":2}", (string?)await db.StringGetAsync(k.Doc));
        Assert.Equal("pub-1", (string?)await db.StringGetAsync(k.Index));
        var ttl = await db.KeyTimeToLiveAsync(k.Index);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.Equal(1_764_000_000_123, await db.SortedSetScoreAsync(k.Due, "pub-1"));
        Assert.True(await db.SetContainsAsync(k.Parked, "pub-1"));
        Assert.Equal(1, (long)await db.StringGetAsync(k.Count));
        Assert.NotNull(await db.KeyTimeToLiveAsync(k.Count));
        var entry = Assert.Single(await db.StreamRangeAsync(k.Stream));
        Assert.Equal("{\"type\":\"test\"}", (string?)entry["event"]);
    }

    [Theory]
    [InlineData("{\"v\":0}")] // changed since it was read
    [InlineData(null)] // gone since it was read
    public async Task TheDocumentChangedOrGone_NothingIsWritten(string? stored)
    {
        var db = host.Multiplexer.GetDatabase();
        var k = NewKeys();
        if (stored is not null) await db.StringSetAsync(k.Doc, stored);

        Assert.Equal(WriteOutcome.Stale, await Writes(k, "{\"v\":1}").ExecuteAsync(db));

        Assert.Equal(stored, (string?)await db.StringGetAsync(k.Doc));
        foreach (var key in new[] { k.Index, k.Due, k.Parked, k.Count, k.Stream })
        {
            Assert.False(await db.KeyExistsAsync(key), $"{key} was written although the compare failed");
        }
    }

    [Fact]
    public async Task ALeaseStillHeld_IsRenewedWithTheWrites_AndOneTakenOver_IsReportedLost()
    {
        var db = host.Multiplexer.GetDatabase();
        var k = NewKeys();
        var lockKey = k.Doc + ":lock";
        var stream = k.Stream + ":work";
        await db.StringSetAsync(k.Doc, "{\"v\":1}");
        await db.StreamCreateConsumerGroupAsync(stream, "workers", StreamPosition.NewMessages, createStream: true);
        await db.StreamAddAsync(stream, "pub", "pub-1");
        var entry = Assert.Single(await db.StreamReadGroupAsync(stream, "workers", "worker-1", ">", 1));
        await db.StringSetAsync(lockKey, "token-1", TimeSpan.FromSeconds(1));
        await Task.Delay(400); // the entry has been idle this long

        var write = Writes(k, "{\"v\":1}");
        write.RenewLease(lockKey, "token-1", TimeSpan.FromMinutes(1), stream, "workers", "worker-1", entry.Id);
        Assert.Equal(WriteOutcome.Written, await write.ExecuteAsync(db));

        Assert.Equal("{\"v\":2}", (string?)await db.StringGetAsync(k.Doc));
        Assert.InRange((await db.KeyTimeToLiveAsync(lockKey))!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        var pending = Assert.Single(await db.StreamPendingMessagesAsync(stream, "workers", 10, "worker-1"));
        Assert.True(pending.IdleTimeInMilliseconds < 400, $"the entry's idle time was reset (now {pending.IdleTimeInMilliseconds} ms)");

        // Another worker holds the lease now: the writes are made (the document was as read), the lease is not touched.
        await db.StringSetAsync(lockKey, "token-2", TimeSpan.FromSeconds(5));
        var late = new ConditionalWrite(k.Doc, "{\"v\":2}");
        late.StringSet(k.Doc, "{\"v\":3}");
        late.RenewLease(lockKey, "token-1", TimeSpan.FromMinutes(1), stream, "workers", "worker-1", entry.Id);
        Assert.Equal(WriteOutcome.WrittenLeaseLost, await late.ExecuteAsync(db));
        Assert.Equal("{\"v\":3}", (string?)await db.StringGetAsync(k.Doc));
        Assert.Equal("token-2", (string?)await db.StringGetAsync(lockKey));
        Assert.True((await db.KeyTimeToLiveAsync(lockKey))!.Value <= TimeSpan.FromSeconds(5), "the other worker's lease was not extended");
    }
    [Fact]
    public async Task AClaimHeldByAnother_WritesNothing_NotEvenTheClaimsBeforeIt_AndFreeOrOwnClaimsAreMade()
    {
        var db = host.Multiplexer.GetDatabase();
        var k = NewKeys();
        var (free, heldElsewhere, own) = (k.Doc + ":post-a", k.Doc + ":post-b", k.Doc + ":post-c");
        await db.StringSetAsync(k.Doc, "{\"v\":1}");
        await db.StringSetAsync(heldElsewhere, "pub-other");
        await db.StringSetAsync(own, "pub-1");

        var refused = new ConditionalWrite(k.Doc, "{\"v\":1}");
        refused.Claim(free, "pub-1");
        refused.Claim(heldElsewhere, "pub-1");
        refused.StringSet(k.Doc, "{\"v\":2}");
        Assert.Equal(WriteOutcome.ClaimHeld, await refused.ExecuteAsync(db));
        Assert.False(await db.KeyExistsAsync(free), "the claim made before the held one was left behind");
        Assert.Equal("pub-other", (string?)await db.StringGetAsync(heldElsewhere));
        Assert.Equal("{\"v\":1}", (string?)await db.StringGetAsync(k.Doc));

        var made = new ConditionalWrite(k.Doc, "{\"v\":1}");
        made.Claim(free, "pub-1");
        made.Claim(own, "pub-1");
        made.StringSet(k.Doc, "{\"v\":2}");
        Assert.Equal(WriteOutcome.Written, await made.ExecuteAsync(db));
        Assert.Equal(("pub-1", "pub-1"), ((string?)await db.StringGetAsync(free), (string?)await db.StringGetAsync(own)));
        Assert.Equal("{\"v\":2}", (string?)await db.StringGetAsync(k.Doc));
    }
    [Fact]
    public async Task KeysReadWithTheDocument_ComeBackInOrder_WhetherOrNotTheWritesWereMade()
    {
        var db = host.Multiplexer.GetDatabase();
        var k = NewKeys();
        var (first, missing) = (k.Doc + ":input-1", k.Doc + ":input-2");
        await db.StringSetAsync(k.Doc, "{\"v\":1}");
        await db.StringSetAsync(first, "state-1");

        var written = new ConditionalWrite(k.Doc, "{\"v\":1}");
        written.StringSet(k.Doc, "{\"v\":2}");
        written.ReadWithDocument([first, missing]);
        var (outcome, read) = await written.ExecuteAndReadAsync(db);
        Assert.Equal(WriteOutcome.Written, outcome);
        Assert.Equal(2, read.Length);
        Assert.Equal("state-1", (string?)read[0]);
        Assert.True(read[1].IsNull);

        await db.StringSetAsync(first, "state-2");
        var stale = new ConditionalWrite(k.Doc, "{\"v\":1}");
        stale.StringSet(k.Doc, "{\"v\":3}");
        stale.ReadWithDocument([first]);
        (outcome, read) = await stale.ExecuteAndReadAsync(db);
        Assert.Equal(WriteOutcome.Stale, outcome);
        Assert.Equal("state-2", (string?)Assert.Single(read));
        Assert.Equal("{\"v\":2}", (string?)await db.StringGetAsync(k.Doc));
    }
}
