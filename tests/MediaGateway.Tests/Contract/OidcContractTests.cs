using System.Net;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Authentication;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Contract;

/// <summary>With an OpenID Connect issuer configured, the document declares it and the 401 names it.</summary>
[Collection(OidcGatewayCollection.Name)]
public sealed class OidcContractTests(OidcGatewayTestHost host)
{
    [Fact]
    public async Task TheDocument_DeclaresTheOidcScheme_BesideTheApiKey()
    {
        using var client = host.Client(host.Token("op-li"));
        var document = JsonNode.Parse(await client.GetStringAsync("openapi/v1.json"))!;
        var oidc = document["components"]!["securitySchemes"]!["oidc"]!;
        Assert.Equal("openIdConnect", oidc["type"]!.GetValue<string>());
        Assert.EndsWith("/.well-known/openid-configuration", oidc["openIdConnectUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        var security = document["paths"]!["/api/content"]!["get"]!["security"]!.AsArray();
        Assert.Contains(security, s => s!.AsObject().ContainsKey("oidc"));
        Assert.Contains(security, s => s!.AsObject().ContainsKey("apiKey"));
    }

    [Fact]
    public async Task AnAnonymousCall_IsToldOfTheIssuer()
    {
        using var anonymous = host.Client(null);
        using var response = await anonymous.GetAsync("api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        Assert.Contains(host.Issuer.Issuer.ToString().TrimEnd('/'), problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
