namespace MediaGateway.Tests.Infrastructure;

/// <summary>Where the repository's config/ and templates/ are, found from the test assembly's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Config => Path.Combine(Root, "config");

    public static string DemoSecret(string file) => File.ReadAllText(Path.Combine(Config, "demo", "secrets", file)).Trim();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MediaGateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MediaGateway.sln not found above the test folder");
    }
}
