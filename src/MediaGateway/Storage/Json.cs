using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGateway.Storage;

/// <summary>
/// The one JSON shape used for Redis documents, events and the API: camelCase, enums as strings, Chinese unescaped.
/// Enums are always written by name. The API reads them by name only (a number, or a string of digits, is a 400);
/// storage still reads a number, so a record is never unreadable for the way an enum in it was spelt.
/// </summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <param name="enumsByNameOnly">True for request bodies: <c>"category": 5</c> or <c>"5"</c> is refused, not read as the sixth name.</param>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options, bool enumsByNameOnly = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: !enumsByNameOnly));
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>As UTF-8, the way Redis stores it: no string (twice the size, often on the large object heap) in between.</summary>
    public static byte[] SerializeUtf8<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new JsonException($"null {typeof(T).Name}");

    /// <summary>A value read from Redis, parsed from its UTF-8 bytes without first making a string of it.</summary>
    public static T Deserialize<T>(StackExchange.Redis.RedisValue stored) => DeserializeUtf8<T>(((ReadOnlyMemory<byte>)stored).Span);

    /// <summary>From UTF-8 as stored in Redis, without first making a string of it.</summary>
    public static T DeserializeUtf8<T>(ReadOnlySpan<byte> utf8) => JsonSerializer.Deserialize<T>(utf8, Options)
        ?? throw new JsonException($"null {typeof(T).Name}");
}
