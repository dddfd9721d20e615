namespace MediaGateway.Hosting;

/// <summary>Bad configuration found at start: the message names the key and the reason.</summary>
internal sealed class ConfigurationException(string key, string reason)
    : Exception($"Configuration error at '{key}': {reason}")
{
    public string Key { get; } = key;
}
