using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Authentication;

/// <summary>
/// Bearer JWTs from the configured OpenID Connect issuer, beside API keys, on one gateway: a genuine token for a
/// configured user is that user (roles from configuration, not from the token); anything else is 401.
/// </summary>
[Collection(OidcGatewayCollection.Name)]
public sealed class JwtAuthenticationTests(OidcGatewayTestHost host)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly string[] TwoGroups = ["some-other-group", OidcGatewayTestHost.FirstReviewGroup];
    private static readonly string[] UnconfiguredGroups = ["city-news-editors"];
    private static readonly string[] FirstReviewOnly = [OidcGatewayTestHost.FirstReviewGroup];

    [Fact]
    public async Task AJwtForAConfiguredOperator_SubmitsContentAndReadsIt()
    {
        using var client = host.Client(host.Token("op-li"));
        var cover = await TestData.UploadCoverAsync(client);
        var title = TestData.Unique("JWT 投稿");
        var submitted = await TestData.SubmitAsync(client, TestData.Article(cover, title));
        var id = submitted["id"]!.GetValue<string>();

        var item = await TestData.GetAsync(client, id);
        Assert.Equal(title, item["title"]!.GetValue<string>());
        Assert.Equal("op-li", item["createdBy"]!.GetValue<string>());
        // The signature was checked against the issuer's published keys.
        Assert.True(host.Issuer.JwksRequests > 0, "the gateway never fetched the issuer's JWKS");

        // The same item, seen through op-li's API key: the two credentials are one user.
        using var apiKeyClient = host.Client(GatewayTestHost.OperatorToken);
        Assert.Equal(title, (await TestData.GetAsync(apiKeyClient, id))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task AJwtForAnUnknownUser_Is401()
    {
        await AssertUnauthorizedAsync(host.Token("nobody-" + Guid.NewGuid().ToString("N")[..6]));
    }

    [Fact]
    public async Task AnExpiredJwt_Is401()
    {
        var response = await AssertUnauthorizedAsync(host.Issuer.IssueToken("op-li", OidcGatewayTestHost.Audience, TimeSpan.FromMinutes(-10)));
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && (h.Parameter ?? "").Contains("expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AJwtForAnotherAudience_Is401()
    {
        await AssertUnauthorizedAsync(host.Issuer.IssueToken("op-li", "some-other-service", Hour));
    }

    [Fact]
    public async Task AJwtSignedByAForeignKey_Is401()
    {
        await AssertUnauthorizedAsync(host.Issuer.IssueTokenWithForeignKey("op-li", OidcGatewayTestHost.Audience, Hour));
    }

    [Fact]
    public async Task AJwtFromAnotherIssuer_Is401()
    {
        // Signed with the right key, but claiming to come from elsewhere.
        await AssertUnauthorizedAsync(host.Token("op-li", new Dictionary<string, object> { ["iss"] = "http://127.0.0.1:1" }));
    }

    [Fact]
    public async Task AJwtWhosePayloadWasAltered_Is401()
    {
        // A genuine token for the operator, its subject rewritten to the administrator: the signature no longer matches.
        var parts = host.Token("op-li").Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload["sub"] = "admin-zhou";
        var forged = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
        await AssertUnauthorizedAsync(forged);
    }

    [Fact]
    public async Task ApiKeysStillWork_BesideJwts()
    {
        using var viaKey = host.Client(GatewayTestHost.OperatorToken);
        using var viaJwt = host.Client(host.Token("op-li"));
        using var keyResponse = await viaKey.GetAsync("api/accounts");
        using var jwtResponse = await viaJwt.GetAsync("api/accounts");
        Assert.Equal(HttpStatusCode.OK, keyResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jwtResponse.StatusCode);
        // Same user, same view of the accounts.
        Assert.Equal(await keyResponse.Content.ReadAsStringAsync(), await jwtResponse.Content.ReadAsStringAsync());

        using var admin = host.Client("mgdemo-admin-zhou");
        using var verify = await admin.GetAsync("api/audit/verify");
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);

        await AssertUnauthorizedAsync("mgdemo-not-a-key");
        using var anonymous = host.Client(null);
        using var noCredential = await anonymous.GetAsync("api/accounts");
        Assert.Equal(HttpStatusCode.Unauthorized, noCredential.StatusCode);
    }

    [Fact]
    public async Task RolesComeFromConfiguration_NotFromTheToken()
    {
        // The operator's token claims the administrator role in every spelling an issuer might use.
        var claims = new Dictionary<string, object>
        {
            ["role"] = "Administrator",
            ["roles"] = new[] { "Administrator" },
            ["http://schemas.microsoft.com/ws/2008/06/identity/claims/role"] = "Administrator",
        };
        using var operatorClient = host.Client(host.Token("op-li", claims));
        using var refused = await operatorClient.GetAsync("api/audit/verify");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // The configured administrator's token, claiming no role at all, may.
        using var adminClient = host.Client(host.Token("admin-zhou"));
        using var allowed = await adminClient.GetAsync("api/audit/verify");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task TokensNeverReachTheLog()
    {
        string[] tokens =
        [
            host.Token("op-li"),
            host.Token("nobody-in-the-directory"),
            host.Issuer.IssueToken("op-li", OidcGatewayTestHost.Audience, TimeSpan.FromMinutes(-10)),
            host.Issuer.IssueToken("op-li", "some-other-service", Hour),
            host.Issuer.IssueTokenWithForeignKey("op-li", OidcGatewayTestHost.Audience, Hour),
        ];
        foreach (var token in tokens)
        {
            using var client = host.Client(token);
            using var response = await client.GetAsync("api/accounts");
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, response.StatusCode.ToString());
        }

        var lines = host.Logs.Lines.ToArray();
        // The log did record the rejections (so it was listening), by user id only.
        Assert.Contains(lines, l => l.Contains("names no configured user", StringComparison.Ordinal) && l.Contains("nobody-in-the-directory", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("JwtBearerHandler", StringComparison.Ordinal) && l.Contains("IDX10511", StringComparison.Ordinal));
        foreach (var token in tokens)
        {
            var signature = token.Split('.')[2];
            Assert.DoesNotContain(lines, l => l.Contains(signature, StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains(token.Split('.')[1], StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TheSandboxIssuer_PublishesDiscoveryAndMintsTokensOverHttp()
    {
        using var issuer = new HttpClient { BaseAddress = host.Issuer.BaseAddress };
        var discovery = (await issuer.GetFromJsonAsync<JsonObject>(".well-known/openid-configuration"))!;
        Assert.Equal(host.Issuer.Issuer, discovery["issuer"]!.GetValue<string>());
        var jwks = (await issuer.GetFromJsonAsync<JsonObject>(discovery["jwks_uri"]!.GetValue<string>()))!;
        Assert.Equal(host.Issuer.KeyId, jwks["keys"]![0]!["kid"]!.GetValue<string>());
        Assert.Null(jwks["keys"]![0]!["d"]); // the public half only

        using var minted = await issuer.PostAsJsonAsync("_sandbox/tokens", new { subject = "rv1-zhao", audience = OidcGatewayTestHost.Audience });
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        var token = (await minted.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        using var reviewer = host.Client(token);
        using var accounts = await reviewer.GetAsync("api/accounts");
        Assert.Equal(HttpStatusCode.OK, accounts.StatusCode);

        using var noSubject = await issuer.PostAsJsonAsync("_sandbox/tokens", new { audience = OidcGatewayTestHost.Audience });
        Assert.Equal(HttpStatusCode.BadRequest, noSubject.StatusCode);
    }

    [Fact]
    public async Task AJwtForAPersonInAConfiguredGroup_HasTheGroupsRolesAndTheTokensName()
    {
        // No Users entry for this subject: the group claim gives the role, level and department; the name is the token's.
        var subject = "grp-" + Guid.NewGuid().ToString("N")[..8];
        using var client = host.Client(host.Token(subject, new Dictionary<string, object>
        {
            ["groups"] = TwoGroups,
            ["name"] = "何静",
        }));
        var me = await client.GetFromJsonAsync<JsonObject>("api/me");
        Assert.Equal(subject, me!["id"]!.GetValue<string>());
        Assert.Equal("何静", me["name"]!.GetValue<string>());
        Assert.Equal("city-news-team", me["department"]!.GetValue<string>());
        Assert.Equal(["Reviewer"], me["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(1, me["reviewLevel"]!.GetValue<int>());
    }

    [Fact]
    public async Task AJwtListingOnlyUnconfiguredGroups_Is401()
    {
        await AssertUnauthorizedAsync(host.Token("grp-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, object> { ["groups"] = UnconfiguredGroups }));
    }

    [Fact]
    public async Task APersonsOwnUserEntry_WinsOverTheirGroups()
    {
        // op-li is an operator in Users; a group that makes reviewers adds nothing: roles never come from the token.
        using var client = host.Client(host.Token("op-li", new Dictionary<string, object> { ["groups"] = FirstReviewOnly }));
        var me = await client.GetFromJsonAsync<JsonObject>("api/me");
        Assert.Equal(["Operator"], me!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    private async Task<HttpResponseMessage> AssertUnauthorizedAsync(string bearer)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var response = await client.GetAsync("api/accounts");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var submit = await client.PostAsJsonAsync("api/content", TestData.Article("media-none"));
        Assert.Equal(HttpStatusCode.Unauthorized, submit.StatusCode);
        return response;
    }
}
