using System.Text.Json.Nodes;
using MediaGateway.Content;
using MediaGateway.Rules;
using MediaGateway.Webhooks;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Audit;

/// <summary>P7: every reload of the rule lists is registered in the audit chain with the new version.</summary>
internal sealed partial class RuleListAudit(RuleSetProvider rules, EventStore events, TimeProvider time,
    ILogger<RuleListAudit> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        rules.Reloaded += OnReloaded;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        rules.Reloaded -= OnReloaded;
        return Task.CompletedTask;
    }

    private void OnReloaded(RuleSet set) => _ = RecordAsync(set);

    private async Task RecordAsync(RuleSet set)
    {
        var e = new GatewayEvent("evt_" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), EventTypes.RulesReloaded, time.GetUtcNow(), [],
            new JsonObject { ["rules"] = new JsonObject { ["version"] = set.Version } });
        try
        {
            await events.AppendAsync(e);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.NotRecorded(logger, set.Version, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.RuleListReloadNotAudited, LogLevel.Error, "Rule lists {Version} are in force, but the reload could not be registered: {Reason}")]
        public static partial void NotRecorded(ILogger logger, string version, string reason);
    }
}
