using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGateway.Platforms.Internal;

/// <summary>
/// JSON as the platforms want it: UTF-8 with non-ASCII written raw (WeChat answers 40033 to <c>\uXXXX</c>),
/// ids read from digit strings or numbers, numbers read from strings.
/// </summary>
internal static class WireJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serialises <paramref name="value"/> with no <c>\uXXXX</c> escape for any non-ASCII character.</summary>
    public static string Serialize<T>(T value) => UnescapeNonAscii(JsonSerializer.Serialize(value, Options));

    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8Json) => JsonSerializer.Deserialize<T>(utf8Json, Options);

    /// <summary>
    /// Rewrites every <c>\uXXXX</c> escape of a non-ASCII character (surrogate pairs included) as the character itself.
    /// System.Text.Json escapes supplementary characters (emoji) even with the relaxed encoder. Escapes of ASCII
    /// (quotes, backslashes, control characters) and lone surrogates, which have no UTF-8 form, are kept.
    /// </summary>
    public static string UnescapeNonAscii(string json)
    {
        if (!json.Contains("\\u", StringComparison.Ordinal))
        {
            return json;
        }

        var result = new StringBuilder(json.Length);
        var i = 0;
        while (i < json.Length)
        {
            var c = json[i];
            if (c != '\\' || i + 1 >= json.Length)
            {
                result.Append(c);
                i++;
                continue;
            }

            // Every escape is consumed whole, so the 'u' of an escaped backslash followed by "u1234" is never taken.
            if (json[i + 1] != 'u' || !TryReadHex4(json, i + 2, out var escaped) || escaped < 0x80)
            {
                result.Append(c).Append(json[i + 1]);
                i += 2;
                continue;
            }

            if (char.IsHighSurrogate(escaped))
            {
                if (i + 11 < json.Length && json[i + 6] == '\\' && json[i + 7] == 'u'
                    && TryReadHex4(json, i + 8, out var low) && char.IsLowSurrogate(low))
                {
                    result.Append(escaped).Append(low);
                    i += 12;
                    continue;
                }

                result.Append(json, i, 6);
                i += 6;
                continue;
            }

            if (char.IsLowSurrogate(escaped))
            {
                result.Append(json, i, 6);
                i += 6;
                continue;
            }

            result.Append(escaped);
            i += 6;
        }

        return result.ToString();
    }

    private static bool TryReadHex4(string s, int start, out char value)
    {
        value = '\0';
        if (start + 4 > s.Length)
        {
            return false;
        }

        var code = 0;
        for (var k = start; k < start + 4; k++)
        {
            var digit = HexValue(s[k]);
            if (digit < 0)
            {
                return false;
            }

            code = (code << 4) | digit;
        }

        value = (char)code;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Reads an id that the platform sends as a digit string in some versions and as a number in others.</summary>
internal sealed class FlexibleStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            // The raw digits, so a 64-bit id never goes through a double.
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            _ => throw new JsonException($"Expected a string or a number, found {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
