using MediaGateway.Hosting;

namespace MediaGateway.Accounts;

/// <summary>The organisation's units and departments (section "Departments": id → name).</summary>
internal sealed class DepartmentDirectory(IReadOnlyDictionary<string, string> names)
{
    public bool Contains(string id) => names.ContainsKey(id);

    public string NameOf(string id) => names.GetValueOrDefault(id, id);

    /// <summary>Every unit: id → name.</summary>
    public IReadOnlyDictionary<string, string> All => names;

    public static DepartmentDirectory Load(IConfiguration configuration)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection("Departments").GetChildren())
        {
            names[section.Key] = string.IsNullOrWhiteSpace(section["Name"])
                ? throw new ConfigurationException($"{section.Path}:Name", "is required")
                : section["Name"]!;
        }

        return new DepartmentDirectory(names);
    }
}
