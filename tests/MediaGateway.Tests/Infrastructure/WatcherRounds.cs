using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Audit;
using MediaGateway.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MediaGateway.Tests.Infrastructure;

/// <summary>
/// How a test says "later checks announce nothing more" without sleeping through several of them: it runs a watcher's
/// round itself (over when the call returns, at whatever time the gateway's clock reads then), then waits until every
/// event raised so far is on the audit record (P7), and reads the record.
/// </summary>
internal static class WatcherRounds
{
    /// <summary>The gateway's own instance of a background watcher, whose round a test may run directly.</summary>
    public static T Watcher<T>(GatewayTestHost host) where T : IHostedService =>
        host.Services.GetServices<IHostedService>().OfType<T>().Single();

    /// <summary>
    /// Returns once every event raised before the call is on the audit record: it submits an item and waits for that
    /// item's own entry, which the record appends after every earlier event (the record follows the event stream's order).
    /// </summary>
    public static async Task EarlierEventsRecordedAsync(GatewayTestHost host)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var witness = (await TestData.SubmitAsync(op, TestData.Article(await TestData.UploadCoverAsync(op))))["id"]!.GetValue<string>();
        await TestData.Eventually(async () => (await op.GetFromJsonAsync<JsonArray>($"api/content/{witness}/audit"))!.Count > 0,
            "the witness item on the audit record");
    }

    /// <summary>The audit record's entries of one type, oldest first.</summary>
    public static async Task<List<AuditEntry>> AuditEntriesAsync(GatewayTestHost host, string type)
    {
        var entries = await host.Multiplexer.GetDatabase().StreamRangeAsync(host.Services.GetRequiredService<RedisKeys>().AuditStream);
        return entries.Select(e => Json.Deserialize<AuditEntry>(e["body"])).Where(e => e.Type == type).ToList();
    }
}
