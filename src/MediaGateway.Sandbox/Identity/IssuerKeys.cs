using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGateway.Sandbox.Identity;

/// <summary>The issuer's signing key, a foreign key for forgeries, and the minting of tokens.</summary>
internal sealed class IssuerKeys(OidcIssuerOptions options) : IDisposable
{
    private readonly RSA _signing = RSA.Create(2048);
    private readonly RSA _foreign = RSA.Create(2048);
    private readonly Lock _lock = new();
    private int _jwksRequests;

    public OidcIssuerOptions Options { get; } = options;

    public string Issuer { get; set; } = "";

    public string KeyId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public JsonObject Jwks()
    {
        Interlocked.Increment(ref _jwksRequests);
        var p = _signing.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64Url.EncodeToString(p.Modulus),
                ["e"] = Base64Url.EncodeToString(p.Exponent),
            }),
        };
    }

    public string Issue(string subject, string audience, TimeSpan lifetime, IDictionary<string, object>? extraClaims, bool foreign)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        var now = Options.TimeProvider.GetUtcNow();
        var expires = now + lifetime;
        var issued = lifetime > TimeSpan.Zero ? now : expires - TimeSpan.FromMinutes(5);
        var payload = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = audience,
            ["iat"] = issued.ToUnixTimeSeconds(),
            ["nbf"] = issued.ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        foreach (var (name, value) in extraClaims ?? new Dictionary<string, object>())
        {
            payload[name] = value;
        }

        var header = new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId };
        var signingInput = Segment(header) + "." + Segment(payload);
        byte[] signature;
        lock (_lock)
        {
            signature = (foreign ? _foreign : _signing).SignData(
                Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static string Segment(Dictionary<string, object> claims) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));

    public void Dispose()
    {
        _signing.Dispose();
        _foreign.Dispose();
    }
}
