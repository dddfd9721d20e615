using MediaGateway.Storage;
using MediaGateway.Webhooks;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>Publications in Redis, changed only by compare-and-set (<see cref="ConditionalWrite"/>) together with queue moves and events.</summary>
internal sealed class PublicationStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    public Task<Versioned<Publication>?> GetAsync(string id) =>
        Versioned.ReadAsync<Publication>(redis.GetDatabase(), keys.Publication(id));

    public async Task<IReadOnlyList<Publication>> GetManyAsync(IEnumerable<string> ids)
    {
        var values = await redis.GetDatabase().StringGetAsync(ids.Select(i => (RedisKey)keys.Publication(i)).ToArray());
        return values.Where(v => !v.IsNull).Select(v => Json.Deserialize<Publication>(v!)).ToList();
    }

    /// <summary>Acknowledges and deletes a stream entry that needs no save.</summary>
    public Task AcknowledgeAsync(QueueEntry entry)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        Acknowledge(tx, entry);
        return tx.ExecuteAsync();
    }

    private void Acknowledge(ITransaction tx, QueueEntry entry)
    {
        _ = tx.StreamAcknowledgeAsync(keys.PublishStreamOf(entry.Lane), RedisKeys.PublishGroup, entry.Id);
        _ = tx.StreamDeleteAsync(keys.PublishStreamOf(entry.Lane), [entry.Id]);
    }

    /// <summary>Queues the writes that put a publication in its lane's stream now.</summary>
    public void Enqueue(ITransaction tx, Publication publication) =>
        _ = tx.StreamAddAsync(keys.PublishStreamOf(publication.Lane), "pub", publication.Id);

    /// <summary>Queues the writes that create a publication and put it in the stream (now) or the due set (later).</summary>
    public void AddNew(ITransaction tx, Publication publication)
    {
        tx.AddCondition(Condition.KeyNotExists(keys.Publication(publication.Id)));
        _ = tx.StringSetAsync(keys.Publication(publication.Id), Json.SerializeUtf8(publication));
        if (publication.State == PublicationState.Scheduled && publication.DueAt is { } due)
        {
            _ = tx.SortedSetAddAsync(keys.PublishDueOf(publication.Lane), publication.Id, due.ToUnixTimeMilliseconds());
        }
        else
        {
            Enqueue(tx, publication);
        }
    }

    /// <summary>
    /// Saves the new state if the stored one is still <paramref name="current"/>; optionally schedules the next look
    /// at it, acknowledges the stream entry that brought it, and appends events — all or nothing.
    /// </summary>
    public async Task<bool> TrySaveAsync(Versioned<Publication> current, Publication updated, DateTimeOffset? nextDue = null,
        QueueEntry? ackEntry = null, IEnumerable<GatewayEvent>? events = null, Action<ConditionalWrite>? also = null,
        IReadOnlyList<string>? claims = null) =>
        await SaveStepAsync(current, updated, Json.SerializeUtf8(updated), nextDue, ackEntry, events, also, renew: null, claims) is WriteOutcome.Written or WriteOutcome.WrittenLeaseLost;

    /// <summary>
    /// As <see cref="TrySaveAsync"/>, with the new state already serialised (<paramref name="updatedJson"/>) for a caller that
    /// goes on from it. When <paramref name="renew"/> (the worker's lease) is given, the same script either releases it,
    /// when this save acknowledges the entry (the work is done), or renews it for the next step once a tenth of it has
    /// passed (<see cref="PublicationLease.NeedsRenewal"/>), and otherwise checks that it still holds it
    /// (<see cref="WriteOutcome.WrittenLeaseLost"/>: saved, but the lease is gone and the worker must stop).
    /// </summary>
    public async Task<WriteOutcome> SaveStepAsync(Versioned<Publication> current, Publication updated, RedisValue updatedJson, DateTimeOffset? nextDue,
        QueueEntry? ackEntry, IEnumerable<GatewayEvent>? events, Action<ConditionalWrite>? also, PublicationLease? renew,
        IReadOnlyList<string>? claims = null) =>
        (await SaveStepAndReadAsync(current, updated, updatedJson, nextDue, ackEntry, events, also, renew, claims, readNext: [])).Outcome;

    /// <summary>
    /// As <see cref="SaveStepAsync"/>, and reads <paramref name="readNext"/> (the next step's inputs,
    /// <see cref="StepInputReader.KeysFor"/>) in the same command as the stored document: the step that follows needs no
    /// read of its own. The save's writes never touch those keys (a step that continues does not change the item, the
    /// account's state or its pauses).
    /// </summary>
    public async Task<(WriteOutcome Outcome, RedisValue[] Next)> SaveStepAndReadAsync(Versioned<Publication> current, Publication updated,
        RedisValue updatedJson, DateTimeOffset? nextDue, QueueEntry? ackEntry, IEnumerable<GatewayEvent>? events, Action<ConditionalWrite>? also,
        PublicationLease? renew, IReadOnlyList<string>? claims, RedisKey[] readNext)
    {
        var write = new ConditionalWrite(keys.Publication(updated.Id), current.Stored);
        foreach (var post in claims ?? [])
        {
            // Held by another publication: nothing below is written (WriteOutcome.ClaimHeld).
            write.Claim(keys.PostClaim(post), updated.Id);
        }

        write.StringSet(keys.Publication(updated.Id), updatedJson);
        if (nextDue is { } due)
        {
            write.SortedSetAdd(keys.PublishDueOf(updated.Lane), updated.Id, due.ToUnixTimeMilliseconds());
        }

        if (ackEntry is { } entry)
        {
            write.StreamAcknowledge(keys.PublishStreamOf(entry.Lane), RedisKeys.PublishGroup, entry.Id);
            write.StreamDelete(keys.PublishStreamOf(entry.Lane), entry.Id);
        }

        if (events is not null)
        {
            EventStream.Append(write, keys, events);
        }

        also?.Invoke(write);
        var (releasing, renewing) = (renew is not null && ackEntry is not null, renew is not null && ackEntry is null && renew.NeedsRenewal);
        if (releasing)
        {
            write.ReleaseLease(keys.PublicationLock(renew!.PublicationId), renew.Token);
        }
        else if (renewing)
        {
            write.RenewLease(keys.PublicationLock(renew!.PublicationId), renew.Token, renew.Duration,
                keys.PublishStreamOf(renew.Entry.Lane), RedisKeys.PublishGroup, renew.Consumer, renew.Entry.Id);
        }
        else if (renew is not null)
        {
            // Not renewed, but still checked (read with the document, no extra command): a lease lost any other way than by
            // expiry (Redis lost its last writes, another worker took the entry) stops the worker before its next call.
            write.CheckLease(keys.PublicationLock(renew.PublicationId), renew.Token);
        }

        // Taken before the script is sent (real time, as Redis keeps it): the lease's new expiry is at least this plus its duration.
        var sentAt = TimeProvider.System.GetTimestamp();
        write.ReadWithDocument(readNext);
        var (outcome, next) = await write.ExecuteAndReadAsync(redis.GetDatabase());
        if (outcome == WriteOutcome.Written)
        {
            if (releasing) renew!.Released = true;
            if (renewing) renew!.SetAt = sentAt;
        }

        return (outcome, next);
    }
}
