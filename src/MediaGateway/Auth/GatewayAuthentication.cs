using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using MediaGateway.Observability;

namespace MediaGateway.Auth;

/// <summary>
/// Authentication for every endpoint: <c>Authorization: Bearer &lt;credential&gt;</c>, where the credential is an
/// API key (section "Users", stored hashed) or, when <c>Auth:Oidc:Authority</c> is set, a JWT from that OpenID
/// Connect issuer. A policy scheme looks at the credential's shape: three dot-separated base64url parts go to the
/// JWT handler, anything else to the API-key handler (so an API key must not itself look like a JWT).
/// Either way the caller becomes the configured <see cref="GatewayUser"/>: a token's user claim names the user,
/// and the user's roles, level and department come from configuration, never from the token.
/// </summary>
internal static partial class GatewayAuthentication
{
    /// <summary>The default scheme when JWTs are on: forwards to <see cref="JwtScheme"/> or the API-key scheme.</summary>
    public const string SelectorScheme = "Bearer";
    public const string JwtScheme = "Jwt";

    /// <summary>The algorithms an issuer may sign with (asymmetric only: a shared secret would let the gateway mint tokens).</summary>
    private static readonly string[] AcceptedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static IServiceCollection AddGatewayAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var oidc = OidcSettings.Load(configuration);
        if (oidc is null)
        {
            services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
            return services;
        }

        services.AddSingleton(oidc);
        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "API key or OpenID Connect JWT", o =>
                o.ForwardDefaultSelector = http => LooksLikeJwt(http.Request.Headers.Authorization.ToString())
                    ? JwtScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(JwtScheme, o => ConfigureJwtBearer(o, oidc));
        return services;
    }

    /// <summary>True for "Bearer a.b.c" with three non-empty base64url parts: the compact serialisation of a signed JWT.</summary>
    public static bool LooksLikeJwt(string authorization)
    {
        const string prefix = "Bearer ";
        if (authorization is null || !authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var parts = authorization.AsSpan(prefix.Length).Trim();
        var segments = 0;
        var segmentLength = 0;
        foreach (var c in parts)
        {
            if (c == '.')
            {
                if (segmentLength == 0)
                {
                    return false;
                }

                segments++;
                segmentLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                segmentLength++;
            }
            else
            {
                return false;
            }
        }

        return segments == 2 && segmentLength > 0;
    }

    private static void ConfigureJwtBearer(JwtBearerOptions o, OidcSettings oidc)
    {
        o.Authority = oidc.Authority.OriginalString;
        o.Audience = oidc.Audience;
        o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        o.MapInboundClaims = false; // claim names as the issuer wrote them, so UserClaim means what it says
        o.SaveToken = false;        // the token is never kept in the authentication properties
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,            // the issuer from the discovery document
            ValidAudience = oidc.Audience,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,  // keys from the issuer's JWKS
            RequireSignedTokens = true,
            ValidAlgorithms = AcceptedAlgorithms,
            ClockSkew = oidc.ClockSkew,
            NameClaimType = oidc.UserClaim,
        };
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = context => OnTokenValidated(context, oidc),
            OnChallenge = context =>
            {
                // The same 401 as for an API key: a Bearer challenge and a problem saying how to authenticate.
                context.HandleResponse();
                return AuthenticationProblem.WriteAsync(context.HttpContext, invalidToken: context.AuthenticateFailure is not null, context.ErrorDescription);
            },
        };
    }

    /// <summary>
    /// The token is genuine; now it must name a configured user, or list a configured group (Auth:Oidc:Groups), and that
    /// user then stands in for the token's claims: roles, level and department come from configuration, never from the token.
    /// </summary>
    private static Task OnTokenValidated(TokenValidatedContext context, OidcSettings oidc)
    {
        var services = context.HttpContext.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayAuthentication));
        var id = context.Principal?.FindFirst(oidc.UserClaim)?.Value;
        var groups = context.Principal?.FindAll(oidc.GroupClaim).Select(c => c.Value).ToList() ?? [];
        var name = context.Principal?.FindFirst(oidc.NameClaim)?.Value;
        var user = string.IsNullOrEmpty(id) ? null : services.GetRequiredService<UserDirectory>().Resolve(id, name, groups);
        if (user is null)
        {
            // The user id is not a secret; the token itself is never logged.
            Log.UnknownUser(logger, oidc.UserClaim, id ?? "absent");

            context.Fail($"the token's claim '{oidc.UserClaim}' names no gateway user and its '{oidc.GroupClaim}' no configured group");
            return Task.CompletedTask;
        }

        context.Principal = GatewayPrincipal.Create(user, JwtScheme);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.JwtUserUnknown, LogLevel.Information, "JWT rejected: claim {Claim} ({UserId}) names no configured user, and no configured group is listed")]
        public static partial void UnknownUser(ILogger logger, string claim, string userId);
    }
}
