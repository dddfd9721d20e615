using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MediaGateway.Sandbox;

namespace MediaGateway.Platforms.Tests.Sandbox;

public sealed class WebhookReceiverTests : IAsyncLifetime
{
    private static readonly byte[] Key = Enumerable.Range(1, 24).Select(i => (byte)(i * 7)).ToArray();
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Key);

    private WebhookReceiver _receiver = null!;
    private HttpClient Client { get; set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new WebhookReceiverOptions();
        options.Secrets["office"] = Secret;
        _receiver = await WebhookReceiver.StartAsync(options);
        Client = new HttpClient { BaseAddress = _receiver.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _receiver.DisposeAsync();
    }

    /// <summary>Signs per the Standard Webhooks spec, independently of any library.</summary>
    private static string Sign(string id, string timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    private async Task<int> Deliver(string name, string id, string body, string? signature = null, string? timestamp = null)
    {
        timestamp ??= DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"hooks/{name}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", signature ?? Sign(id, timestamp, body));
        var response = await Client.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task SignedDelivery_IsRecordedAsValid_AndAnswered204()
    {
        const string body = """{"type":"publication.published","data":{"title":"通知"}}""";

        Assert.Equal(204, await Deliver("office", "msg_1", body));

        var received = Assert.Single(_receiver.Received("office"));
        Assert.True(received.SignatureValid);
        Assert.Equal(("msg_1", body), (received.WebhookId, received.Body));
    }

    [Fact]
    public async Task TamperedBody_WrongSecret_OrStaleTimestamp_AreRecordedAsInvalid()
    {
        const string body = """{"n":1}""";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        await Deliver("office", "msg_a", body, signature: Sign("msg_a", now, """{"n":2}"""), timestamp: now);
        await Deliver("unknown", "msg_b", body);
        var stale = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Deliver("office", "msg_c", body, timestamp: stale);

        Assert.False(Assert.Single(_receiver.Received("office"), r => r.WebhookId == "msg_a").SignatureValid);
        Assert.False(Assert.Single(_receiver.Received("unknown")).SignatureValid);
        Assert.False(Assert.Single(_receiver.Received("office"), r => r.WebhookId == "msg_c").SignatureValid);
    }

    [Fact]
    public async Task RespondWith_AnswersThatStatusForNDeliveries_Then204()
    {
        _receiver.RespondWith("office", 503, 2);

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add(await Deliver("office", $"msg_{i}", "{}"));
        }

        Assert.Equal([503, 503, 204], statuses);
        Assert.Equal(3, _receiver.Received("office").Count);
    }

    [Fact]
    public async Task EventsEndpoint_ListsDeliveriesWithParsedBodies()
    {
        await Deliver("office", "msg_x", """{"type":"review.requested","id":42}""");
        var (respond, _) = await Wire.PostRawJsonAsync(Client, "hooks/office/respond", """{"statusCode":500,"times":1}""");
        Assert.Equal(204, (int)respond.StatusCode);
        Assert.Equal(500, await Deliver("office", "msg_y", "not json"));

        var events = JsonNode.Parse(await Client.GetStringAsync("hooks/office/events"))!.AsArray();

        Assert.Equal(2, events.Count);
        Assert.True(events[0]!["signatureValid"]!.GetValue<bool>());
        Assert.Equal(42, events[0]!["body"]!["id"]!.GetValue<int>());
        Assert.Equal("not json", events[1]!["body"]!.GetValue<string>());
        Assert.Equal(new Uri(_receiver.BaseAddress, "hooks/office"), _receiver.UrlFor("office"));
    }
}
