using System.ComponentModel.DataAnnotations;

namespace MediaGateway.Content;

/// <summary>Section "Rules": curated lists, relative to the config directory.</summary>
internal sealed class RulesOptions
{
    public const string Section = "Rules";

    [Required]
    public string ConfidentialityMarkersFile { get; set; } = "rules/confidentiality-markers.txt";

    [Required]
    public string SensitiveExpressionsFile { get; set; } = "rules/sensitive-expressions.txt";

    /// <summary>Optional (empty: none): phrases inside which nothing is reported, e.g. published hotlines.</summary>
    public string AllowListFile { get; set; } = "rules/allow-list.txt";

    /// <summary>Optional (empty: none): leader names and current titles (错敏).</summary>
    public string LeadersFile { get; set; } = "rules/leaders.txt";

    /// <summary>Optional (empty: none): wrong standard expressions and typos, "wrong =&gt; right".</summary>
    public string CorrectionsFile { get; set; } = "rules/corrections.txt";

    /// <summary>How often the list files are checked for changes (reload without restart).</summary>
    [Range(1, 3600)]
    public int ReloadCheckSeconds { get; set; } = 5;
}
