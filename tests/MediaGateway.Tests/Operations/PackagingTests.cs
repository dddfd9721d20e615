using System.Diagnostics;
using System.Net;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using StackExchange.Redis;

namespace MediaGateway.Tests.Operations;

/// <summary>What can be tested of the packaging here: the publish output and the systemd unit (images are not built).</summary>
public sealed class PackagingTests
{
    [Fact]
    public async Task PublishOutput_RunsWithOnlyTheRuntime_AndItsProbesFollowRedis()
    {
        var work = Path.Combine(Path.GetTempPath(), "mg-publish-" + Guid.NewGuid().ToString("N"));
        var output = Path.Combine(work, "out");
        try
        {
            var noBuild = GatewayProcess.DllPath().Contains("/Release/", StringComparison.Ordinal) ? " --no-build" : "";
            var (code, log) = await ShellCommand.RunAsync("bash", $"scripts/publish.sh {output}{noBuild}");
            Assert.True(code == 0, log);
            Assert.True(File.Exists(Path.Combine(output, "config", "appsettings.json")));
            Assert.True(Directory.Exists(Path.Combine(output, "templates", "wechat")));

            await using var redis = await EmbeddedRedis.StartAsync(Path.Combine(work, "redis"));
            // Production mode, nothing but the published folder: the default configuration plus a Redis, a scrape token and the audit key.
            await using var gateway = await GatewayProcess.StartAsync(
                ["--config-dir", Path.Combine(output, "config"), $"--Redis:ConnectionString={redis.ConnectionString}", "--Operations:MetricsTokenRef=env:MG_TEST_METRICS_TOKEN",
                 "--Audit:KeyRef=env:MG_TEST_AUDIT_KEY"],
                dll: Path.Combine(output, "MediaGateway.dll"),
                environment: new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production", ["ASPNETCORE_ENVIRONMENT"] = "Production", ["MG_TEST_METRICS_TOKEN"] = "scrape-123",
                    ["MG_TEST_AUDIT_KEY"] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) });
            Assert.Contains("Hosting environment: Production", gateway.Output, StringComparison.Ordinal);

            // /metrics needs the scrape token when one is configured.
            Assert.Equal(HttpStatusCode.Unauthorized, await OperationsRig.StatusAsync(gateway.BaseAddress, "metrics"));
            using (var scraper = gateway.Client("scrape-123"))
            {
                Assert.Contains("mediagateway_queue_depth", await scraper.GetStringAsync("metrics"), StringComparison.Ordinal);
            }

            // Persistence switched off at runtime: not ready (Production), still live.
            await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            var server = admin.GetServers()[0];
            await server.ConfigSetAsync("appendonly", "no");
            await TestData.Eventually(async () => await OperationsRig.StatusAsync(gateway.BaseAddress, "healthz/ready") == HttpStatusCode.ServiceUnavailable,
                "not ready without AOF", TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.OK, await OperationsRig.StatusAsync(gateway.BaseAddress, "healthz/live"));
            await server.ConfigSetAsync("appendonly", "yes");
            await TestData.Eventually(async () => await OperationsRig.StatusAsync(gateway.BaseAddress, "healthz/ready") == HttpStatusCode.OK,
                "ready again with AOF", TimeSpan.FromSeconds(30));

            // Redis gone: not ready, still live.
            redis.Kill();
            await TestData.Eventually(async () => await OperationsRig.StatusAsync(gateway.BaseAddress, "healthz/ready") == HttpStatusCode.ServiceUnavailable,
                "not ready without Redis", TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.OK, await OperationsRig.StatusAsync(gateway.BaseAddress, "healthz/live"));
            Assert.Equal(0, await gateway.TerminateAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task SystemdUnit_PassesSystemdAnalyzeVerify()
    {
        // The unit names /usr/bin/dotnet; verify it against wherever this machine's dotnet is, with nothing else changed.
        var unit = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "packaging", "systemd", "media-gateway.service"));
        Assert.Contains("ExecStart=/usr/bin/dotnet ", unit, StringComparison.Ordinal);
        Assert.Contains("KillSignal=SIGTERM", unit, StringComparison.Ordinal);
        var dotnet = Environment.ProcessPath is { } p && Path.GetFileName(p) == "dotnet" ? p : "/usr/bin/dotnet";
        var dir = Path.Combine(Path.GetTempPath(), "mg-unit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var copy = Path.Combine(dir, "media-gateway.service");
            await File.WriteAllTextAsync(copy, unit.Replace("ExecStart=/usr/bin/dotnet ", $"ExecStart={dotnet} ", StringComparison.Ordinal));
            var (code, log) = await ShellCommand.RunAsync("systemd-analyze", $"verify {copy}");
            Assert.True(code == 0 && !log.Contains("media-gateway.service:", StringComparison.Ordinal), log);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

}
