using MediaGateway.Content;
using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Scheduling;

/// <summary>
/// Which items are scheduled when, per account: <c>{mg}:schedule:ACCOUNT</c>, item id → the time (unix ms) it is to go
/// out there. Written in the same transaction as the item (submission, revision). It is a hint, not the truth: an
/// item withdrawn, rejected or rescheduled stays in it until its next write, so readers keep an entry only when the
/// item itself still says so (<see cref="SlotBook"/>).
/// </summary>
internal sealed class ScheduleStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>Queues the writes that move <paramref name="item"/>'s entries from what <paramref name="previous"/> said to what it says.</summary>
    public void Index(ITransaction tx, ContentItem? previous, ContentItem item)
    {
        foreach (var account in previous?.Targets ?? [])
        {
            if (previous!.ScheduledFor(account) is not null && item.ScheduledFor(account) is null)
                _ = tx.SortedSetRemoveAsync(keys.Schedule(account), item.Id);
        }

        foreach (var account in item.Targets)
        {
            if (item.ScheduledFor(account) is { } at)
                _ = tx.SortedSetAddAsync(keys.Schedule(account), item.Id, at.ToUnixTimeMilliseconds());
        }
    }

    /// <summary>
    /// Makes the transaction fail unless the account's index still holds exactly <paramref name="entries"/> entries at
    /// <paramref name="at"/>, as when the slot was found free: two submissions that found the same slot free at the same
    /// moment cannot both take it (the later one finds it again, taken).
    /// </summary>
    public void RequireUnchanged(ITransaction tx, string accountId, DateTimeOffset at, long entries)
    {
        var ms = at.ToUnixTimeMilliseconds();
        tx.AddCondition(Condition.SortedSetLengthEqual(keys.Schedule(accountId), entries, ms, ms));
    }

    /// <summary>The entries of one account from <paramref name="from"/> through <paramref name="through"/>, in time order.</summary>
    public async Task<IReadOnlyList<(string ItemId, DateTimeOffset At)>> RangeAsync(string accountId, DateTimeOffset from, DateTimeOffset through)
    {
        var entries = await redis.GetDatabase().SortedSetRangeByScoreWithScoresAsync(keys.Schedule(accountId),
            from.ToUnixTimeMilliseconds(), through.ToUnixTimeMilliseconds());
        return [.. entries.Select(e => ((string)e.Element!, DateTimeOffset.FromUnixTimeMilliseconds((long)e.Score)))];
    }

    /// <summary>How many mass sends a WeChat account has taken in the quota period starting at <paramref name="periodStart"/> (<c>WeChatMassSlots</c>).</summary>
    public async Task<long> MassSendsTakenAsync(string appId, DateTimeOffset periodStart) =>
        await redis.GetDatabase().SetLengthAsync(keys.WeChatMassSlots(appId, periodStart));
}
