using System.Net;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Contract;

/// <summary>The document declares how to authenticate and what can go wrong; an anonymous caller is told how to sign in.</summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenApiDocumentTests(GatewayTestHost host)
{
    [Theory]
    [InlineData("api")]
    [InlineData("api/content")]
    [InlineData("api/no-such-thing")]
    [InlineData("openapi/v1.json")]
    public async Task AnAnonymousCall_Is401ProblemSayingHowToAuthenticate(string path)
    {
        using var anonymous = host.Client(null);
        using var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        var problem = await TestData.ProblemAsync(response);
        Assert.Equal(401, problem["status"]!.GetValue<int>());
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("Authorization: Bearer", detail, StringComparison.Ordinal);
        Assert.Contains("OIDC", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownKey_Is401ProblemWithInvalidTokenChallenge()
    {
        using var stranger = host.Client("not-a-configured-key");
        using var response = await stranger.GetAsync("api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
        await TestData.ProblemAsync(response);
    }

    [Fact]
    public async Task TheDocument_DeclaresTheApiKeyScheme_AndRequiresItOnEveryProtectedOperation()
    {
        var document = await DocumentAsync();
        var scheme = document["components"]!["securitySchemes"]!["apiKey"]!;
        Assert.Equal("http", scheme["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());
        foreach (var (path, operation, method) in Operations(document))
        {
            if (path == "/healthz/live")
            {
                Assert.False(operation["responses"]!.AsObject().ContainsKey("503"), "the liveness probe never asks the store");
            }

            var anonymous = path is "/healthz" or "/healthz/live" or "/healthz/ready" || path.StartsWith("/wechat/callback", StringComparison.Ordinal);
            var security = operation["security"]?.AsArray();
            if (anonymous)
            {
                Assert.True(security is null || security.Count == 0, $"{method} {path} is anonymous but declares security");
                continue;
            }

            Assert.True(security is { Count: > 0 } && security.Any(s => s!.AsObject().ContainsKey("apiKey")), $"{method} {path} declares no security");
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.ContainsKey("401"), $"{method} {path} does not declare 401");
            Assert.True(responses.ContainsKey("503"), $"{method} {path} does not declare 503");
            // The outage answer always carries Retry-After (Hosting/StoreOutage): the document says so.
            Assert.True(responses["503"]!["headers"]?["Retry-After"]?["required"]?.GetValue<bool>() == true,
                $"{method} {path} does not declare the 503's Retry-After header");
            Assert.Equal("#/components/schemas/ProblemDetails",
                responses["401"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task TheDocument_StatesTheBounds_OfPagingAndCalendarParameters()
    {
        var document = await DocumentAsync();
        JsonNode Parameter(string path, string name) =>
            document["paths"]![path]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!["schema"]!;
        Assert.Equal(1, Parameter("/api/content", "take")["minimum"]!.GetValue<int>());
        Assert.Equal(500, Parameter("/api/content", "take")["maximum"]!.GetValue<int>());
        Assert.Equal(1000, Parameter("/api/publications/dead-letters", "take")["maximum"]!.GetValue<int>());
        Assert.Equal(2000, Parameter("/api/calendar/{year}", "year")["minimum"]!.GetValue<int>());
        var report = document["paths"]!["/api/reports/assessment"]!["get"]!["responses"]!["200"]!["content"]!.AsObject();
        Assert.Equal("#/components/schemas/AssessmentReport", report["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("string", report["text/csv"]!["schema"]!["type"]!.GetValue<string>());
        var submit = document["components"]!["schemas"]!["SubmitContentRequest"]!["properties"]!;
        Assert.Contains("366 days ahead", submit["publishAt"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("2000", submit["issuedOn"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        var category = document["components"]!["schemas"]!["ContentCategory"]!;
        Assert.Contains("closureNotice", category["enum"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.DoesNotContain("integer", category.ToJsonString(), StringComparison.Ordinal);
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        return JsonNode.Parse(await op.GetStringAsync("openapi/v1.json"))!;
    }

    private static IEnumerable<(string Path, JsonNode Operation, string Method)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(o => (p.Key, o.Value!, o.Key)));
}
