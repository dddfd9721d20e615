using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Options;

namespace MediaGateway.Notifications;

/// <summary>
/// Turns what happens into notices. It follows the audit chain in its own consumer group ("notices", from now on,
/// through the shared <see cref="StreamPoller"/>): every event is appended there once, in order, after the webhook
/// fan-out has taken it, and the chain is never trimmed (the event stream is: the fan-out deletes what it has handled, so
/// a second group on it would see nothing). Each entry becomes the robots' one-line notices
/// (<see cref="RobotNotifier.NoticeFor"/>, for the robots of the departments that may see the item's accounts) and the
/// people's notices (<see cref="PersonNotices"/>), written to Redis together with the entry's acknowledgement
/// (<see cref="NoticeStore.RecordAsync"/>): a restart loses none and adds none. <see cref="RobotNotifier"/> sends them.
/// </summary>
internal sealed partial class NoticeRouter(IOptions<NotificationsOptions> options, AccountRegistry accounts, UserDirectory users,
    NoticeStore store, StreamPoller poller, Audit.AuditLog audit, ILogger<NoticeRouter> logger) : BackgroundService
{
    public const string Group = "notices";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Run(() => poller.RunAsync(new StreamPoll
        {
            Name = "notices",
            Streams = [audit.Stream],
            Group = Group,
            Consumer = $"{Environment.MachineName}-{Environment.ProcessId}",
            GroupStart = "$", // notices tell what happens from now on, not the history
            BatchSize = 100,
            ReclaimAfter = TimeSpan.FromMinutes(1),
            ReclaimInterval = TimeSpan.FromMinutes(1),
            AcknowledgeAfterHandling = false, // RecordAsync acknowledges each entry with its notices
            IdleMin = TimeSpan.FromMilliseconds(100),
            IdleMax = TimeSpan.FromSeconds(1),
        }, RouteAsync, stoppingToken), stoppingToken);

    private async Task RouteAsync(IReadOnlyList<StreamMessage> batch, CancellationToken cancellationToken)
    {
        var robots = new List<(string Robot, Notice Notice)>();
        var people = new List<(string User, PersonNotice Notice)>();
        foreach (var message in batch)
        {
            Audit.AuditEntry entry;
            try
            {
                ReadOnlyMemory<byte> body = message.Entry["body"];
                entry = Json.DeserializeUtf8<Audit.AuditEntry>(body.Span);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentNullException)
            {
                LogUnreadable(logger, message.Entry.Id.ToString()); // the chain verifier reports damaged entries; a reminder skips them
                continue;
            }

            robots.AddRange(RobotNotices(entry));
            people.AddRange(PersonNotices.For(entry, users.All, accounts));
        }

        foreach (var stream in batch.GroupBy(m => m.Stream))
        {
            await store.RecordAsync(stream.Key, Group, [.. stream.Select(m => m.Id)], robots, Merged(people));
        }
    }

    /// <summary>
    /// One notice per person, item and kind in a batch: a fan-out to many accounts ("published" once per account, in the
    /// same moment) becomes one notice naming all of them, not a page of the same line.
    /// </summary>
    private static List<(string User, PersonNotice Notice)> Merged(List<(string User, PersonNotice Notice)> people) =>
        [.. people.GroupBy(p => (p.User, p.Notice.ContentId, p.Notice.Kind)).Select(g => g.Key.ContentId is null ? g.ToList() : [(g.Key.User, g.First().Notice with
        {
            AccountIds = [.. g.SelectMany(p => p.Notice.AccountIds).Distinct(StringComparer.Ordinal)],
            PublicationId = g.Count() == 1 ? g.First().Notice.PublicationId : null,
        })]).SelectMany(x => x)];

    private List<(string Robot, Notice Notice)> RobotNotices(Audit.AuditEntry entry)
    {
        var e = new GatewayEvent(entry.EventId, entry.Type, entry.At, entry.AccountIds, entry.Details) { Actor = entry.Actor, ContentId = entry.ContentId };
        if (e.AccountIds is not { Count: > 0 } || RobotNotifier.NoticeFor(e) is not { } line) return [];
        return [.. options.Value.Robots
            .Where(r => r.Value.Departments.Any(d => accounts.AllVisibleTo(e.AccountIds, d)))
            .Select(r => (r.Key, new Notice(line, e.OccurredAt)))];
    }

    [LoggerMessage(Observability.EventIds.RobotEventsUnread, LogLevel.Warning, "notices: audit entry {EntryId} is unreadable; no notice for it")]
    private static partial void LogUnreadable(ILogger logger, string entryId);
}
