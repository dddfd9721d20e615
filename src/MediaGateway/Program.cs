using MediaGateway.Hosting;
using MediaGateway.Storage;
using Microsoft.Extensions.Options;

// The gateway: HTTP API + publishing and webhook workers. See README.md and docs/architecture.md.
try
{
    if (MediaGateway.Audit.AuditCommand.Handles(args))
    {
        return await MediaGateway.Audit.AuditCommand.RunAsync(args);
    }

    var configDirectory = ConfigDirectory.Locate(args);
    await using var embedded = await EmbeddedRedisFromConfig.StartIfEnabledAsync(args, configDirectory);
    var app = GatewayHost.Build(embedded is null ? args : [.. args, $"--Redis:ConnectionString={embedded.ConnectionString}"], configDirectory);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is ConfigurationException or OptionsValidationException)
{
    await Console.Error.WriteLineAsync($"MediaGateway cannot start: {e.Message}");
    return 2;
}
catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
{
    // Several sections failed their validation at start: each names its keys.
    await Console.Error.WriteLineAsync($"MediaGateway cannot start: {string.Join("; ", e.InnerExceptions.Select(i => i.Message))}");
    return 2;
}

/// <summary>Marker so tests can reach the entry assembly.</summary>
internal partial class Program;
