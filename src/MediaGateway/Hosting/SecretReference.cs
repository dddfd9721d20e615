namespace MediaGateway.Hosting;

/// <summary>
/// Secrets are configured by reference, never inline: <c>env:NAME</c> reads an environment variable,
/// <c>file:path</c> a file (relative to the config directory). The value is never logged or returned.
/// </summary>
internal static class SecretReference
{
    public static string Resolve(string? reference, string key, ConfigDirectory configDirectory)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            throw new ConfigurationException(key, "a secret reference is required (env:NAME or file:path)");
        }

        string? value;
        if (reference.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = reference[4..];
            value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value))
            {
                throw new ConfigurationException(key, $"environment variable '{name}' is not set");
            }
        }
        else if (reference.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = configDirectory.Resolve(reference[5..]);
            if (!File.Exists(path))
            {
                throw new ConfigurationException(key, $"secret file '{reference[5..]}' does not exist");
            }

            value = File.ReadAllText(path).Trim();
        }
        else
        {
            throw new ConfigurationException(key, "must start with 'env:' or 'file:' (secrets are never written inline)");
        }

        return value.Length > 0 ? value : throw new ConfigurationException(key, "the referenced secret is empty");
    }
}
