using System.Net;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Hosting;

[Collection(GatewayCollection.Name)]
public sealed class HealthAndOpenApiTests(GatewayTestHost host)
{
    [Fact]
    public async Task Healthz_ReportsRedisAndItsPersistence()
    {
        using var anonymous = host.Client(null);
        using var response = await anonymous.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(health["redis"]!["reachable"]!.GetValue<bool>());
        Assert.True(health["redis"]!["aofEnabled"]!.GetValue<bool>());
        Assert.Equal("noeviction", health["redis"]!["maxMemoryPolicy"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi_ToAuthenticatedCallers()
    {
        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("openapi/v1.json")).StatusCode);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var document = JsonNode.Parse(await op.GetStringAsync("openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/content"));
        Assert.True(paths.ContainsKey("/api/content/{id}/reviews"));
        Assert.True(paths.ContainsKey("/healthz"));
    }

    [Fact]
    public async Task EveryDecisionRoute_NamesExactlyOneItem_P4()
    {
        // One item, one review: no route takes decisions on several items at once.
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var paths = JsonNode.Parse(await op.GetStringAsync("openapi/v1.json"))!["paths"]!.AsObject().Select(p => p.Key).ToList();
        var decisionRoutes = paths.Where(p => p.Contains("review", StringComparison.Ordinal) || p.Contains("decision", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(decisionRoutes);
        Assert.All(decisionRoutes, p => Assert.StartsWith("/api/content/{id}/", p, StringComparison.Ordinal));
    }
}
