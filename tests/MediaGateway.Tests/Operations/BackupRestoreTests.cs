using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Operations;

/// <summary>
/// scripts/redis-backup.sh takes a snapshot of the running Redis; scripts/redis-restore.sh turns it into the data of
/// a fresh Redis with AOF. A gateway on the restored Redis finds an intact audit chain, publishes the scheduled
/// work that was pending at backup time exactly once, and repeats nothing that was already published.
/// </summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private const string AdminToken = "mgdemo-admin-zhou";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "mg-backup-" + Guid.NewGuid().ToString("N"));
    private OperationsRig _rig = null!;

    public async Task InitializeAsync() => _rig = await OperationsRig.StartAsync();

    [Fact]
    public async Task Backup_RestoredIntoAFreshRedis_VerifiesAndResumesPendingWorkOnce()
    {
        var published = TestData.Unique("备份前已发布");
        var scheduled = TestData.Unique("备份时待发布");
        var backup = Path.Combine(_data, "backup", "gateway.rdb");
        long entriesAtBackup;
        string pendingId;
        await using (var original = await EmbeddedRedis.StartAsync(Path.Combine(_data, "original")))
        {
            await using var gateway = await GatewayProcess.StartAsync(_rig.Args(original.ConnectionString, Checkpoints));
            var done = await OperationsRig.SubmitAndApproveAsync(gateway.BaseAddress, published, ["wx-city", "wb-city"]);
            await WaitAllPublishedAsync(gateway.BaseAddress, done, TimeSpan.FromMinutes(2));

            // Scheduled far enough ahead that it is still pending when the backup is taken.
            var pending = pendingId = await SubmitScheduledAsync(gateway.BaseAddress, scheduled, DateTimeOffset.UtcNow.AddSeconds(25));
            Assert.All(await OperationsRig.PublicationsAsync(gateway.BaseAddress, pending), p => Assert.Equal("scheduled", p!["state"]!.GetValue<string>()));
            entriesAtBackup = (await VerifyAsync(gateway.BaseAddress))["entriesChecked"]!.GetValue<long>();

            var (code, log) = await ShellCommand.RunAsync("bash", $"scripts/redis-backup.sh 127.0.0.1 {original.Port} {backup}");
            Assert.True(code == 0, log);
            Assert.Equal(0, await gateway.TerminateAsync(TimeSpan.FromSeconds(60)));
            original.Kill(); // the original server and its files are gone
        }

        var restoredDir = Path.Combine(_data, "restored");
        var (restoreCode, restoreLog) = await ShellCommand.RunAsync("bash", $"scripts/redis-restore.sh {backup} {restoredDir} {GatewayProcess.FreePort()}");
        Assert.True(restoreCode == 0, restoreLog);
        await using var restored = await EmbeddedRedis.StartAsync(restoredDir);
        // As docs/operations.md says: the checkpoints describe the chain as it was before the restore (with any entries
        // made after the backup), so they are archived, not deleted, before the gateway runs on the restored Redis.
        ArchiveCheckpoints();
        await using var again = await GatewayProcess.StartAsync(_rig.Args(restored.ConnectionString, Checkpoints));

        var verification = await VerifyAsync(again.BaseAddress);
        Assert.True(verification["intact"]!.GetValue<bool>(), verification.ToJsonString());
        Assert.True(verification["entriesChecked"]!.GetValue<long>() >= entriesAtBackup);

        await WaitAllPublishedAsync(again.BaseAddress, pendingId, TimeSpan.FromMinutes(3));
        foreach (var title in new[] { published, scheduled })
        {
            var effects = _rig.Effects(title);
            Assert.Equal(1, effects["wx-city"]);
            Assert.Equal(1, effects["wb-city"]);
        }

        Assert.True((await VerifyAsync(again.BaseAddress))["intact"]!.GetValue<bool>());
    }

    private string CheckpointDirectory => Path.Combine(_data, "audit");

    /// <summary>This test's own audit checkpoints (not the repository's .data/audit, which other gateways share).</summary>
    private string Checkpoints => $"--Audit:CheckpointDirectory={CheckpointDirectory}";

    private void ArchiveCheckpoints()
    {
        var archive = Directory.CreateDirectory(Path.Combine(CheckpointDirectory, "before-restore"));
        foreach (var file in Directory.GetFiles(CheckpointDirectory, "*.checkpoints.jsonl"))
        {
            File.Move(file, Path.Combine(archive.FullName, Path.GetFileName(file)));
        }
    }

    private static async Task<JsonObject> VerifyAsync(Uri gateway)
    {
        using var admin = OperationsRig.Client(gateway, AdminToken);
        return (await admin.GetFromJsonAsync<JsonObject>("api/audit/verify"))!;
    }

    private static async Task<string> SubmitScheduledAsync(Uri gateway, string title, DateTimeOffset publishAt)
    {
        using var op = OperationsRig.Client(gateway, GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover, title);
        article["publishAt"] = publishAt.ToString("O");
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
        foreach (var token in new[] { GatewayTestHost.Reviewer1Token, GatewayTestHost.Reviewer2Token, GatewayTestHost.Reviewer3Token })
        {
            using var reviewer = OperationsRig.Client(gateway, token);
            using var response = await TestData.ReviewAsync(reviewer, id);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        return id;
    }

    internal static async Task WaitAllPublishedAsync(Uri gateway, string id, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var publications = await OperationsRig.PublicationsAsync(gateway, id);
            var states = publications.Select(p => p!["state"]!.GetValue<string>()).ToList();
            if (states.Count > 0 && states.All(s => s is "published" or "failed"))
            {
                Assert.All(states, s => Assert.Equal("published", s));
                return;
            }

            // On failure, the whole record of what has not finished: its wait, due time and history say where it stuck.
            Assert.True(deadline.Elapsed < timeout, $"{id}: {string.Join(",", states)}\n"
                + string.Join("\n", publications.Where(p => p!["state"]!.GetValue<string>() != "published").Select(p => p!.ToJsonString())));
            await Task.Delay(300);
        }
    }


    public async Task DisposeAsync()
    {
        await _rig.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
