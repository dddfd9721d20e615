using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Notifications;

/// <summary>
/// The notices' Redis keys and commands (decision 34), all under the deployment's hash tag:
/// <list type="bullet">
/// <item><c>{mg}:notices:robot:{robot}:pending</c> — list: a robot's notices not yet sent, oldest first (JSON <see cref="Notice"/>).
/// The router appends, the sender reads the head, and removes it only once the platform took the message.</item>
/// <item><c>{mg}:notices:robot:{robot}:sender</c> — which gateway sends for the robot now (a short lease), so two gateways
/// never send the same head twice.</item>
/// <item><c>{mg}:notices:person:{user}</c> — sorted set: a person's notices (JSON <see cref="PersonNotice"/>) by audit sequence,
/// the newest <see cref="PersonLimit"/> kept; the key lives <see cref="PersonDays"/> days after its last notice.</item>
/// <item><c>{mg}:notices:person:{user}:read</c> — the audit sequence up to which the person has read.</item>
/// </list>
/// A routed audit entry is acknowledged in the same transaction as the notices it caused: a restart loses none and adds none.
/// </summary>
internal sealed class NoticeStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    public const int PersonLimit = 200, PersonDays = 30;
    private static readonly TimeSpan PersonKeep = TimeSpan.FromDays(PersonDays);

    private string RobotPending(string robot) => $"{keys.Tag}:notices:robot:{robot}:pending";

    private string RobotSender(string robot) => $"{keys.Tag}:notices:robot:{robot}:sender";

    private string Person(string user) => $"{keys.Tag}:notices:person:{user}";

    private string PersonRead(string user) => $"{keys.Tag}:notices:person:{user}:read";

    /// <summary>
    /// Records what a batch of audit entries caused — notices for robots, notices for people — and acknowledges the
    /// entries in the consumer group, in one transaction: one RPUSH per robot and one ZADD (with its trim) per person
    /// however many entries the batch holds, so a 200-account fan-out costs a few commands, not a few per publication.
    /// </summary>
    public async Task RecordAsync(RedisKey stream, string group, RedisValue[] entryIds,
        IReadOnlyList<(string Robot, Notice Notice)> robots, IReadOnlyList<(string User, PersonNotice Notice)> people)
    {
        var db = redis.GetDatabase();
        if (robots.Count == 0 && people.Count == 0)
        {
            await db.StreamAcknowledgeAsync(stream, group, entryIds);
            return;
        }

        var tx = db.CreateTransaction();
        foreach (var robot in robots.GroupBy(r => r.Robot, StringComparer.Ordinal))
        {
            _ = tx.ListRightPushAsync(RobotPending(robot.Key), [.. robot.Select(r => (RedisValue)Json.SerializeUtf8(r.Notice))]);
        }

        foreach (var person in people.GroupBy(p => p.User, StringComparer.Ordinal))
        {
            var key = Person(person.Key);
            _ = tx.SortedSetAddAsync(key, [.. person.Select(p => new SortedSetEntry(Json.SerializeUtf8(p.Notice), p.Notice.Seq))]);
            _ = tx.SortedSetRemoveRangeByRankAsync(key, 0, -(PersonLimit + 1));
            _ = tx.KeyExpireAsync(key, PersonKeep);
            _ = tx.KeyExpireAsync(PersonRead(person.Key), PersonKeep);
        }

        _ = tx.StreamAcknowledgeAsync(stream, group, entryIds);
        await tx.ExecuteAsync();
    }

    /// <summary>The oldest <paramref name="count"/> notices waiting for a robot, in order.</summary>
    public async Task<IReadOnlyList<Notice>> RobotPendingAsync(string robot, int count)
    {
        var stored = await redis.GetDatabase().ListRangeAsync(RobotPending(robot), 0, count - 1);
        return [.. stored.Select(v => Json.Deserialize<Notice>(v))];
    }

    /// <summary>How many notices wait for a robot.</summary>
    public Task<long> RobotPendingCountAsync(string robot) => redis.GetDatabase().ListLengthAsync(RobotPending(robot));

    /// <summary>
    /// The platform took the oldest <paramref name="count"/> notices: they leave the list, and the sender's lease is renewed,
    /// both only while <paramref name="owner"/> still holds the lease. A send that outlasted the lease (another gateway
    /// took over and sends from the head of the list itself) must not cut notices that the other one has not sent.
    /// </summary>
    public async Task<bool> RobotSentAsync(string robot, int count, string owner, TimeSpan lease)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.StringEqual(RobotSender(robot), owner));
        _ = tx.ListTrimAsync(RobotPending(robot), count, -1);
        _ = tx.KeyExpireAsync(RobotSender(robot), lease);
        return await tx.ExecuteAsync();
    }

    /// <summary>A robot's pending list as the sender holding its lease (<see cref="LeaseRobotAsync"/>) reads it.</summary>
    public IRobotQueue QueueFor(string robot, string owner, TimeSpan lease) => new RobotQueue(this, robot, owner, lease);

    private sealed class RobotQueue(NoticeStore store, string robot, string owner, TimeSpan lease) : IRobotQueue
    {
        public Task<IReadOnlyList<Notice>> PeekAsync(int count) => store.RobotPendingAsync(robot, count);

        public Task<long> CountAsync() => store.RobotPendingCountAsync(robot);

        public Task<bool> RemoveAsync(int count) => store.RobotSentAsync(robot, count, owner, lease);
    }

    /// <summary>Takes (or keeps) the right to send for a robot for <paramref name="lease"/>; false when another gateway holds it.</summary>
    public async Task<bool> LeaseRobotAsync(string robot, string owner, TimeSpan lease)
    {
        var db = redis.GetDatabase();
        return await db.LockTakeAsync(RobotSender(robot), owner, lease) || await db.LockExtendAsync(RobotSender(robot), owner, lease);
    }

    /// <summary>Gives the right to send for a robot back (at stop), when this gateway still holds it.</summary>
    public Task ReleaseRobotAsync(string robot, string owner) => redis.GetDatabase().LockReleaseAsync(RobotSender(robot), owner);

    /// <summary>
    /// A person's notices, newest first, those of the last <see cref="PersonDays"/> days; older ones are removed as they
    /// are found. <paramref name="readUpTo"/> is the sequence up to which the person has read.
    /// </summary>
    public async Task<(IReadOnlyList<PersonNotice> Notices, long ReadUpTo)> PersonAsync(string user, DateTimeOffset now)
    {
        var db = redis.GetDatabase();
        var all = db.SortedSetRangeByRankAsync(Person(user), 0, -1, Order.Descending);
        var read = db.StringGetAsync(PersonRead(user));
        await Task.WhenAll(all, read);
        var notices = new List<PersonNotice>();
        var expired = new List<RedisValue>();
        foreach (var value in all.Result)
        {
            var notice = Json.Deserialize<PersonNotice>(value);
            if (now - notice.At > PersonKeep) expired.Add(value);
            else notices.Add(notice);
        }

        if (expired.Count > 0) await db.SortedSetRemoveAsync(Person(user), [.. expired]);
        return (notices, read.Result.TryParse(out long upTo) ? upTo : 0);
    }

    /// <summary>Marks the person's notices read up to <paramref name="seq"/> (never back: an older mark leaves a newer one).</summary>
    public async Task MarkReadAsync(string user, long seq)
    {
        var db = redis.GetDatabase();
        var key = PersonRead(user);
        while (true)
        {
            var current = await db.StringGetAsync(key);
            if (current.TryParse(out long was) && was >= seq) return;
            var tx = db.CreateTransaction();
            tx.AddCondition(current.IsNull ? Condition.KeyNotExists(key) : Condition.StringEqual(key, current));
            _ = tx.StringSetAsync(key, seq, PersonKeep);
            if (await tx.ExecuteAsync()) return;
        }
    }
}
