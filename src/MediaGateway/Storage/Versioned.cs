namespace MediaGateway.Storage;

/// <summary>
/// A document read from Redis with its exact stored bytes (UTF-8 JSON), so a write can be made conditional on nothing
/// having changed since (compare-and-set). Bytes, not a string: a string is twice the size, and an item for 200 accounts
/// would then land on the large object heap at every read.
/// </summary>
internal sealed record Versioned<T>(T Value, StackExchange.Redis.RedisValue Stored);

internal static class Versioned
{
    /// <summary>Reads the JSON document at <paramref name="key"/>, keeping its exact bytes for a later compare-and-set.</summary>
    public static async Task<Versioned<T>?> ReadAsync<T>(StackExchange.Redis.IDatabase db, string key)
    {
        var stored = await db.StringGetAsync(key);
        return stored.IsNull ? null : new Versioned<T>(Json.Deserialize<T>(stored), stored);
    }
}
