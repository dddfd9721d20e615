using MediaGateway.Tests.Authentication;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Console;

/// <summary>
/// The gateway of <see cref="GatewayTestHost"/> whose console signs people in at an independent OpenID provider
/// (<see cref="OidcProvider"/>, oidc-provider on Node.js). The provider's port is reserved first (the gateway's
/// configuration names it); the provider starts once the gateway's address, its sign-in return address, is known.
/// Group "city-news-first-review" makes a person with no entry in Users a 初审 reviewer of city-news-team.
/// </summary>
public sealed class OidcConsoleTestHost : GatewayTestHost, IAsyncLifetime
{
    public const string Audience = "media-gateway-console-tests";

    private readonly int _providerPort;

    public OidcConsoleTestHost() : this(OidcProvider.ReservePort())
    {
    }

    private OidcConsoleTestHost(int providerPort) : base(
    [
        $"--Auth:Oidc:Authority=http://127.0.0.1:{providerPort}",
        $"--Auth:Oidc:Audience={Audience}",
        "--Auth:Oidc:RequireHttpsMetadata=false",
        $"--Auth:Oidc:ConsoleClientId={OidcProvider.ConsoleClientId}",
        $"--Auth:Oidc:ConsoleScope={OidcProvider.ConsoleScope}",
        "--Auth:Oidc:Groups:city-news-first-review:Department=city-news-team",
        "--Auth:Oidc:Groups:city-news-first-review:Roles:0=Reviewer",
        "--Auth:Oidc:Groups:city-news-first-review:ReviewLevel=1",
    ]) => _providerPort = providerPort;

    public OidcProvider Provider { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Provider = await OidcProvider.StartAsync(_providerPort, new Uri(BaseAddress, "console/"), Audience);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Provider.DisposeAsync();
        await DisposeAsync();
    }
}
