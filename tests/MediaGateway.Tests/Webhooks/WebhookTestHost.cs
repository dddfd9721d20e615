using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using MediaGateway.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Webhooks;

/// <summary>
/// A gateway of its own for the webhook tests (they make endpoints fail, hang and disappear): compressed retries
/// (1 s each), two deliveries in flight per subscription, disabling after two exhausted deliveries.
/// </summary>
public sealed class WebhookTestHost() : GatewayTestHost(
[
    "--Webhooks:MaxInFlightPerSubscription=2",
    "--Webhooks:DeferMilliseconds=100",
    "--Webhooks:DisableAfterExhaustedDeliveries=2",
    "--Webhooks:DisableAfterFailingSeconds=0",
    "--Webhooks:RotationGraceSeconds=3600",
])
{
    public const string AdminToken = "mgdemo-admin-zhou";

    /// <summary>Subscribes through the API as the city information office; returns the answer (with the secret) and sets the receiver's secret.</summary>
    public async Task<JsonObject> SubscribeAsync(string receiverName, object? events = null, object? accounts = null, string token = DepartmentToken,
        string? department = null)
    {
        using var client = Client(token);
        using var response = await client.PostAsJsonAsync("api/webhooks/subscriptions", new
        {
            url = Receiver.UrlFor(receiverName).ToString(), events = events ?? Array.Empty<string>(), accounts = accounts ?? Array.Empty<string>(),
            description = "test " + receiverName, department,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"subscribe answered {(int)response.StatusCode}: {body}");
        var created = JsonNode.Parse(body)!.AsObject();
        Receiver.SetSecret(receiverName, created["secret"]!.GetValue<string>());
        return created;
    }

    /// <summary>Writes an account event to the event stream as the gateway's emitters do (EventFactory + EventStream).</summary>
    internal async Task<GatewayEvent> EmitAsync(string type, string accountId)
    {
        var account = Services.GetRequiredService<AccountRegistry>().Find(accountId)!;
        var e = Services.GetRequiredService<EventFactory>().ForAccount(type, account, new JsonObject { ["note"] = "test" });
        var tx = Multiplexer.GetDatabase().CreateTransaction();
        EventStream.Append(tx, Services.GetRequiredService<RedisKeys>(), [e]);
        Assert.True(await tx.ExecuteAsync());
        return e;
    }

    public List<MediaGateway.Sandbox.ReceivedWebhook> Received(string name) => [.. Receiver.Received(name)];

    public async Task<JsonObject> GetJsonAsync(string path, string token = DepartmentToken)
    {
        using var client = Client(token);
        return (await client.GetFromJsonAsync<JsonObject>(path))!;
    }

    /// <summary>The JSON at <paramref name="path"/>, or null while it is 404 (e.g. a delivery not fanned out yet).</summary>
    public async Task<JsonObject?> TryGetJsonAsync(string path, string token = DepartmentToken)
    {
        using var client = Client(token);
        using var response = await client.GetAsync(path);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async Task<JsonArray> GetArrayAsync(string path, string token = DepartmentToken)
    {
        using var client = Client(token);
        return (await client.GetFromJsonAsync<JsonArray>(path))!;
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookTestHost>
{
    public const string Name = "webhooks";
}
