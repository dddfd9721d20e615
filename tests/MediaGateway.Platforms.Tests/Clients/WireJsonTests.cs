using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediaGateway.Platforms.Internal;

namespace MediaGateway.Platforms.Tests.Clients;

public class WireJsonTests
{
    private sealed record Sample([property: JsonPropertyName("text")] string Text);

    private sealed class Ids
    {
        [JsonPropertyName("publish_id")]
        [JsonConverter(typeof(FlexibleStringConverter))]
        public string? PublishId { get; set; }

        [JsonPropertyName("count")]
        public int Count { get; set; }
    }

    [Fact]
    public void Serialize_ChineseAndEmoji_AreWrittenRawWithoutUnicodeEscapes()
    {
        var json = WireJson.Serialize(new Sample("关于做好2025年防汛工作的通知 🎉🇨🇳 €"));

        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
        Assert.Equal("{\"text\":\"关于做好2025年防汛工作的通知 🎉🇨🇳 €\"}", json);
        // And the bytes on the wire are plain UTF-8 (4 bytes for the emoji).
        var utf8 = Encoding.UTF8.GetBytes(json);
        Assert.True(utf8.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xF0, 0x9F, 0x8E, 0x89]) >= 0);
    }

    [Fact]
    public void Serialize_QuotesBackslashesAndControlCharacters_StayEscaped()
    {
        var original = "say \"hi\"\\ tab\tnl\nbell\u0007 中";
        var json = WireJson.Serialize(new Sample(original));

        Assert.Contains("\\\"hi\\\"", json, StringComparison.Ordinal);
        Assert.Contains("\\\\ tab\\t", json, StringComparison.Ordinal);
        Assert.Contains("\\n", json, StringComparison.Ordinal);
        Assert.Contains("\\u0007", json, StringComparison.Ordinal); // ASCII control: escaped, as JSON requires
        Assert.Contains("中", json, StringComparison.Ordinal);
        Assert.Equal(original, JsonSerializer.Deserialize<Sample>(json)!.Text);
    }

    [Fact]
    public void Serialize_EscapedBackslashFollowedByULetters_IsNotMistakenForAnEscape()
    {
        // The text holds a literal backslash then "uD83D\uDE00": it must come back unchanged.
        var original = "path\\uD83D\\uDE00 and \\u4E2D 😀";
        var json = WireJson.Serialize(new Sample(original));

        Assert.Equal(original, JsonSerializer.Deserialize<Sample>(json)!.Text);
        Assert.Contains("😀", json, StringComparison.Ordinal);
        Assert.Contains("\\\\uD83D", json, StringComparison.Ordinal);
    }

    [Fact]
    public void UnescapeNonAscii_LoneSurrogate_StaysEscapedBecauseUtf8CannotCarryIt()
    {
        var json = WireJson.UnescapeNonAscii("{\"a\":\"x\\uD83Dy\",\"b\":\"\\uDE00\",\"c\":\"\\u4e2d\\u0041\"}");

        Assert.Equal("{\"a\":\"x\\uD83Dy\",\"b\":\"\\uDE00\",\"c\":\"中\\u0041\"}", json);
    }

    [Fact]
    public void UnescapeNonAscii_RoundTripsEveryKindOfText()
    {
        string[] texts = ["", "plain", "中文", "😀😀", "a\\b", "\\", "\"\\u1234\"", "\u2028\u2029", "混合 mixed \\ \" 🚀\r\n"];
        foreach (var text in texts)
        {
            var json = WireJson.Serialize(new Sample(text));
            Assert.Equal(text, JsonSerializer.Deserialize<Sample>(json)!.Text);
            Assert.DoesNotMatch("\\\\u(?![0-9a-fA-F]{4})", json.Replace("\\\\", string.Empty, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("{\"publish_id\":\"2247483647\",\"count\":3}", "2247483647", 3)]
    [InlineData("{\"publish_id\":2247483647,\"count\":\"3\"}", "2247483647", 3)]
    [InlineData("{\"publish_id\":9223372036854775807,\"count\":0}", "9223372036854775807", 0)]
    [InlineData("{\"publish_id\":null}", null, 0)]
    public void FlexibleIds_AcceptDigitStringsAndNumbers(string json, string? expectedId, int expectedCount)
    {
        var ids = WireJson.Deserialize<Ids>(Encoding.UTF8.GetBytes(json))!;

        Assert.Equal(expectedId, ids.PublishId);
        Assert.Equal(expectedCount, ids.Count);
    }

    [Fact]
    public void FlexibleIds_ObjectIsRejected()
    {
        Assert.Throws<JsonException>(() => WireJson.Deserialize<Ids>("{\"publish_id\":{}}"u8));
    }
}
