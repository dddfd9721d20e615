using System.Diagnostics;

namespace MediaGateway.Observability;

/// <summary>
/// The gateway's spans (source <see cref="SourceName"/>) and the link that makes one trace per content item: the
/// submitting request's trace context is stored beside the item, and later steps (reviews, queue, platform,
/// webhooks) start their spans under it.
/// </summary>
internal sealed class GatewayTracing(ItemTraceStore store)
{
    public const string SourceName = "MediaGateway";

    public static readonly ActivitySource Source = new(SourceName, "1.0");

    /// <summary>Remembers <paramref name="context"/> as the trace of a new item (first writer wins).</summary>
    public Task RememberAsync(string contentId, ActivityContext context) =>
        store.RememberAsync(contentId, Format(context));

    /// <summary>Items whose trace context was found: it is written once (first writer wins) and never changes.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ActivityContext> _found = new(StringComparer.Ordinal);

    private const int FoundLimit = 10_000;

    /// <summary>The item's trace context, if one was stored (read from Redis once per item and process).</summary>
    public async Task<ActivityContext?> FindAsync(string contentId)
    {
        if (_found.TryGetValue(contentId, out var known))
        {
            return known;
        }

        var stored = await store.FindAsync(contentId);
        if (stored is null || !ActivityContext.TryParse(stored, null, out var context))
        {
            return null;
        }

        if (_found.Count >= FoundLimit)
        {
            _found.Clear();
        }

        _found[contentId] = context;
        return context;
    }

    /// <summary>Starts a span in the item's trace (or a new trace when the item has none), linked to the current span.</summary>
    public async Task<Activity?> StartInItemTraceAsync(string name, string contentId, ActivityKind kind = ActivityKind.Internal,
        DateTimeOffset startTime = default)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var parent = await FindAsync(contentId);
        var links = Activity.Current is { } current ? new[] { new ActivityLink(current.Context) } : null;
        var activity = Source.StartActivity(name, kind, parent ?? default, links: links, startTime: startTime);
        activity?.SetTag("mediagateway.content_id", contentId);
        return activity;
    }

    /// <summary>The content id of a publication id ("{contentId}.r{revision}.{accountId}") or of a content id.</summary>
    public static string ContentIdOf(string id)
    {
        var dot = id.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? id : id[..dot];
    }

    private static string Format(ActivityContext c) =>
        $"00-{c.TraceId.ToHexString()}-{c.SpanId.ToHexString()}-{((c.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";
}
