namespace MediaGateway.Storage;

/// <summary>A document read from Redis with the exact stored text, so a write can be made conditional on nothing having changed since (compare-and-set).</summary>
public sealed record Versioned<T>(T Value, string StoredJson);

public static class Versioned
{
    /// <summary>Reads the JSON document at <paramref name="key"/>, keeping its exact text for a later compare-and-set.</summary>
    public static async Task<Versioned<T>?> ReadAsync<T>(StackExchange.Redis.IDatabase db, string key)
    {
        var json = await db.StringGetAsync(key);
        return json.IsNull ? null : new Versioned<T>(Json.Deserialize<T>(json!), json!);
    }
}
