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
/// and end). Reading the audit chain (append-only) needs no change in the publishing or webhook code.
/// </summary>
internal sealed partial class AuditStreamListener(IConnectionMultiplexer redis, RedisKeys keys, GatewayTracing tracing, PublicationStore publications,
    TimeProvider time, ILogger<AuditStreamListener> logger) : BackgroundService
{
    public const string Group = "metrics";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consumer = $"{Environment.MachineName}-{Environment.ProcessId}";
        var groupReady = false;
        var idle = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var db = redis.GetDatabase();
                if (!groupReady)
                {
                    try
                    {
                        // "$": a new deployment counts from now on, not the whole history.
                        await db.StreamCreateConsumerGroupAsync(keys.AuditStream, Group, "$", createStream: true);
                    }
                    catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
                    {
                    }

                    groupReady = true;
                }

                var entries = await db.StreamReadGroupAsync(keys.AuditStream, Group, consumer, ">", 100);
                foreach (var entry in entries)
                {
                    await ObserveAsync(entry);
                    await db.StreamAcknowledgeAsync(keys.AuditStream, Group, entry.Id);
                }

                idle = entries.Length > 0 ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, 2000));
                if (entries.Length == 0)
                {
                    await Task.Delay(idle, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                groupReady = !StreamGroups.IsMissingGroup(e) && groupReady;
                Log.ReadFailed(logger, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
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

    private static partial class Log
    {
        [LoggerMessage(EventIds.AuditStreamNotRead, LogLevel.Debug, "Audit stream not read for metrics: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string reason);
    }
}
