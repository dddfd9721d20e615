using MediaGateway.Hosting;

namespace MediaGateway.Auth;

/// <summary>
/// What the console needs to sign a person in at the organisation's OpenID provider (decision 38): the issuer, the
/// console's client id, the scopes and the resource to ask for. Public values only (the console is a public client
/// with PKCE; there is no client secret). <c>GET /console/sign-in.json</c>, anonymous: the sign-in page reads it
/// before anyone is signed in.
/// </summary>
internal static class ConsoleSignIn
{
    public const string Path = "/console/sign-in.json";

    public static IEndpointRouteBuilder MapConsoleSignIn(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, (IServiceProvider services) => services.GetService<OidcSettings>() is { ConsoleClientId: { } clientId } oidc
                ? TypedResults.Ok(new ConsoleSignInView(true, oidc.Authority.OriginalString.TrimEnd('/'), clientId, oidc.ConsoleScope, oidc.ConsoleResource))
                : TypedResults.Ok(new ConsoleSignInView(false, null, null, null, null)))
            .AllowAnonymous().WithoutStore().ExcludeFromDescription();
        return routes;
    }

    /// <summary>The issuer's origin, which the console's Content-Security-Policy must let it reach (discovery, token endpoint); null without a console sign-in.</summary>
    public static string? ProviderOrigin(IServiceProvider services) =>
        services.GetService<OidcSettings>() is { ConsoleClientId: not null } oidc ? oidc.Authority.GetLeftPart(UriPartial.Authority) : null;
}

/// <param name="Enabled">False when the gateway has no console sign-in configured (Auth:Oidc:ConsoleClientId unset).</param>
internal sealed record ConsoleSignInView(bool Enabled, string? Authority, string? ClientId, string? Scope, string? Resource);
