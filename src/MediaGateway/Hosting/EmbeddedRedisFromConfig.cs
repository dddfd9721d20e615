using MediaGateway.Storage;

namespace MediaGateway.Hosting;

/// <summary>Starts the demo's own redis-server when Redis:Embedded:Enabled is true (read before the host is built).</summary>
internal static class EmbeddedRedisFromConfig
{
    public static async Task<EmbeddedRedis?> StartIfEnabledAsync(string[] args, ConfigDirectory configDirectory)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
                          ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(configDirectory.Resolve("appsettings.json"), optional: false)
            .AddJsonFile(configDirectory.Resolve($"appsettings.{environment}.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var options = configuration.GetSection("Redis:Embedded").Get<EmbeddedRedisOptions>() ?? new EmbeddedRedisOptions();
        if (!options.Enabled)
        {
            return null;
        }

        var dataDirectory = Path.GetFullPath(Path.Combine(configDirectory.Path, "..", options.DataDirectory));
        try
        {
            return await EmbeddedRedis.StartAsync(dataDirectory, options.Port, options.ServerPath);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException("Redis:Embedded", e.Message);
        }
    }
}
