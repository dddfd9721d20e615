using System.Globalization;
using System.Net;
using MediaGateway.Hosting;

namespace MediaGateway.Auth;

/// <summary>
/// Section "Auth:Oidc": JWT bearer tokens from an OpenID Connect issuer, beside the API keys, and the console's
/// sign-in at that issuer (authorization code flow with PKCE, the browser a public client: decision 38). Read and
/// checked at start; a bad value stops the start with a <see cref="ConfigurationException"/> naming the key.
/// </summary>
/// <param name="ConsoleClientId">The console's client id at the issuer; null = the console offers no sign-in.</param>
/// <param name="ConsoleScope">The scopes the console asks for (space-separated, "openid" among them).</param>
/// <param name="ConsoleResource">The resource indicator (RFC 8707) the console names, for issuers that need one to issue a JWT for the gateway.</param>
/// <param name="GroupClaim">The token claim listing the person's groups, matched against section Auth:Oidc:Groups.</param>
/// <param name="NameClaim">The token claim with the person's display name, for a person known by a group only.</param>
internal sealed record OidcSettings(Uri Authority, string Audience, string UserClaim, bool RequireHttpsMetadata, TimeSpan ClockSkew,
    string? ConsoleClientId = null, string ConsoleScope = OidcSettings.DefaultConsoleScope, string? ConsoleResource = null,
    string GroupClaim = OidcSettings.DefaultGroupClaim, string NameClaim = OidcSettings.DefaultNameClaim)
{
    public const string Section = "Auth:Oidc";
    public const string DefaultUserClaim = "sub";
    public const string DefaultConsoleScope = "openid profile";
    public const string DefaultGroupClaim = "groups";
    public const string DefaultNameClaim = "name";
    public const int DefaultClockSkewSeconds = 60;

    /// <summary>The settings, or null when <c>Auth:Oidc:Authority</c> is not set (JWTs off, API keys only).</summary>
    public static OidcSettings? Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var authorityText = section["Authority"];
        if (string.IsNullOrWhiteSpace(authorityText))
        {
            var stray = section.GetChildren().FirstOrDefault(c => !string.IsNullOrWhiteSpace(c.Value) || c.GetChildren().Any());
            if (stray is not null)
            {
                // A misspelt or forgotten Authority would otherwise switch JWTs off without a word.
                throw new ConfigurationException($"{Section}:Authority",
                    $"is required when '{stray.Path}' is set (remove section {Section} to accept API keys only)");
            }

            return null;
        }

        var requireHttps = ParseBool(section, "RequireHttpsMetadata", true);
        if (!Uri.TryCreate(authorityText, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(authority.Query) || !string.IsNullOrEmpty(authority.Fragment))
        {
            throw new ConfigurationException($"{Section}:Authority", $"'{authorityText}' is not an absolute http(s) URL of the issuer");
        }

        if (authority.Scheme == "http")
        {
            if (requireHttps)
            {
                throw new ConfigurationException($"{Section}:Authority",
                    $"must be https (set {Section}:RequireHttpsMetadata=false only for a local issuer on loopback)");
            }

            if (!IsLoopback(authority))
            {
                throw new ConfigurationException($"{Section}:RequireHttpsMetadata",
                    $"may be false only for an issuer on loopback, not '{authority.Host}'");
            }
        }

        var audience = section["Audience"];
        if (string.IsNullOrWhiteSpace(audience))
        {
            throw new ConfigurationException($"{Section}:Audience", "is required: the audience (aud) the gateway's tokens carry");
        }

        var userClaim = section["UserClaim"];
        if (userClaim is not null && string.IsNullOrWhiteSpace(userClaim))
        {
            throw new ConfigurationException($"{Section}:UserClaim", "must name a claim (e.g. sub or preferred_username)");
        }

        var skewText = section["ClockSkewSeconds"];
        var skew = DefaultClockSkewSeconds;
        if (skewText is not null && (!int.TryParse(skewText, NumberStyles.None, CultureInfo.InvariantCulture, out skew) || skew > 600))
        {
            throw new ConfigurationException($"{Section}:ClockSkewSeconds", $"'{skewText}' is not a whole number of seconds from 0 to 600");
        }

        var scope = Optional(section, "ConsoleScope", "space-separated scopes, 'openid' among them") ?? DefaultConsoleScope;
        if (!scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("openid", StringComparer.Ordinal))
        {
            throw new ConfigurationException($"{Section}:ConsoleScope", $"'{scope}' must include 'openid'");
        }

        var resource = Optional(section, "ConsoleResource", "an absolute URI or the audience");
        return new OidcSettings(authority, audience.Trim(), userClaim?.Trim() ?? DefaultUserClaim, requireHttps, TimeSpan.FromSeconds(skew),
            Optional(section, "ConsoleClientId", "the console's client id at the issuer"), scope, resource,
            Optional(section, "GroupClaim", "a claim name (e.g. groups or roles)") ?? DefaultGroupClaim,
            Optional(section, "NameClaim", "a claim name (e.g. name)") ?? DefaultNameClaim);
    }

    /// <summary>The trimmed value, or null when the key is absent; present but blank stops the start.</summary>
    private static string? Optional(IConfigurationSection section, string name, string what)
    {
        var text = section[name];
        if (text is null) return null;
        return string.IsNullOrWhiteSpace(text) ? throw new ConfigurationException($"{Section}:{name}", $"must not be blank: {what}") : text.Trim();
    }

    private static bool ParseBool(IConfigurationSection section, string name, bool fallback)
    {
        var text = section[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return bool.TryParse(text, out var value)
            ? value
            : throw new ConfigurationException($"{Section}:{name}", $"'{text}' is not true or false");
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
