using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MediaGateway.Observability;

/// <summary>
/// Every metric the gateway exports, in one place (meter <see cref="MeterName"/>). Code paths record with one
/// call each; names and labels are documented in docs/operations.md. Label values are ids and classes, never content.
/// </summary>
internal static class GatewayMetrics
{
    public const string MeterName = "MediaGateway";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Publications = Meter.CreateCounter<long>(
        "mediagateway.publications", "{publication}", "Publications that reached a final outcome, by account, platform, outcome and error class.");

    private static readonly Histogram<double> ApprovalToPlatform = Meter.CreateHistogram<double>(
        "mediagateway.publication.approval_to_platform", "s", "Time from approval (or the scheduled time, if later) until the platform published.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600] });

    private static readonly Counter<long> TokenRefreshes = Meter.CreateCounter<long>(
        "mediagateway.token.refreshes", "{refresh}", "Access tokens fetched from a platform, by platform and account (app id).");

    private static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>(
        "mediagateway.webhook.deliveries", "{attempt}", "Webhook delivery attempts, by outcome (delivered, rejected, error).");

    private static readonly Histogram<double> RuleEngine = Meter.CreateHistogram<double>(
        "mediagateway.rules.duration", "s", "Time the rule engine took for one item (all its targets), by stage.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });

    private static readonly Counter<long> ConfigReloads = Meter.CreateCounter<long>(
        "mediagateway.config.reloads", "{reload}", "Configuration reloads, by what was reloaded and outcome (applied, rejected).");

    private static readonly Counter<long> MemoryTrims = Meter.CreateCounter<long>(
        "mediagateway.memory.idle_trims", "{collection}", "Full collections the gateway ran when it went quiet after a burst (IdleMemoryTrim).");

    private static readonly ConcurrentDictionary<(string Lane, string Kind), long> QueueDepths = new();

    static GatewayMetrics()
    {
        Meter.CreateObservableGauge("mediagateway.queue.depth", ReadQueueDepths, "{publication}",
            "Publications waiting, by lane and kind: stream (entries in the work stream), pending (taken, not yet acknowledged), due (waiting for their time).");
    }

    /// <summary>A publication reached its final state.</summary>
    public static void PublicationFinished(string accountId, string platform, string outcome, string? errorClass) =>
        Publications.Add(1, new TagList { { "account", accountId }, { "platform", platform }, { "outcome", outcome }, { "error_class", errorClass ?? "none" } });

    /// <summary>A publication was published <paramref name="elapsed"/> after approval (or its scheduled time).</summary>
    public static void PublishedAfter(string platform, TimeSpan elapsed) =>
        ApprovalToPlatform.Record(Math.Max(0, elapsed.TotalSeconds), new KeyValuePair<string, object?>("platform", platform));

    public static void TokenRefreshed(string platform, string account) =>
        TokenRefreshes.Add(1, new KeyValuePair<string, object?>("platform", platform), new KeyValuePair<string, object?>("account", account));

    public static void WebhookAttempt(string outcome) => WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Starts timing one rule run; dispose the result when the run is done (<c>using var _ = GatewayMetrics.TimeRules("submission");</c>).</summary>
    /// <remarks>The rules' work takes real time, so it is timed on the real clock even when the gateway runs on a test clock.</remarks>
    public static RuleTiming TimeRules(string stage) => new(stage, TimeProvider.System.GetTimestamp());

    public static void ConfigReloaded(string what, bool applied) =>
        ConfigReloads.Add(1, new KeyValuePair<string, object?>("what", what), new KeyValuePair<string, object?>("outcome", applied ? "applied" : "rejected"));

    public static void MemoryTrimmed() => MemoryTrims.Add(1);

    /// <summary>The latest sampled depth of one lane's key (see <see cref="QueueDepthSampler"/>).</summary>
    public static void SetQueueDepth(string lane, string kind, long value) => QueueDepths[(lane, kind)] = value;

    private static IEnumerable<Measurement<long>> ReadQueueDepths() =>
        QueueDepths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("lane", d.Key.Lane), new KeyValuePair<string, object?>("kind", d.Key.Kind)));

    /// <summary>Records the elapsed time of one rule run when disposed.</summary>
    internal readonly struct RuleTiming(string stage, long started) : IDisposable
    {
        public void Dispose() => RuleEngine.Record(TimeProvider.System.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("stage", stage));
    }
}
