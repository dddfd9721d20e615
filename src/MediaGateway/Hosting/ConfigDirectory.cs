namespace MediaGateway.Hosting;

/// <summary>
/// The folder that holds appsettings.json, the curated lists and the organisation's files.
/// Found from <c>--config-dir</c> / <c>MEDIAGATEWAY_CONFIG_DIR</c>, else the nearest <c>config/</c>
/// above the current directory or the program's folder.
/// </summary>
internal sealed record ConfigDirectory(string Path)
{
    public string Resolve(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relative));

    public static ConfigDirectory Locate(string[] args)
    {
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--config-dir")
            {
                return FromExisting(args[i + 1], "--config-dir");
            }
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("MEDIAGATEWAY_CONFIG_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return FromExisting(fromEnvironment, "MEDIAGATEWAY_CONFIG_DIR");
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "config");
                if (File.Exists(System.IO.Path.Combine(candidate, "appsettings.json")))
                {
                    return new ConfigDirectory(candidate);
                }
            }
        }

        throw new ConfigurationException("--config-dir", "no config/appsettings.json found above the current directory; pass --config-dir or set MEDIAGATEWAY_CONFIG_DIR");
    }

    private static ConfigDirectory FromExisting(string path, string key)
    {
        var full = System.IO.Path.GetFullPath(path);
        return File.Exists(System.IO.Path.Combine(full, "appsettings.json"))
            ? new ConfigDirectory(full)
            : throw new ConfigurationException(key, $"'{full}' has no appsettings.json");
    }
}
