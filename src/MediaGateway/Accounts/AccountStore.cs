using MediaGateway.Storage;
using MediaGateway.Webhooks;
using StackExchange.Redis;

namespace MediaGateway.Accounts;

/// <summary>Accounts' managed state in Redis (one JSON document each, changed by compare-and-set with its event).</summary>
public sealed class AccountStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    public async Task<Versioned<AccountState>?> GetAsync(string id)
    {
        var json = await redis.GetDatabase().StringGetAsync(keys.AccountState(id));
        return json.IsNull ? null : new Versioned<AccountState>(Json.Deserialize<AccountState>(json!), json!);
    }

    /// <summary>Writes the seed state unless the account already has one.</summary>
    public Task SeedAsync(string id, AccountState state) =>
        redis.GetDatabase().StringSetAsync(keys.AccountState(id), Json.Serialize(state), when: When.NotExists);

    public async Task<bool> TryUpdateAsync(string id, Versioned<AccountState> current, AccountState updated, GatewayEvent e)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.StringEqual(keys.AccountState(id), current.StoredJson));
        _ = tx.StringSetAsync(keys.AccountState(id), Json.Serialize(updated));
        EventStream.Append(tx, keys, [e]);
        return await tx.ExecuteAsync();
    }
}
