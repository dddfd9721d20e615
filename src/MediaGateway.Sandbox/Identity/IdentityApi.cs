using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MediaGateway.Sandbox.Identity;

/// <summary>The issuer's wire: OpenID Connect discovery, the JWKS, and the control route that mints tokens.</summary>
internal static class IdentityApi
{
    public static void Map(WebApplication app, IssuerKeys keys)
    {
        app.MapGet("/.well-known/openid-configuration", (HttpContext ctx) => Json.WriteAsync(ctx.Response, new JsonObject
        {
            ["issuer"] = keys.Issuer,
            ["jwks_uri"] = keys.Issuer + "/.well-known/jwks.json",
            ["token_endpoint"] = keys.Issuer + "/_sandbox/tokens",
            ["response_types_supported"] = new JsonArray("token"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["claims_supported"] = new JsonArray("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "preferred_username"),
        }));

        app.MapGet("/.well-known/jwks.json", (HttpContext ctx) => Json.WriteAsync(ctx.Response, keys.Jwks()));

        app.MapPost("/_sandbox/tokens", async (HttpContext ctx) =>
        {
            JsonObject? body;
            try
            {
                body = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject;
            }
            catch (JsonException)
            {
                body = null;
            }

            if (body?["subject"] is not JsonValue subjectValue || !subjectValue.TryGetValue<string>(out var subject) || subject.Length == 0)
            {
                await Json.WriteAsync(ctx.Response, new JsonObject { ["error"] = "invalid_request", ["error_description"] = "subject is required" },
                    StatusCodes.Status400BadRequest);
                return;
            }

            var audience = body["audience"]?.GetValue<string>() ?? keys.Options.DefaultAudience;
            var lifetime = body["lifetimeSeconds"] is JsonValue seconds && seconds.TryGetValue<int>(out var s)
                ? TimeSpan.FromSeconds(s)
                : keys.Options.DefaultLifetime;
            Dictionary<string, object>? extra = null;
            if (body["claims"] is JsonObject claims)
            {
                extra = claims.ToDictionary(c => c.Key, c => (object)c.Value?.DeepClone()!, StringComparer.Ordinal);
            }

            var token = keys.Issue(subject, audience, lifetime, extra, foreign: false);
            await Json.WriteAsync(ctx.Response, new JsonObject
            {
                ["access_token"] = token,
                ["token_type"] = "Bearer",
                ["expires_in"] = (long)lifetime.TotalSeconds,
            });
        });
    }
}
