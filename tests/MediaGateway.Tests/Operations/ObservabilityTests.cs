using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MediaGateway.Observability;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Operations;

[Collection(GatewayCollection.Name)]
public sealed class ObservabilityTests(GatewayTestHost host)
{
    [Fact]
    public async Task Probes_AreAnonymous_AndReadyWithADurableRedis()
    {
        using var anonymous = host.Client(null);
        using var live = await anonymous.GetAsync("healthz/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await anonymous.GetAsync("healthz/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("healthz")).StatusCode);
    }

    [Fact]
    public async Task OneItem_ShowsInMetrics_AndItsStepsShareOneTrace()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == GatewayTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("运行观测"))))["id"]!.GetValue<string>();
        var stored = await host.Multiplexer.GetDatabase().StringGetAsync(host.Services.GetRequiredService<RedisKeys>().ContentTrace(id));
        Assert.False(stored.IsNull, "the submitting request's trace context is stored beside the item");
        var traceId = ActivityContext.Parse(stored!, null).TraceId;

        await TestData.ApproveAllLevelsAsync(host, id);
        await TestData.WaitForFinalPublicationsAsync(op, id);

        bool InTrace(Activity a) => (string?)a.GetTagItem("mediagateway.content_id") == id && a.TraceId == traceId;
        await TestData.Eventually(() => spans.Any(a => InTrace(a) && a.OperationName == "publication.succeeded")
                                        && spans.Any(a => InTrace(a) && a.OperationName == "webhook deliver")
                                        && spans.Any(a => InTrace(a) && a.OperationName.StartsWith("content POST reviews", StringComparison.Ordinal)),
            "review, publication and webhook spans in the item's trace", TimeSpan.FromSeconds(60));
        var published = spans.First(a => InTrace(a) && a.OperationName == "publication.succeeded");
        Assert.True(published.Duration > TimeSpan.Zero, "the publication span runs from approval to the platform's answer");

        // Prometheus text at /metrics, anonymous in this configuration.
        using var anonymous = host.Client(null);
        var metrics = "";
        await TestData.Eventually(async () =>
        {
            metrics = await anonymous.GetStringAsync("metrics");
            return metrics.Contains("mediagateway_webhook_deliveries_total{", StringComparison.Ordinal)
                   && metrics.Split('\n').Any(l => l.StartsWith("mediagateway_publications_total{", StringComparison.Ordinal)
                                                    && l.Contains("account=\"wx-city\"", StringComparison.Ordinal) && l.Contains("outcome=\"published\"", StringComparison.Ordinal));
        }, "publication and webhook counters exported", TimeSpan.FromSeconds(60));
        Assert.Contains("mediagateway_publication_approval_to_platform_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("mediagateway_rules_duration_seconds_count{", metrics, StringComparison.Ordinal);
        Assert.Contains("mediagateway_queue_depth{", metrics, StringComparison.Ordinal);
        Assert.Contains("lane=\"routine\"", metrics, StringComparison.Ordinal);
        Assert.Contains("lane=\"emergency\"", metrics, StringComparison.Ordinal);
    }
}
