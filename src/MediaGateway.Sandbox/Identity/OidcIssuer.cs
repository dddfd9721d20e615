using MediaGateway.Sandbox.Identity;

namespace MediaGateway.Sandbox;

/// <summary>
/// A local OpenID Connect issuer on 127.0.0.1, enough for a relying party that validates JWT bearer tokens:
/// <c>GET /.well-known/openid-configuration</c> (discovery) and <c>GET /.well-known/jwks.json</c> (the public RSA key,
/// generated at start). Tokens are RS256 JWTs minted in process by <see cref="IssueToken"/>, or over HTTP by the
/// control route <c>POST /_sandbox/tokens</c> <c>{"subject":"op-li","audience":"…","lifetimeSeconds":3600,"claims":{…}}</c>.
/// The issuer is <see cref="Issuer"/> (the base address without its trailing slash): configure it as the relying
/// party's authority.
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    private readonly SandboxHost _host;
    private readonly IssuerKeys _keys;

    private OidcIssuer(SandboxHost host, IssuerKeys keys)
    {
        _host = host;
        _keys = keys;
    }

    public Uri BaseAddress => _host.BaseAddress;

    /// <summary>The <c>iss</c> of every token and of the discovery document, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Issuer => _keys.Issuer;

    /// <summary>The id (<c>kid</c>) of the signing key published in the JWKS.</summary>
    public string KeyId => _keys.KeyId;

    /// <summary>How many times the JWKS was fetched: a relying party that checks signatures fetches it.</summary>
    public int JwksRequests => _keys.JwksRequests;

    public static async Task<OidcIssuer> StartAsync(OidcIssuerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new IssuerKeys(options);
        var host = await SandboxHost.StartAsync(options.Port, app => IdentityApi.Map(app, keys), cancellationToken);
        keys.Issuer = host.BaseAddress.ToString().TrimEnd('/');
        return new OidcIssuer(host, keys);
    }

    /// <summary>
    /// A signed JWT (RS256, this issuer's key): <c>iss</c>, <c>sub</c>, <c>aud</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>, <c>jti</c>,
    /// then <paramref name="extraClaims"/>, which may override any of those (e.g. another <c>iss</c>). A negative
    /// <paramref name="lifetime"/> gives a token that expired that long ago (issued five minutes before it expired).
    /// </summary>
    public string IssueToken(string subject, string audience, TimeSpan lifetime, IDictionary<string, object>? extraClaims = null) =>
        _keys.Issue(subject, audience, lifetime, extraClaims, foreign: false);

    /// <summary>
    /// Like <see cref="IssueToken"/>, and naming this issuer's <c>kid</c>, but signed by a key the issuer never
    /// published: a forgery, which a relying party must reject.
    /// </summary>
    public string IssueTokenWithForeignKey(string subject, string audience, TimeSpan lifetime, IDictionary<string, object>? extraClaims = null) =>
        _keys.Issue(subject, audience, lifetime, extraClaims, foreign: true);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _keys.Dispose();
    }
}
