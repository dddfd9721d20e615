using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>
/// The platform's side of the callback crypto (wechat-mp.md, "Callback URL"), written independently of the client's
/// so the contract tests check one against the other.
/// </summary>
internal static class CallbackCrypto
{
    /// <summary>The sheet: lowercase hex SHA-1 of the sorted concatenation of the parts.</summary>
    public static string Signature(params string[] parts)
    {
        var sorted = parts.OrderBy(p => p, StringComparer.Ordinal);
#pragma warning disable CA5350 // SHA-1 is what the platform signs with.
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted))));
#pragma warning restore CA5350
    }

    /// <summary>
    /// The sheet's safe mode: key = Base64(EncodingAESKey + "="), IV = first 16 key bytes, AES-256-CBC,
    /// PKCS#7 with 32-byte blocks; plaintext = 16 random bytes + 4-byte big-endian length + XML + appid.
    /// </summary>
    public static string Encrypt(string encodingAesKey, string appId, string xml)
    {
        var key = Convert.FromBase64String(encodingAesKey + "=");
        var body = Encoding.UTF8.GetBytes(xml);
        var tail = Encoding.UTF8.GetBytes(appId);
        using var plain = new MemoryStream();
        plain.Write(RandomNumberGenerator.GetBytes(16));
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)body.Length);
        plain.Write(length);
        plain.Write(body);
        plain.Write(tail);
        var pad = 32 - (int)(plain.Length % 32);
        for (var i = 0; i < pad; i++)
        {
            plain.WriteByte((byte)pad);
        }

        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain.ToArray(), key.AsSpan(0, 16), PaddingMode.None));
    }
}
