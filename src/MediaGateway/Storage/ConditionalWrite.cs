using StackExchange.Redis;

namespace MediaGateway.Storage;

/// <summary>
/// A compare-and-set of one JSON document together with further writes, run as one Lua script: one round trip and one
/// command, where WATCH/GET/MULTI/…/EXEC take two round trips and five more commands. The writes happen only when the
/// document is still exactly the text read; nothing runs in between (a script is atomic). Every write names exactly one
/// key, passed in KEYS, so on Redis Cluster the keys must share a hash tag, as all of the gateway's do.
/// </summary>
public sealed class ConditionalWrite
{
    // ARGV[1] is the expected text; then, per key from KEYS[2] on: the command, its argument count, its arguments.
    private const string Script = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        local a = 2
        for k = 2, #KEYS do
          local n = tonumber(ARGV[a + 1])
          redis.call(ARGV[a], KEYS[k], unpack(ARGV, a + 2, a + 1 + n))
          a = a + 2 + n
        end
        return 1
        """;

    private readonly List<RedisKey> _keys = [];
    private readonly List<RedisValue> _args = [];

    /// <param name="key">The document's key.</param>
    /// <param name="expected">Its exact text as read; the writes happen only if it is still that.</param>
    public ConditionalWrite(RedisKey key, string expected)
    {
        _keys.Add(key);
        _args.Add(expected);
    }

    public void StringSet(RedisKey key, RedisValue value, TimeSpan? expiry = null)
    {
        if (expiry is { } ttl) Add("SET", key, value, "PX", Math.Max(1, (long)ttl.TotalMilliseconds));
        else Add("SET", key, value);
    }

    public void StringIncrement(RedisKey key) => Add("INCR", key);

    public void KeyExpire(RedisKey key, TimeSpan expiry) => Add("PEXPIRE", key, Math.Max(1, (long)expiry.TotalMilliseconds));

    public void SortedSetAdd(RedisKey key, RedisValue member, long score) => Add("ZADD", key, score, member);

    public void SetAdd(RedisKey key, RedisValue member) => Add("SADD", key, member);

    public void StreamAdd(RedisKey key, RedisValue field, RedisValue value) => Add("XADD", key, "*", field, value);

    public void StreamAcknowledge(RedisKey key, RedisValue group, RedisValue id) => Add("XACK", key, group, id);

    public void StreamDelete(RedisKey key, RedisValue id) => Add("XDEL", key, id);

    /// <summary>True when the document was still as read and every write was made.</summary>
    public async Task<bool> ExecuteAsync(IDatabaseAsync db) =>
        (long)await db.ScriptEvaluateAsync(Script, [.. _keys], [.. _args]) == 1;

    private void Add(string command, RedisKey key, params ReadOnlySpan<RedisValue> args)
    {
        _keys.Add(key);
        _args.Add(command);
        _args.Add(args.Length);
        foreach (var arg in args)
        {
            _args.Add(arg);
        }
    }
}
