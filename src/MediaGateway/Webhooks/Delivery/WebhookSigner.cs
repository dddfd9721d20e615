using System.Security.Cryptography;
using System.Text;
using MediaGateway.Hosting;

namespace MediaGateway.Webhooks;

/// <summary>
/// Standard Webhooks signatures: <c>webhook-signature: v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))</c>,
/// the key being the base64 part of a <c>whsec_…</c> secret.
/// </summary>
internal static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";

    public static string Sign(byte[] key, string messageId, long timestamp, string body)
    {
        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    public static byte[] DecodeSecret(string secret, string key)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
            throw new ConfigurationException(key, $"a webhook secret starts with '{SecretPrefix}'");
        try
        {
            var bytes = Convert.FromBase64String(secret[SecretPrefix.Length..]);
            return bytes.Length >= 24 ? bytes : throw new ConfigurationException(key, "a webhook secret needs at least 24 random bytes");
        }
        catch (FormatException)
        {
            throw new ConfigurationException(key, "the part after 'whsec_' must be base64");
        }
    }

    /// <summary>A new random secret (32 bytes).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
