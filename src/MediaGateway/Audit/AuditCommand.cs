using System.CommandLine;
using MediaGateway.Hosting;

namespace MediaGateway.Audit;

/// <summary>
/// <c>MediaGateway audit verify [--config-dir DIR] [--Key=value …]</c>: verifies the audit chain of the configured
/// Redis against its key and the checkpoints outside Redis, and cross-checks the items' review records; exits 0 when
/// intact, 1 listing every problem with the entries or items it concerns.
/// </summary>
internal static class AuditCommand
{
    public static bool Handles(string[] args) => args is ["audit", ..];

    public static Task<int> RunAsync(string[] args)
    {
        var configDir = new Option<string?>("--config-dir") { Description = "the config directory (default: found above the current directory)" };
        var verify = new Command("verify", "Verify the audit chain against its key and checkpoints, and the items against it; list every problem") { configDir };
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
            var verification = await app.Services.GetRequiredService<AuditLog>().VerifyAsync(cancellationToken: ct);
            Console.WriteLine(verification.Summary);
            foreach (var problem in verification.Problems)
            {
                Console.WriteLine($"  ✗ {problem.Message}");
            }

            foreach (var note in verification.Notes)
            {
                Console.WriteLine($"  · {note}");
            }

            if (verification.LastCheckpoint is { } checkpoint)
            {
                Console.WriteLine($"  最近检查点 / last checkpoint: {checkpoint.Seq} ({checkpoint.Instance}, {checkpoint.At}, {checkpoint.Reason})");
            }

            return verification.Intact ? 0 : 1;
        });
        var audit = new Command("audit", "The registration record (P7)") { verify };
        var root = new RootCommand("MediaGateway") { audit };
        return root.Parse(args).InvokeAsync();
    }
}
