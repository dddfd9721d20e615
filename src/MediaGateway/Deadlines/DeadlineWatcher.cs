using System.Text.Json.Nodes;
using MediaGateway.Content;
using MediaGateway.Publishing;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Deadlines;

/// <summary>
/// Every Deadlines:CheckSeconds, checks the items created within Deadlines:WatchWindowDays against their deadline
/// (P10–P13) and announces deadline.approaching (once per configured threshold) and deadline.missed (once),
/// naming the responsible people: the author, and the reviewers who may decide the awaited level. Each notice is
/// written with a SET-NX marker in one transaction, so several gateway processes announce it exactly once; the
/// event then reaches the department webhooks and the audit chain like every other event.
/// </summary>
internal sealed partial class DeadlineWatcher(ContentStore content, EventStore store, RedisKeys keys, PublicationStore publications, DeadlineClock clock,
    DeadlineViews views, EventFactory events, TimeProvider time, ILogger<DeadlineWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MarkerLife = TimeSpan.FromDays(400);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (clock.Settings.Rules.Count == 0) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAllAsync(stoppingToken);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or System.Text.Json.JsonException)
            {
                Log.CheckFailed(logger, e.Message);
            }

            await Task.Delay(clock.Settings.CheckInterval, time, stoppingToken);
        }
    }

    public async Task CheckAllAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ids = await content.IdsCreatedSinceAsync(now.AddDays(-clock.Settings.WatchWindowDays));
        // 32 at a time: few enough that the pool keeps the buffers between chunks.
        foreach (var chunk in ids.Chunk(32))
        {
            ct.ThrowIfCancellationRequested();
            // Read into pooled buffers (leases): an item for 200 accounts is ~80 KB, and a fresh array per item per check
            // would be garbage the GC keeps until its next full collection.
            var leases = await content.GetLeasedAsync(chunk);
            var watched = new List<ContentItem>();
            try
            {
                foreach (var lease in leases.OfType<Lease<byte>>())
                {
                    // Most items have no deadline (their category has no rule) or are withdrawn: two fields say so, and
                    // the rest of the document (tens of KB of fingerprints) is skipped by the reader.
                    var fields = Json.DeserializeUtf8<DeadlineFields>(lease.Span);
                    if (clock.Settings.RuleFor(fields.Category) is null || fields.Status == ContentStatus.Withdrawn) continue;
                    watched.Add(Json.DeserializeUtf8<ContentItem>(lease.Span));
                }
            }
            finally
            {
                foreach (var lease in leases) lease?.Dispose();
            }

            foreach (var item in watched)
            {
                await CheckAsync(item, now);
            }
        }
    }

    private async Task CheckAsync(ContentItem item, DateTimeOffset now)
    {
        var computation = clock.Compute(item);
        if (computation?.Deadline is not { } deadline || item.Status == ContentStatus.Withdrawn) return;

        // What could be announced now: the miss once the deadline has passed, otherwise the thresholds reached so far.
        // (A publication is never later than now, so before the deadline none can have been late.) Most items have
        // nothing to announce, or have announced it already, and then their publications are not read: an approved
        // item for 200 accounts has 200, and this runs every Deadlines:CheckSeconds over every watched item.
        List<(string Type, string Notice, ApproachingThreshold? Threshold)> due = now >= deadline
            ? [(EventTypes.DeadlineMissed, "missed", null)]
            : [.. clock.Reached(computation.Rule, computation.StartsAt!.Value, deadline, now).Select(t => (EventTypes.DeadlineApproaching, t.Id, (ApproachingThreshold?)t))];
        var pending = new List<(string Type, string Notice, ApproachingThreshold? Threshold)>();
        foreach (var notice in due)
        {
            if (!await store.AnnouncedAsync(keys.DeadlineNotified(item.Id, notice.Notice, deadline))) pending.Add(notice);
        }

        if (pending.Count == 0) return;

        // Publications of the current revision exist only once it is approved.
        if (item.Status == ContentStatus.Approved)
        {
            var pubs = await publications.GetManyAsync(item.Targets.Select(t => Publication.IdFor(item.Id, item.Revision, t)));
            // Published in time: nothing to announce. Published late while no watcher saw the deadline pass: still on
            // the record as missed (the only notice pending once the deadline has passed).
            if (DeadlineClock.FirstPublished(pubs) is { } at && at <= deadline) return;
        }

        foreach (var (type, notice, threshold) in pending)
        {
            await AnnounceAsync(item, computation, deadline, type, notice, threshold, now);
        }
    }

    private async Task AnnounceAsync(ContentItem item, DeadlineComputation computation, DateTimeOffset deadline, string type, string notice,
        ApproachingThreshold? threshold, DateTimeOffset now)
    {
        // Only notices not yet made reach here (CheckAsync looked at their markers); the transaction's condition on the
        // marker settles a race with another gateway instance.
        var marker = keys.DeadlineNotified(item.Id, notice, deadline);

        var holder = views.HolderOf(item, null);
        var responsible = views.ResponsibleFor(item);
        var left = deadline - now;
        var message = type == EventTypes.DeadlineMissed
            ? $"《{item.Title}》已超过{computation.Rule.Name}期限（{China(deadline)}），当前：{holder.Description} / '{item.Title}' missed its deadline ({computation.Rule.Id}, {deadline:O})"
            : $"《{item.Title}》距{computation.Rule.Name}期限（{China(deadline)}）{DeadlineClock.Describe(left)}，当前：{holder.Description} / '{item.Title}' is due at {deadline:O} ({computation.Rule.Id})";
        if (computation.Provisional) message += " — " + DeadlineClock.ProvisionalNote;
        var e = events.ForContent(type, item, "gateway", new JsonObject
        {
            ["deadline"] = new JsonObject
            {
                ["ruleId"] = computation.Rule.Id,
                ["ruleName"] = computation.Rule.Name,
                ["allowance"] = computation.Rule.Allowance,
                ["clockStartsAt"] = computation.StartsAt?.ToString("O"),
                ["deadline"] = deadline.ToString("O"),
                ["threshold"] = threshold?.Id,
                ["secondsLeft"] = (long)Math.Floor(left.TotalSeconds),
                ["provisional"] = computation.Provisional,
            },
            ["heldBy"] = JsonNode.Parse(Json.Serialize(holder)),
            ["responsible"] = JsonNode.Parse(Json.Serialize(responsible)),
            ["message"] = message,
        });
        if (await store.AnnounceOnceAsync(marker, e, MarkerLife))
        {
            Log.Announced(logger, type, item.Id, computation.Rule.Id, deadline);
        }
    }

    /// <summary>The two fields of a stored item that say whether it can have a deadline to watch.</summary>
    private sealed record DeadlineFields(ContentCategory Category, ContentStatus Status);

    private static string China(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Calendar.WorkingDayCalendar.ChinaTime).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(EventIds.DeadlineAnnounced, LogLevel.Warning, "{Type} for content {ContentId} (rule {RuleId}, deadline {Deadline})")]
        public static partial void Announced(ILogger logger, string type, string contentId, string ruleId, DateTimeOffset deadline);

        [LoggerMessage(EventIds.DeadlineCheckFailed, LogLevel.Warning, "Deadline check failed: {Reason}")]
        public static partial void CheckFailed(ILogger logger, string reason);
    }
}
