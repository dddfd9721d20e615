using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGateway.Tests.Infrastructure;

/// <summary>What the tests send and how they wait: real HTTP calls, polled with a deadline.</summary>
public static class TestData
{
    public static async Task<string> UploadCoverAsync(HttpClient operatorClient)
    {
        using var form = new MultipartFormDataContent();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Config, "demo", "cover.png"));
        form.Add(new ByteArrayContent(bytes), "file", "cover.png");
        using var response = await operatorClient.PostAsync("api/media", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>Uploads the bytes under the name; the answer (id, fileName, contentType, size, reference).</summary>
    public static async Task<JsonObject> UploadAsync(HttpClient operatorClient, byte[] bytes, string fileName)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", fileName);
        using var response = await operatorClient.PostAsync("api/media", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Bytes with a JPEG/JFIF signature and end marker, padded to the size (what is sniffed is the signature).</summary>
    public static byte[] Jpeg(int size)
    {
        var bytes = new byte[Math.Max(size, 24)];
        byte[] head = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
        head.CopyTo(bytes, 0);
        // Unique bytes per call: media are content-addressed.
        Guid.NewGuid().ToByteArray().CopyTo(bytes, 20);
        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }

    /// <summary>A one-pixel GIF, unique per call (a comment extension carries a random tag).</summary>
    public static byte[] Gif()
    {
        var tag = Guid.NewGuid().ToByteArray();
        return [.. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255, 0x21, 0xFE, (byte)tag.Length, .. tag, 0,
            0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3B];
    }

    /// <summary>A valid submission for wx-city and wb-city; the title is unique so sandbox effects can be counted per test.</summary>
    public static JsonObject Article(string cover, string? title = null, string[]? targets = null, string? body = null) => new()
    {
        ["title"] = title ?? Unique("测试稿件"),
        ["summary"] = "营商环境新举措",
        ["body"] = body ?? $"正文第一段。\n\n![配图](media:{cover})\n\n第二段。",
        ["link"] = "https://www.example.gov.cn/zwgk/test.html",
        ["coverMediaId"] = cover,
        ["targets"] = new JsonArray((targets ?? ["wx-city", "wb-city"]).Select(t => (JsonNode)t!).ToArray()),
        ["category"] = "News",
    };

    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..6]}";

    public static async Task<JsonObject> SubmitAsync(HttpClient operatorClient, JsonObject article)
    {
        using var response = await operatorClient.PostAsJsonAsync("api/content", article);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<HttpResponseMessage> ReviewAsync(HttpClient reviewer, string id, string decision = "approve",
        bool secrecyAttested = true, string? comment = "同意") =>
        await reviewer.PostAsJsonAsync($"api/content/{id}/reviews", new { decision, secrecyAttested, comment });

    public static async Task ApproveAllLevelsAsync(GatewayTestHost host, string id)
    {
        foreach (var token in new[] { GatewayTestHost.Reviewer1Token, GatewayTestHost.Reviewer2Token, GatewayTestHost.Reviewer3Token })
        {
            using var client = host.Client(token);
            using var response = await ReviewAsync(client, id);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    public static async Task<JsonObject> GetAsync(HttpClient client, string id) =>
        (await client.GetFromJsonAsync<JsonObject>($"api/content/{id}"))!;

    /// <summary>Polls the item until every publication is final (published or failed), or fails the test after the timeout.</summary>
    public static async Task<JsonObject> WaitForFinalPublicationsAsync(HttpClient client, string id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var item = await GetAsync(client, id);
            var pubs = item["publications"]!.AsArray();
            if (pubs.Count > 0 && pubs.All(p => p!["state"]!.GetValue<string>() is "published" or "failed"))
            {
                return item;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"publications not final in time: {item["publications"]!.ToJsonString()}");
            }

            await Task.Delay(100);
        }
    }

    public static JsonObject Publication(JsonObject item, string accountId) =>
        item["publications"]!.AsArray().Single(p => p!["accountId"]!.GetValue<string>() == accountId)!.AsObject();

    public static async Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not in time: {what}");
            await Task.Delay(100);
        }
    }

    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not in time: {what}");
            await Task.Delay(100);
        }
    }

    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);
}
