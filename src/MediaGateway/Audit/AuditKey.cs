using System.Security.Cryptography;
using System.Text;
using MediaGateway.Hosting;

namespace MediaGateway.Audit;

/// <summary>
/// The key that signs the audit chain and its checkpoints (HMAC-SHA256). It never lives in Redis, is never logged or
/// returned, and signatures are compared in constant time. <see cref="Id"/> names the key without revealing it, so a
/// signature made with another key is told apart from a forged one.
/// </summary>
internal sealed class AuditKey
{
    /// <summary>A secret shorter than this is refused: 32 random characters, e.g. <c>openssl rand -hex 32</c> gives 64.</summary>
    public const int MinimumLength = 32;

    /// <summary>The file the demo's key is generated into (inside the checkpoint directory) when no key is configured.</summary>
    public const string DemoKeyFile = "audit-demo.key";

    private readonly byte[] _key;

    public AuditKey(byte[] key)
    {
        _key = key;
        Id = Convert.ToHexStringLower(HMACSHA256.HashData(_key, "mg-audit-key-id"u8))[..8];
    }

    /// <summary>A name for the key: the first 8 hex digits of an HMAC of a fixed text under it.</summary>
    public string Id { get; }

    /// <summary>The signature of <paramref name="text"/> for <paramref name="purpose"/> ("entry", "checkpoint"), lower-case hex.</summary>
    public string Sign(string purpose, string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"mg-audit-{purpose}/1\n{text}")));

    /// <summary>True when <paramref name="signature"/> is this key's signature of the text (constant-time comparison).</summary>
    public bool Verifies(string purpose, string text, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(purpose, text)), Encoding.ASCII.GetBytes(signature));

    /// <summary>
    /// The configured key (<c>Audit:KeyRef</c>, a secret reference). Without one, Production refuses to start; Development
    /// (the demo) generates a random key once into the checkpoint directory, which is outside Redis.
    /// </summary>
    public static AuditKey Load(IConfiguration configuration, ConfigDirectory configDirectory, string checkpointDirectory)
    {
        var reference = configuration["Audit:KeyRef"];
        string secret;
        if (!string.IsNullOrWhiteSpace(reference))
        {
            secret = SecretReference.Resolve(reference, "Audit:KeyRef", configDirectory);
        }
        else if (configuration.GetValue("Gateway:Mode", GatewayMode.Production) == GatewayMode.Production)
        {
            throw new ConfigurationException("Audit:KeyRef",
                "required in Production: a secret reference (env:NAME or file:path) to the key that signs the audit chain; keep it off the Redis host (see docs/operations.md, \"Audit chain\")");
        }
        else
        {
            secret = DemoKey(Path.Combine(checkpointDirectory, DemoKeyFile));
        }

        return secret.Length >= MinimumLength
            ? new AuditKey(Encoding.UTF8.GetBytes(secret))
            : throw new ConfigurationException("Audit:KeyRef", $"the audit key must be at least {MinimumLength} characters long");
    }

    /// <summary>Reads the demo key, generating it first when there is none (two processes starting at once agree on one).</summary>
    private static string DemoKey(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temporary, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(temporary); // another process made it first: use theirs
            }
        }

        return File.ReadAllText(path).Trim();
    }
}
