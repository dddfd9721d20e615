namespace MediaGateway.Storage;

/// <summary>A document read from Redis with the exact stored text, so a write can be made conditional on nothing having changed since (compare-and-set).</summary>
public sealed record Versioned<T>(T Value, string StoredJson);
