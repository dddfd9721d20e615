using System.CommandLine;
using MediaGateway.Hosting;

namespace MediaGateway.Audit;

/// <summary>
/// <c>MediaGateway audit verify [--config-dir DIR] [--Key=value …]</c>: walks the audit chain of the configured
/// Redis and exits 0 when intact, 1 naming the first entry that does not match.
/// </summary>
public static class AuditCommand
{
    public static bool Handles(string[] args) => args is ["audit", ..];

    public static Task<int> RunAsync(string[] args)
    {
        var configDir = new Option<string?>("--config-dir") { Description = "the config directory (default: found above the current directory)" };
        var verify = new Command("verify", "Verify the audit chain and name the first entry that does not match") { configDir };
        verify.TreatUnmatchedTokensAsErrors = false; // --Redis:ConnectionString=… and other configuration overrides
        verify.SetAction(async (result, ct) =>
        {
            var directory = result.GetValue(configDir) is { } d ? new ConfigDirectory(Path.GetFullPath(d)) : ConfigDirectory.Locate([]);
            string[] overrides = [.. result.UnmatchedTokens];
            await using var probe = GatewayHost.Build(overrides, directory);
            var configuration = probe.Configuration;
            if (string.IsNullOrEmpty(configuration["Redis:ConnectionString"]) && configuration.GetValue<bool>("Redis:Embedded:Enabled"))
            {
                // The demo's own Redis, started by a running gateway: connect to it, don't start one.
                overrides = [.. overrides, $"--Redis:ConnectionString=127.0.0.1:{configuration.GetValue("Redis:Embedded:Port", 6390)}"];
            }

            await using var app = GatewayHost.Build(overrides, directory);
            var verification = await app.Services.GetRequiredService<AuditLog>().VerifyAsync(ct);
            Console.WriteLine(verification.Intact
                ? $"audit chain intact: {verification.EntriesChecked} entries, head {verification.HeadHash}"
                : $"audit chain BROKEN at entry {verification.FirstBadSeq}: {verification.Problem}");
            return verification.Intact ? 0 : 1;
        });
        var audit = new Command("audit", "The registration record (P7)") { verify };
        var root = new RootCommand("MediaGateway") { audit };
        return root.Parse(args).InvokeAsync();
    }
}
