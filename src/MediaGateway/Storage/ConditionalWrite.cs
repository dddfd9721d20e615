using StackExchange.Redis;

namespace MediaGateway.Storage;

/// <summary>
/// A compare-and-set of one JSON document together with further writes, run as one Lua script: one round trip and one
/// command, where WATCH/GET/MULTI/…/EXEC take two round trips and five more commands. The writes happen only when the
/// document is still exactly the text read; nothing runs in between (a script is atomic). Every write names exactly one
/// key, passed in KEYS, so on Redis Cluster the keys must share a hash tag, as all of the gateway's do.
/// Optionally it also checks, extends (<see cref="RenewLease"/>) or releases a work lease, read with the document in one
/// MGET, so a worker going on to its next step needs no separate round trip or command to know it still holds it.
/// </summary>
internal sealed class ConditionalWrite
{
    // ARGV[1] is the expected stored value, ARGV[2] the number of writes, ARGV[3] the number of claims; then, per key from KEYS[2]
    // on: the command, its argument count, its arguments. The claims are the first writes: SET key owner, allowed only when the
    // key is absent or already holds owner. Each is made with its check (SET NX GET: one command); if one is held by another
    // owner, the claims this script made are deleted again and nothing else is written. After the writes, optionally
    // a lease, read with the document (one MGET) and checked after the writes: KEYS lock (and stream, to renew); ARGV token,
    // then 'check', 'release', or 'renew' with ms, group, consumer, id. Last, the keys to read with the document (the same
    // MGET, before the writes), returned after the outcome; their number is the last ARGV.
    private const string Script = """
        local writes = tonumber(ARGV[2])
        local reads = tonumber(ARGV[#ARGV])
        local lease = #KEYS - reads > writes + 1
        local wanted = {KEYS[1]}
        if lease then wanted[2] = KEYS[writes + 2] end
        for k = #KEYS - reads + 1, #KEYS do wanted[#wanted + 1] = KEYS[k] end
        local got = redis.call('MGET', unpack(wanted))
        local doc, holder = got[1], false
        if lease then holder = got[2] end
        local function done(code)
          if reads == 0 then return code end
          local reply = {code}
          for i = #got - reads + 1, #got do reply[#reply + 1] = got[i] end
          return reply
        end
        if doc ~= ARGV[1] then return done(0) end
        local a = 4
        local claims = tonumber(ARGV[3])
        local taken = {}
        for k = 2, claims + 1 do
          local held = redis.call('SET', KEYS[k], ARGV[a + 2], 'NX', 'GET')
          if held and held ~= ARGV[a + 2] then
            for _, key in ipairs(taken) do redis.call('DEL', key) end
            return done(3)
          end
          if not held then taken[#taken + 1] = KEYS[k] end
          a = a + 3
        end
        for k = claims + 2, writes + 1 do
          local n = tonumber(ARGV[a + 1])
          redis.call(ARGV[a], KEYS[k], unpack(ARGV, a + 2, a + 1 + n))
          a = a + 2 + n
        end
        if lease then
          if holder ~= ARGV[a] then return done(2) end
          if ARGV[a + 1] == 'renew' then
            redis.call('PEXPIRE', KEYS[writes + 2], ARGV[a + 2])
            redis.call('XCLAIM', KEYS[writes + 3], ARGV[a + 3], ARGV[a + 4], 0, ARGV[a + 5], 'JUSTID')
          elseif ARGV[a + 1] == 'release' then
            redis.call('DEL', KEYS[writes + 2])
          end
        end
        return done(1)
        """;

    private readonly List<RedisKey> _keys = [];
    private readonly List<RedisValue> _args = [];
    private int _writes;
    private (RedisKey Lock, RedisValue Token, long Milliseconds, RedisKey Stream, RedisValue Group, RedisValue Consumer, RedisValue Id)? _lease;
    private (RedisKey Lock, RedisValue Token, string Mode)? _held;
    private RedisKey[] _reads = [];

    /// <param name="key">The document's key.</param>
    /// <param name="expected">Its exact stored bytes as read; the writes happen only if it is still that.</param>
    public ConditionalWrite(RedisKey key, RedisValue expected)
    {
        _keys.Add(key);
        _args.Add(expected);
        _args.Add(0); // the number of writes, set when executed
        _args.Add(0); // the number of claims
    }

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="owner"/>: written only if the key is absent or already names the
    /// owner; if another owner holds it, nothing at all is written (<see cref="WriteOutcome.ClaimHeld"/>). Claims must be
    /// added before any other write.
    /// </summary>
    public void Claim(RedisKey key, RedisValue owner)
    {
        if (_writes != (int)_args[2])
        {
            throw new InvalidOperationException("Claims come before the other writes.");
        }

        Add("SET", key, owner);
        _args[2] = (int)_args[2] + 1;
    }

    /// <summary>
    /// After the writes, extends the lease at <paramref name="lockKey"/> if <paramref name="token"/> still holds it, and
    /// resets the stream entry's idle time (XCLAIM to the same consumer), so no other worker reclaims work in progress.
    /// </summary>
    public void RenewLease(RedisKey lockKey, RedisValue token, TimeSpan duration, RedisKey stream, RedisValue group, RedisValue consumer, RedisValue entryId) =>
        _lease = (lockKey, token, Math.Max(1, (long)duration.TotalMilliseconds), stream, group, consumer, entryId);

    /// <summary>
    /// Reports whether <paramref name="token"/> still holds the lease at <paramref name="lockKey"/>
    /// (<see cref="WriteOutcome.WrittenLeaseLost"/> if not), without extending it. Read with the document: no extra command.
    /// </summary>
    public void CheckLease(RedisKey lockKey, RedisValue token) => _held = (lockKey, token, "check");

    /// <summary>
    /// After the writes, deletes the lease at <paramref name="lockKey"/> if <paramref name="token"/> still holds it (the
    /// work is done; <see cref="WriteOutcome.WrittenLeaseLost"/> if another holds it, which is left alone).
    /// </summary>
    public void ReleaseLease(RedisKey lockKey, RedisValue token) => _held = (lockKey, token, "release");

    /// <summary>
    /// Reads <paramref name="keys"/> in the same command as the document (so before the writes, which must not touch
    /// them), returned by <see cref="ExecuteAndReadAsync"/> whatever the outcome: what a caller needs next costs no
    /// round trip or command of its own.
    /// </summary>
    public void ReadWithDocument(RedisKey[] keys) => _reads = keys;

    public void StringSet(RedisKey key, RedisValue value, TimeSpan? expiry = null)
    {
        if (expiry is { } ttl) Add("SET", key, value, "PX", Math.Max(1, (long)ttl.TotalMilliseconds));
        else Add("SET", key, value);
    }

    public void StringIncrement(RedisKey key) => Add("INCR", key);

    public void KeyExpire(RedisKey key, TimeSpan expiry) => Add("PEXPIRE", key, Math.Max(1, (long)expiry.TotalMilliseconds));

    public void SortedSetAdd(RedisKey key, RedisValue member, long score) => Add("ZADD", key, score, member);

    public void SortedSetRemove(RedisKey key, RedisValue member) => Add("ZREM", key, member);

    /// <summary>Adds the member only if it is not there yet (ZADD NX): its first score stays.</summary>
    public void SortedSetAddNew(RedisKey key, RedisValue member, long score) => Add("ZADD", key, "NX", score, member);

    public void SetAdd(RedisKey key, RedisValue member) => Add("SADD", key, member);

    public void StreamAdd(RedisKey key, RedisValue field, RedisValue value) => Add("XADD", key, "*", field, value);

    public void StreamAcknowledge(RedisKey key, RedisValue group, RedisValue id) => Add("XACK", key, group, id);

    public void StreamDelete(RedisKey key, RedisValue id) => Add("XDEL", key, id);

    /// <summary>Whether the writes were made, and whether the lease (if one was to be renewed) is still held.</summary>
    public async Task<WriteOutcome> ExecuteAsync(IDatabaseAsync db) => (await ExecuteAndReadAsync(db)).Outcome;

    /// <summary>As <see cref="ExecuteAsync"/>, with the values of the keys asked for by <see cref="ReadWithDocument"/>, in their order.</summary>
    public async Task<(WriteOutcome Outcome, RedisValue[] Read)> ExecuteAndReadAsync(IDatabaseAsync db)
    {
        _args[1] = _writes;
        List<RedisKey> keys = [.. _keys];
        List<RedisValue> args = [.. _args];
        if (_lease is { } lease)
        {
            keys.Add(lease.Lock);
            keys.Add(lease.Stream);
            args.AddRange([lease.Token, "renew", lease.Milliseconds, lease.Group, lease.Consumer, lease.Id]);
        }
        else if (_held is { } held)
        {
            keys.Add(held.Lock);
            args.AddRange([held.Token, held.Mode]);
        }

        keys.AddRange(_reads);
        args.Add(_reads.Length);
        var result = await db.ScriptEvaluateAsync(Script, [.. keys], [.. args]);
        if (result.Resp2Type != ResultType.Array)
        {
            return ((WriteOutcome)(long)result, []);
        }

        var parts = (RedisResult[])result!;
        return ((WriteOutcome)(long)parts[0], [.. parts.Skip(1).Select(part => (RedisValue)part)]);
    }

    private void Add(string command, RedisKey key, params ReadOnlySpan<RedisValue> args)
    {
        _writes++;
        _keys.Add(key);
        _args.Add(command);
        _args.Add(args.Length);
        foreach (var arg in args)
        {
            _args.Add(arg);
        }
    }
}

/// <summary>What a <see cref="ConditionalWrite"/> did.</summary>
internal enum WriteOutcome
{
    /// <summary>The document had changed (or is gone): nothing was written.</summary>
    Stale = 0,

    /// <summary>Every write was made (and the lease, if asked, renewed).</summary>
    Written = 1,

    /// <summary>Every write was made, but the lease was no longer held by this token: the caller must stop.</summary>
    WrittenLeaseLost = 2,

    /// <summary>A claimed key is held by another owner: nothing was written.</summary>
    ClaimHeld = 3,
}
