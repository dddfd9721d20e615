using MediaGateway.Auth;
using MediaGateway.Hosting;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace MediaGateway.Tests.Authentication;

/// <summary>Section Auth:Oidc is read at start; every bad value is refused with its key named.</summary>
public sealed class OidcSettingsTests
{
    private static OidcSettings? Load(params (string Key, string Value)[] values) =>
        OidcSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Auth:Oidc:" + v.Key, v.Value)))
            .Build());

    private static string Refused(params (string Key, string Value)[] values) =>
        Assert.Throws<ConfigurationException>(() => Load(values)).Key;

    [Fact]
    public void WithoutAuthority_JwtsAreOff()
    {
        Assert.Null(Load());
    }

    [Fact]
    public void AComplete_HttpsSection_HasItsDefaults()
    {
        var settings = Load(("Authority", "https://id.example.gov.cn/realms/city"), ("Audience", "media-gateway"))!;
        Assert.Equal("https://id.example.gov.cn/realms/city", settings.Authority.OriginalString);
        Assert.Equal("media-gateway", settings.Audience);
        Assert.Equal("sub", settings.UserClaim);
        Assert.True(settings.RequireHttpsMetadata);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.ClockSkew);

        var custom = Load(("Authority", "http://127.0.0.1:9000"), ("Audience", "mg"), ("UserClaim", "preferred_username"),
            ("RequireHttpsMetadata", "false"), ("ClockSkewSeconds", "5"))!;
        Assert.Equal("preferred_username", custom.UserClaim);
        Assert.False(custom.RequireHttpsMetadata);
        Assert.Equal(TimeSpan.FromSeconds(5), custom.ClockSkew);
    }

    [Fact]
    public void BadValues_AreNamed()
    {
        Assert.Equal("Auth:Oidc:Authority", Refused(("Audience", "media-gateway")));
        Assert.Equal("Auth:Oidc:Authority", Refused(("Authority", "id.example.gov.cn"), ("Audience", "mg")));
        Assert.Equal("Auth:Oidc:Authority", Refused(("Authority", "http://id.example.gov.cn"), ("Audience", "mg")));
        Assert.Equal("Auth:Oidc:RequireHttpsMetadata",
            Refused(("Authority", "http://id.example.gov.cn"), ("Audience", "mg"), ("RequireHttpsMetadata", "false")));
        Assert.Equal("Auth:Oidc:RequireHttpsMetadata",
            Refused(("Authority", "https://id.example.gov.cn"), ("Audience", "mg"), ("RequireHttpsMetadata", "nope")));
        Assert.Equal("Auth:Oidc:Audience", Refused(("Authority", "https://id.example.gov.cn")));
        Assert.Equal("Auth:Oidc:UserClaim", Refused(("Authority", "https://id.example.gov.cn"), ("Audience", "mg"), ("UserClaim", " ")));
        Assert.Equal("Auth:Oidc:ClockSkewSeconds", Refused(("Authority", "https://id.example.gov.cn"), ("Audience", "mg"), ("ClockSkewSeconds", "-1")));
    }

    [Fact]
    public async Task TheGatewayRefusesToStart_WithAHalfConfiguredSection()
    {
        var error = await Record.ExceptionAsync(async () =>
        {
            await using var app = GatewayHost.Build(
                ["--environment", "Demo", "--urls", "http://127.0.0.1:0", "--Sandbox:Enabled=false",
                    "--Redis:ConnectionString=127.0.0.1:1", "--Auth:Oidc:Authority=", "--Auth:Oidc:Audience=media-gateway"],
                new ConfigDirectory(RepoPaths.Config));
            await app.StartAsync();
            await app.StopAsync();
        });
        var refused = Assert.IsType<ConfigurationException>(error);
        Assert.Equal("Auth:Oidc:Authority", refused.Key);
        Assert.Contains("Auth:Oidc:Audience", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcC1saSJ9.c2ln", true)]
    [InlineData("bearer a-b.c_d.e", true)]
    [InlineData("Bearer mgdemo-operator-li", false)]
    [InlineData("Bearer a.b", false)]
    [InlineData("Bearer a.b.c.d", false)]
    [InlineData("Bearer a..c", false)]
    [InlineData("Bearer a.b.", false)]
    [InlineData("Bearer a.b+/.c", false)]
    [InlineData("Basic a.b.c", false)]
    [InlineData("", false)]
    public void OnlyJwtShapedCredentials_GoToTheJwtHandler(string authorization, bool expected)
    {
        Assert.Equal(expected, GatewayAuthentication.LooksLikeJwt(authorization));
    }

    [Fact]
    public void TheConsoleSignIn_IsOffWithoutAClientId_AndItsKeysAreChecked()
    {
        var plain = Load(("Authority", "https://id.example.gov.cn"), ("Audience", "mg"))!;
        Assert.Null(plain.ConsoleClientId);
        Assert.Equal("openid profile", plain.ConsoleScope);
        Assert.Equal("groups", plain.GroupClaim);
        Assert.Equal("name", plain.NameClaim);

        var console = Load(("Authority", "https://id.example.gov.cn"), ("Audience", "mg"), ("ConsoleClientId", "mg-console"),
            ("ConsoleScope", "openid profile groups"), ("GroupClaim", "roles"))!;
        Assert.Equal("mg-console", console.ConsoleClientId);
        Assert.Equal("openid profile groups", console.ConsoleScope);
        Assert.Equal("roles", console.GroupClaim);

        Assert.Equal("Auth:Oidc:ConsoleScope", Refused(("Authority", "https://id.example.gov.cn"), ("Audience", "mg"), ("ConsoleScope", "profile")));
        Assert.Equal("Auth:Oidc:ConsoleClientId", Refused(("Authority", "https://id.example.gov.cn"), ("Audience", "mg"), ("ConsoleClientId", " ")));
        Assert.Equal("Auth:Oidc:GroupClaim", Refused(("Authority", "https://id.example.gov.cn"), ("Audience", "mg"), ("GroupClaim", "")));
    }
}
