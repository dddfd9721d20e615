using MediaGateway.Storage;
using MediaGateway.Webhooks;
using StackExchange.Redis;

namespace MediaGateway.Accounts;

/// <summary>Accounts' managed state in Redis (one JSON document each, changed by compare-and-set with its event).</summary>
internal sealed class AccountStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    public Task<Versioned<AccountState>?> GetAsync(string id) =>
        Versioned.ReadAsync<AccountState>(redis.GetDatabase(), keys.AccountState(id));

    /// <summary>The stored state documents of several accounts in one round trip (null where an account has none).</summary>
    public Task<RedisValue[]> GetStoredAsync(IReadOnlyList<string> ids) =>
        redis.GetDatabase().StringGetAsync(ids.Select(id => (RedisKey)keys.AccountState(id)).ToArray());

    /// <summary>Records a new account's definition and first state together; false when the id already exists.</summary>
    public async Task<bool> TryOpenAsync(string id, IReadOnlyDictionary<string, string> definition, AccountState state, GatewayEvent e)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.HashNotExists(keys.AccountDefinitions, id));
        tx.AddCondition(Condition.KeyNotExists(keys.AccountState(id)));
        _ = tx.HashSetAsync(keys.AccountDefinitions, id, Json.SerializeUtf8(definition));
        _ = tx.StringSetAsync(keys.AccountState(id), Json.SerializeUtf8(state));
        EventStream.Append(tx, keys, [e]);
        return await tx.ExecuteAsync();
    }

    /// <summary>Every account opened through the API: id and its configuration keys.</summary>
    public async Task<IReadOnlyList<(string Id, Dictionary<string, string> Definition)>> DefinitionsAsync() =>
        (await redis.GetDatabase().HashGetAllAsync(keys.AccountDefinitions))
            .Select(e => ((string)e.Name!, Json.Deserialize<Dictionary<string, string>>(e.Value!)))
            .ToList();

    /// <summary>Writes the seed state unless the account already has one.</summary>
    public Task SeedAsync(string id, AccountState state) =>
        redis.GetDatabase().StringSetAsync(keys.AccountState(id), Json.SerializeUtf8(state), when: When.NotExists);

    public async Task<bool> TryUpdateAsync(string id, Versioned<AccountState> current, AccountState updated, GatewayEvent e)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.StringEqual(keys.AccountState(id), current.Stored));
        _ = tx.StringSetAsync(keys.AccountState(id), Json.SerializeUtf8(updated));
        EventStream.Append(tx, keys, [e]);
        return await tx.ExecuteAsync();
    }
}
