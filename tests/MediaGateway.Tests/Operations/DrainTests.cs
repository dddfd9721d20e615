using System.Diagnostics;
using System.Text.Json;
using MediaGateway.Sandbox;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Operations;

/// <summary>
/// SIGTERM in the middle of a fan-out (five items × four accounts, every send slowed down by the sandboxes): the
/// process stops within its shutdown timeout, a new process picks up what was handed back, and every
/// publication reaches its platform exactly once.
/// </summary>
public sealed class DrainTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "mg-drain-" + Guid.NewGuid().ToString("N"));
    private EmbeddedRedis _redis = null!;
    private OperationsRig _rig = null!;

    public async Task InitializeAsync()
    {
        _redis = await EmbeddedRedis.StartAsync(_data);
        _rig = await OperationsRig.StartAsync();
    }

    [Fact]
    public async Task Sigterm_MidFanOut_LosesNothing_AndDoublesNothing()
    {
        _rig.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", Delay = TimeSpan.FromMilliseconds(1500), Times = 10_000 });
        _rig.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", Delay = TimeSpan.FromMilliseconds(1500), Times = 10_000 });
        string[] extra = ["--Operations:ShutdownTimeoutSeconds=20", "--Logging:Console:FormatterName=json", "--Logging:Console:FormatterOptions:IncludeScopes=true"];
        var titles = Enumerable.Range(1, 5).Select(i => TestData.Unique($"停机演练{i}-")).ToList();
        var ids = new List<string>();

        await using (var first = await GatewayProcess.StartAsync(_rig.Args(_redis.ConnectionString, extra)))
        {
            foreach (var title in titles)
            {
                ids.Add(await OperationsRig.SubmitAndApproveAsync(first.BaseAddress, title, OperationsRig.FourAccounts));
            }

            await TestData.Eventually(() => titles.Sum(t => _rig.Effects(t).Values.Sum()) >= 2, "the fan-out has begun", TimeSpan.FromSeconds(120));
            var before = new List<string>();
            foreach (var id in ids)
            {
                before.AddRange((await OperationsRig.PublicationsAsync(first.BaseAddress, id)).Select(p => p!["state"]!.GetValue<string>()));
            }

            Assert.Equal(20, before.Count);
            Assert.Contains(before, s => s is not ("published" or "failed")); // SIGTERM really comes mid fan-out

            var stopping = Stopwatch.StartNew();
            var exit = await first.TerminateAsync(TimeSpan.FromSeconds(90));
            output.WriteLine($"SIGTERM to exit: {stopping.Elapsed.TotalSeconds:F1} s; {before.Count(s => s is not ("published" or "failed"))} of 20 publications unfinished at SIGTERM");
            Assert.True(exit == 0, $"exit code {exit}:\n{first.Output}");
            // Logs are JSON lines when Logging:Console:FormatterName=json.
            var json = first.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l)).ToList();
            Assert.Contains(json, d => d.RootElement.GetProperty("Message").GetString()!.Contains("shutting down", StringComparison.OrdinalIgnoreCase));
        }

        var afterStop = titles.ToDictionary(t => t, t => _rig.Effects(t));
        Assert.All(afterStop.Values.SelectMany(e => e.Values), n => Assert.InRange(n, 0, 1));

        await using var second = await GatewayProcess.StartAsync(_rig.Args(_redis.ConnectionString, extra));
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var states = new List<string>();
            foreach (var id in ids)
            {
                states.AddRange((await OperationsRig.PublicationsAsync(second.BaseAddress, id)).Select(p => p!["state"]!.GetValue<string>()));
            }

            if (states.All(s => s is "published" or "failed"))
            {
                Assert.All(states, s => Assert.Equal("published", s));
                break;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(4), $"not all publications final: {string.Join(",", states)}\n{second.Output}");
            await Task.Delay(500);
        }

        foreach (var title in titles)
        {
            foreach (var (account, count) in _rig.Effects(title))
            {
                Assert.True(count == 1, $"{title} on {account}: {count} posts");
            }
        }
    }

    public async Task DisposeAsync()
    {
        await _rig.DisposeAsync();
        await _redis.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
