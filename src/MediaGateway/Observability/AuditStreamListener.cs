using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaGateway.Audit;
using MediaGateway.Publishing;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using StackExchange.Redis;

namespace MediaGateway.Observability;

/// <summary>
/// Follows the audit chain in its own consumer group ("metrics"), so each entry is counted by exactly one
/// instance: final publications feed the outcome counter and the approval-to-platform histogram, and every entry
/// of an item becomes a span in the item's trace (review decisions, approval, publication with its real start
/// and end). Reading the audit chain (append-only) needs no change in the publishing or webhook code. The reading is
/// the shared <see cref="StreamPoller"/>'s: entries an instance took and never counted (it stopped) are taken over after a minute.
/// </summary>
internal sealed class AuditStreamListener(StreamPoller poller, AuditLog audit, GatewayTracing tracing, PublicationStore publications) : BackgroundService
{
    public const string Group = "metrics";

    /// <summary>Entries a gone instance took and did not count are counted by another after this long.</summary>
    private static readonly TimeSpan ReclaimAfter = TimeSpan.FromMinutes(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => poller.RunAsync(new StreamPoll
    {
        Name = "audit metrics",
        Streams = [audit.Stream],
        Group = Group,
        Consumer = $"{Environment.MachineName}-{Environment.ProcessId}",
        GroupStart = "$", // a new deployment counts from now on, not the whole history
        BatchSize = 100,
        ReclaimAfter = ReclaimAfter,
        ReclaimInterval = ReclaimAfter,
        AcknowledgeAfterHandling = true,
        IdleMin = TimeSpan.FromMilliseconds(100),
        IdleMax = TimeSpan.FromSeconds(2),
    }, ObserveAllAsync, stoppingToken);

    private async Task ObserveAllAsync(IReadOnlyList<StreamMessage> batch, CancellationToken cancellationToken)
    {
        foreach (var message in batch) await ObserveAsync(message.Entry);
    }

    private async Task ObserveAsync(StreamEntry stored)
    {
        ObservedEntry entry;
        try
        {
            ReadOnlyMemory<byte> body = stored["body"];
            entry = Json.DeserializeUtf8<ObservedEntry>(body.Span);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentNullException)
        {
            return; // the chain verifier reports damaged entries; metrics skip them
        }

        if (entry.Type is null) return;

        var publication = entry.Details?.Publication;
        var publicationId = (string?)publication?["id"];
        var isFinal = entry.Type is EventTypes.PublicationSucceeded or EventTypes.PublicationFailed;
        Publication? record = null;
        if (isFinal && publicationId is not null)
        {
            record = (await publications.GetAsync(publicationId))?.Value;
            var errorClass = (string?)publication?["error"]?["class"];
            GatewayMetrics.PublicationFinished((string?)publication?["accountId"] ?? "unknown", (string?)publication?["platform"] ?? "unknown",
                entry.Type == EventTypes.PublicationSucceeded ? "published" : "failed", errorClass);
            if (entry.Type == EventTypes.PublicationSucceeded && record is { PublishedAt: { } publishedAt })
            {
                var start = record.DueAt is { } due && due > record.CreatedAt ? due : record.CreatedAt;
                GatewayMetrics.PublishedAfter(record.Platform.ToString(), publishedAt - start);
            }
        }

        if (entry.ContentId is null)
        {
            return;
        }

        // One span per audit entry in the item's trace; a final publication spans from approval to its outcome.
        var begin = record is not null ? (record.DueAt is { } d && d > record.CreatedAt ? d : record.CreatedAt) : entry.At;
        using var span = await tracing.StartInItemTraceAsync(entry.Type, entry.ContentId, ActivityKind.Internal, begin);
        if (span is null)
        {
            return;
        }

        span.SetTag("mediagateway.audit_seq", entry.Seq);
        span.SetTag("mediagateway.actor", entry.Actor);
        if (publicationId is not null)
        {
            span.SetTag("mediagateway.publication_id", publicationId);
            span.SetTag("mediagateway.account", (string?)publication?["accountId"]);
            span.SetTag("mediagateway.platform_id", (string?)publication?["platformId"]);
        }

        if (entry.Type == EventTypes.PublicationFailed)
        {
            span.SetStatus(ActivityStatusCode.Error, (string?)publication?["error"]?["class"]);
        }

        span.SetEndTime((record?.PublishedAt ?? entry.At).UtcDateTime);
    }

    /// <summary>
    /// The part of an audit entry the metrics need. The rest (for an item, every target account's ownership record) is
    /// skipped by the reader instead of being built into objects only to be dropped.
    /// </summary>
    private sealed record ObservedEntry(long Seq, DateTimeOffset At, string Type, string? Actor, string? ContentId, ObservedDetails? Details);

    private sealed record ObservedDetails(JsonObject? Publication);
}
