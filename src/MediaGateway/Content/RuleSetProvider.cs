using MediaGateway.Hosting;
using MediaGateway.Rules;
using Microsoft.Extensions.Options;

namespace MediaGateway.Content;

/// <summary>
/// The rule set built from the curated lists in config/rules. Loaded at start (a bad list fails start
/// with its file named); reload without restart comes with issue 5.
/// </summary>
public sealed class RuleSetProvider
{
    public RuleSetProvider(IOptions<RulesOptions> options, ConfigDirectory configDirectory)
    {
        var o = options.Value;
        Current = RuleSet.Create(
            Load("confidentiality-markers", configDirectory.Resolve(o.ConfidentialityMarkersFile), "Rules:ConfidentialityMarkersFile", Severity.Block),
            Load("sensitive-expressions", configDirectory.Resolve(o.SensitiveExpressionsFile), "Rules:SensitiveExpressionsFile", Severity.Flag));
    }

    public RuleSet Current { get; }

    private static WordList Load(string name, string path, string key, Severity defaultSeverity)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException(key, $"list file '{path}' does not exist");
        }

        try
        {
            return WordList.Parse(name, File.ReadAllText(path), defaultSeverity);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException(key, e.Message);
        }
    }
}
