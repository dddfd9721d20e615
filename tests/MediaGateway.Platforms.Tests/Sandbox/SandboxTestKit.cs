using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaGateway.Platforms.Tests.Sandbox;

/// <summary>Raw HTTP helpers: hand-written JSON in, parsed JSON out.</summary>
internal static class Wire
{
    public static async Task<(HttpResponseMessage Response, string Text)> PostRawJsonAsync(HttpClient http, string url, string json)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var response = await http.PostAsync(url, content);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonObject> PostJsonAsync(HttpClient http, string url, string json)
    {
        var (response, text) = await PostRawJsonAsync(http, url, json);
        Assert.Equal(200, (int)response.StatusCode);
        return Parse(text);
    }

    public static async Task<JsonObject> GetJsonAsync(HttpClient http, string url)
    {
        var response = await http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        return Parse(text);
    }

    public static async Task<(int Status, JsonObject Body)> PostFormAsync(HttpClient http, string url, params (string Key, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
        var response = await http.PostAsync(url, content);
        return ((int)response.StatusCode, Parse(await response.Content.ReadAsStringAsync()));
    }

    public static async Task<(int Status, JsonObject Body)> PostMultipartAsync(
        HttpClient http, string url, IEnumerable<(string Key, string Value)> fields, string? fileField, byte[]? file, string fileName = "image.png")
    {
        using var content = new MultipartFormDataContent();
        foreach (var (key, value) in fields)
        {
            content.Add(new StringContent(value, Encoding.UTF8), key);
        }

        if (fileField is not null && file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, fileField, fileName);
        }

        var response = await http.PostAsync(url, content);
        return ((int)response.StatusCode, Parse(await response.Content.ReadAsStringAsync()));
    }

    public static JsonObject Parse(string text) =>
        JsonNode.Parse(text) as JsonObject ?? throw new Xunit.Sdk.XunitException("Expected a JSON object: " + text);

    public static long Errcode(JsonObject o) => o["errcode"]?.GetValue<long>() ?? 0;

    public static string Str(JsonObject o, string name) => o[name]!.GetValue<string>();

    /// <summary>An id that may arrive as a number or a digit string.</summary>
    public static long Id(JsonNode? node) => node!.GetValueKind() == System.Text.Json.JsonValueKind.String
        ? long.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
        : node.GetValue<long>();
}

/// <summary>Image bytes built in code.</summary>
internal static class TestImages
{
    /// <summary>A valid PNG of width × height grey pixels; with noise the IDAT does not compress (for size limits).</summary>
    public static byte[] Png(int width = 1, int height = 1, bool noise = false)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        WriteBigEndian(ihdr, 0, (uint)width);
        WriteBigEndian(ihdr, 4, (uint)height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // greyscale
        Chunk(ms, "IHDR", ihdr);

        var raw = new byte[(width + 1) * height];
        if (noise)
        {
            new Random(42).NextBytes(raw);
            for (var row = 0; row < height; row++)
            {
                raw[row * (width + 1)] = 0; // filter byte
            }
        }

        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw);
        }

        Chunk(ms, "IDAT", compressed.ToArray());
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>Bytes with a JPEG/JFIF signature and end marker, padded to the wanted size (the sandbox sniffs magic bytes).</summary>
    public static byte[] Jpeg(int size = 200)
    {
        var bytes = new byte[Math.Max(size, 24)];
        byte[] head = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
        head.CopyTo(bytes, 0);
        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }

    public static byte[] Gif() => "GIF89a\u0001\0\u0001\0\0\0\0;"u8.ToArray();

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var header = new byte[8];
        WriteBigEndian(header, 0, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(header, 4);
        s.Write(header);
        s.Write(data);
        var crcInput = new byte[4 + data.Length];
        Array.Copy(header, 4, crcInput, 0, 4);
        data.CopyTo(crcInput, 4);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, Crc32(crcInput));
        s.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void WriteBigEndian(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }
}
