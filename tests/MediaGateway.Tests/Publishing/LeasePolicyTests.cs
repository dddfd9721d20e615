using System.Text;
using MediaGateway.Publishing;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.Tests.Publishing;

/// <summary>
/// How a step's save treats the worker's lease, on the real Redis: left as it is while less than a tenth of it has passed
/// (it is only checked, read with the document: no extra command), renewed after that, released by the save that
/// acknowledges the entry, and never touched when another worker holds it (which every save reports). An old-format record in Redis is read by the store and saved on.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class LeasePolicyTests(GatewayTestHost host)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private async Task<(PublicationStore Store, RedisKeys Keys, Versioned<Publication> Current, PublicationLease Lease)> ArrangeAsync(string lockToken)
    {
        var store = host.Services.GetRequiredService<PublicationStore>();
        var keys = host.Services.GetRequiredService<RedisKeys>();
        var db = host.Multiplexer.GetDatabase();
        var id = $"lease{Guid.NewGuid():N}.r1.wb-nobody";
        // Stored in the old, fuller format: the store reads it as it reads any record.
        var old = $$"""{"id":"{{id}}","contentId":"lease","revision":1,"accountId":"wb-nobody","platform":"weibo","approvedFingerprint":"sha256:00","state":"queued","createdAt":"2026-12-07T22:26:00+00:00","attempts":0,"lane":"routine","bodyImageUrls":{},"outcomePolls":0,"retractAttempts":0,"history":[],"canRedrive":false,"isFinal":false,"needsWork":true,"untouched":true}""";
        await db.StringSetAsync(keys.Publication(id), Encoding.UTF8.GetBytes(old));
        await db.StringSetAsync(keys.PublicationLock(id), lockToken, TimeSpan.FromSeconds(20));
        var current = await store.GetAsync(id);
        Assert.NotNull(current);
        Assert.Equal((PublicationState.Queued, PublishLane.Routine), (current.Value.State, current.Value.Lane));
        // An entry id no worker has: the renewal's XCLAIM and the last save's XACK/XDEL find nothing to do.
        var entry = new QueueEntry(PublishLane.Routine, new StreamEntry("1-1", [new NameValueEntry("pub", id)]));
        return (store, keys, current, new PublicationLease(id, "token-1", entry, "test-consumer", Lease));
    }

    private static async Task<(WriteOutcome Outcome, Versioned<Publication> Saved)> SaveAsync(PublicationStore store, Versioned<Publication> current,
        PublicationLease lease, bool last, string note)
    {
        var updated = current.Value.With(DateTimeOffset.UtcNow, note);
        RedisValue json = Json.SerializeUtf8(updated);
        var outcome = await store.SaveStepAsync(current, updated, json, null, last ? lease.Entry : null, null, null, lease);
        return (outcome, new Versioned<Publication>(updated, json));
    }

    [Fact]
    public async Task AStepWithinATenthOfTheLease_LeavesItAlone_ALaterStepRenewsIt_AndTheLastSaveReleasesIt()
    {
        var (store, keys, current, lease) = await ArrangeAsync("token-1");
        var db = host.Multiplexer.GetDatabase();
        var lockKey = keys.PublicationLock(lease.PublicationId);

        // Just taken: the save does not renew (the lock keeps the 20 s it was set with).
        var (outcome, saved) = await SaveAsync(store, current, lease, last: false, "step 1");
        Assert.Equal(WriteOutcome.Written, outcome);
        Assert.True((await db.KeyTimeToLiveAsync(lockKey))!.Value <= TimeSpan.FromSeconds(20), "renewed although fresh");

        // More than a tenth (6 s) of the minute has passed since it was set: this save renews it for the whole minute.
        lease.SetAt = TimeProvider.System.GetTimestamp() - (7 * TimeProvider.System.TimestampFrequency);
        (outcome, saved) = await SaveAsync(store, saved, lease, last: false, "step 2");
        Assert.Equal(WriteOutcome.Written, outcome);
        Assert.InRange((await db.KeyTimeToLiveAsync(lockKey))!.Value, TimeSpan.FromSeconds(50), Lease);
        Assert.False(lease.NeedsRenewal);

        // The save that acknowledges the entry releases the lock with it.
        (outcome, saved) = await SaveAsync(store, saved, lease, last: true, "done");
        Assert.Equal(WriteOutcome.Written, outcome);
        Assert.False(await db.KeyExistsAsync(lockKey));
        Assert.True(lease.Released);
        Assert.Equal("done", (await store.GetAsync(lease.PublicationId))!.Value.History[^1].Note);
    }

    [Fact]
    public async Task ALockAnotherWorkerHolds_IsReportedLostByEverySave_AndNeitherRenewedNorReleased()
    {
        var (store, keys, current, lease) = await ArrangeAsync("token-2");
        var db = host.Multiplexer.GetDatabase();
        var lockKey = keys.PublicationLock(lease.PublicationId);

        // Fresh (not due for renewal): the save still checks the lock, read with the document, and reports it lost.
        var (outcome, saved) = await SaveAsync(store, current, lease, last: false, "step 1");
        Assert.Equal(WriteOutcome.WrittenLeaseLost, outcome);

        lease.SetAt = TimeProvider.System.GetTimestamp() - (7 * TimeProvider.System.TimestampFrequency);
        (outcome, saved) = await SaveAsync(store, saved, lease, last: false, "step 2");
        Assert.Equal(WriteOutcome.WrittenLeaseLost, outcome);
        Assert.True((await db.KeyTimeToLiveAsync(lockKey))!.Value <= TimeSpan.FromSeconds(20), "the other worker's lease was extended");

        (outcome, _) = await SaveAsync(store, saved, lease, last: true, "done");
        Assert.Equal(WriteOutcome.WrittenLeaseLost, outcome);
        Assert.Equal("token-2", (string?)await db.StringGetAsync(lockKey));
        Assert.False(lease.Released);
    }
}
