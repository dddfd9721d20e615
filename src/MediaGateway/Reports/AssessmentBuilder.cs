using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Audit;
using MediaGateway.Calendar;
using MediaGateway.Content;
using MediaGateway.Deadlines;
using MediaGateway.Publishing;
using MediaGateway.Webhooks;

namespace MediaGateway.Reports;

/// <summary>
/// Computes the assessment (P17) from the registration record and the items: publications, failures, rejections
/// and review waits come from the audit chain (it holds every revision, so a rejection later revised still
/// counts); on-time rates come from each item's deadline (<see cref="DeadlineClock"/>) and its first publication.
/// </summary>
internal sealed class AssessmentBuilder(ContentStore content, AuditLog audit, PublicationStore publications, DeadlineClock clock,
    AccountRegistry accounts, DepartmentDirectory departments, AccountActivity activity, TimeProvider time)
{
    private sealed record Fact(string? Department, IReadOnlyList<string> Accounts);

    private sealed record Turnaround(Fact Of, int Level, string LevelName, double Hours);

    private sealed record Failure(Fact Of, string Class);

    private sealed record DeadlineOutcome(Fact Of, string RuleId, DeadlineState State, bool Provisional);

    /// <summary>The report for China days <paramref name="from"/>…<paramref name="to"/> (inclusive); <paramref name="department"/> null = every department.</summary>
    public async Task<AssessmentReport> BuildAsync(DateOnly from, DateOnly to, string? department, CancellationToken ct)
    {
        var start = WorkingDayCalendar.StartOfDay(from);
        var end = WorkingDayCalendar.EndOfDay(to);
        var items = new Dictionary<string, ContentItem?>(StringComparer.Ordinal);
        // Keyed by publication id: a post taken down later (publication.retracted, in or after the period) is not counted as published.
        var published = new Dictionary<string, Fact>(StringComparer.Ordinal);
        var retracted = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<Failure>();
        var rejections = new List<Fact>();
        var turnarounds = new List<Turnaround>();
        var waiting = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);

        await foreach (var entry in AuditEntriesAsync(ct))
        {
            if (entry.Type == EventTypes.PublicationRetracted && PublicationIdOf(entry) is { } gone) retracted.Add(gone);
            if (entry.At >= end) continue; // appended in causal order, not strictly by time: read on
            var inPeriod = entry.At >= start;
            var contentId = entry.ContentId;
            switch (entry.Type)
            {
                case EventTypes.ContentSubmitted or EventTypes.ContentRevised when contentId is not null:
                    waiting[contentId] = entry.At;
                    break;
                case EventTypes.ContentWithdrawn when contentId is not null:
                    waiting[contentId] = null;
                    break;
                case EventTypes.ReviewDecided when contentId is not null:
                    var level = entry.Details["review"]?["level"]?.GetValue<int>() ?? 0;
                    var approved = entry.Details["review"]?["decision"]?.GetValue<string>() == nameof(ReviewDecision.Approve);
                    if (inPeriod)
                    {
                        var item = await ItemAsync(items, contentId);
                        var fact = FactOf(item, entry);
                        if (waiting.GetValueOrDefault(contentId) is { } since)
                            turnarounds.Add(new Turnaround(fact, level, ContentItem.LevelName(level, item?.RequiredLevels ?? ContentItem.MinimumReviewLevels), (entry.At - since).TotalHours));
                        if (!approved) rejections.Add(fact);
                    }

                    waiting[contentId] = approved ? entry.At : null;
                    break;
                case EventTypes.PublicationSucceeded when inPeriod:
                    published[PublicationIdOf(entry) ?? entry.EventId] = FactOf(contentId is null ? null : await ItemAsync(items, contentId), entry);
                    break;
                case EventTypes.PublicationFailed when inPeriod:
                    failures.Add(new Failure(FactOf(contentId is null ? null : await ItemAsync(items, contentId), entry),
                        entry.Details["publication"]?["error"]?["class"]?.GetValue<string>() ?? "Unknown"));
                    break;
            }
        }

        var live = published.Where(p => !retracted.Contains(p.Key)).Select(p => p.Value).ToList();
        var takenDown = published.Where(p => retracted.Contains(p.Key)).Select(p => p.Value).ToList();
        var outcomes = await DeadlineOutcomesAsync(start, end);
        var visibleAccounts = accounts.All.Where(a => department is null || a.IsVisibleTo(department)).OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        var silence = await activity.GetAsync(accounts.All, ct);
        var departmentIds = department is not null ? [department]
            : accounts.All.Select(a => a.Ownership.OperatingTeam).OfType<string>()
                .Concat(live.Concat(takenDown).Concat(rejections).Concat(failures.Select(f => f.Of)).Concat(turnarounds.Select(t => t.Of)).Concat(outcomes.Select(o => o.Of))
                    .Select(f => f.Department).OfType<string>())
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        AssessmentRow Row(string id, string name, Func<Fact, bool> belongs, IReadOnlyList<AccountActivityView> activities)
        {
            var last = activities.Where(a => a.LastPublishedAt is not null).Max(a => a.LastPublishedAt);
            return new AssessmentRow
            {
                Id = id, Name = name,
                Publications = live.Count(belongs),
                Retracted = takenDown.Count(belongs),
                OnTime = clock.Settings.Rules.Select(r =>
                {
                    var mine = outcomes.Where(o => o.RuleId == r.Id && belongs(o.Of)).ToList();
                    return new OnTimeFigures(r.Id, mine.Count, mine.Count(o => o.State == DeadlineState.Met), mine.Count(o => o.State == DeadlineState.Late),
                        mine.Count(o => o.State == DeadlineState.Missed), mine.Count(o => o.State is DeadlineState.Running or DeadlineState.Approaching),
                        mine.Count(o => o.Provisional));
                }).ToList(),
                ReviewTurnaround = turnarounds.Where(t => belongs(t.Of)).GroupBy(t => t.Level).OrderBy(g => g.Key).Select(g => new TurnaroundFigures(
                    g.Key, g.First().LevelName, g.Count(), Round(Percentiles.Median(g.Select(t => t.Hours))), Round(Percentiles.Of(g.Select(t => t.Hours), 90)))).ToList(),
                Rejections = rejections.Count(belongs),
                FailuresByClass = failures.Where(f => belongs(f.Of)).GroupBy(f => f.Class).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count()),
                LastPublishedAt = last,
                DaysSinceLastUpdate = activities.Count == 0 ? null : activities.Min(a => a.DaysSilent),
            };
        }

        var departmentRows = departmentIds.Select(d => Row(d, departments.NameOf(d), f => f.Department == d,
            accounts.All.Where(a => a.Ownership.OperatingTeam == d).Select(a => silence[a.Id]).ToList())).ToList();
        return new AssessmentReport
        {
            From = from, To = to, GeneratedAt = time.GetUtcNow(), Scope = department ?? "all",
            Rules = clock.Settings.Rules.Select(r => new RuleInfo(r.Id, r.Name, r.Allowance)).ToList(),
            Departments = departmentRows,
            ProvisionalDeadlines = departmentRows.Sum(r => r.OnTime.Sum(o => o.Provisional)),
            Accounts = visibleAccounts.Select(a => Row(a.Id, a.Name, f => f.Accounts.Contains(a.Id), [silence[a.Id]])).ToList(),
        };
    }

    private static double? Round(double? hours) => hours is { } h ? Math.Round(h, 2) : null;

    private static string? PublicationIdOf(AuditEntry entry) => entry.Details["publication"]?["id"]?.GetValue<string>();

    private static Fact FactOf(ContentItem? item, AuditEntry entry) => new(item?.Department, entry.AccountIds);

    private async Task<ContentItem?> ItemAsync(Dictionary<string, ContentItem?> cache, string id)
    {
        if (!cache.TryGetValue(id, out var item))
        {
            cache[id] = item = (await content.GetAsync(id))?.Value;
        }

        return item;
    }

    /// <summary>Items whose deadline falls in [start, end), with how it was kept.</summary>
    private async Task<List<DeadlineOutcome>> DeadlineOutcomesAsync(DateTimeOffset start, DateTimeOffset end)
    {
        var now = time.GetUtcNow();
        var result = new List<DeadlineOutcome>();
        // Created up to the watch window before the period, or any time after it (a backdated issuance date can put the deadline in the past).
        var ids = await content.IdsCreatedSinceAsync(start.AddDays(-clock.Settings.WatchWindowDays));
        foreach (var chunk in ids.Chunk(200))
        {
            foreach (var item in (await content.GetManyAsync(chunk)).OfType<ContentItem>())
            {
                if (clock.Compute(item) is not { Deadline: { } deadline } computation || deadline < start || deadline >= end) continue;
                var pubs = await publications.GetManyAsync(item.Targets.Select(t => Publication.IdFor(item.Id, item.Revision, t)));
                var state = clock.StateOf(item, computation, DeadlineClock.FirstPublished(pubs), now);
                if (state is DeadlineState.Stopped or DeadlineState.Unavailable) continue;
                result.Add(new DeadlineOutcome(new Fact(item.Department, item.Targets), computation.Rule.Id, state, computation.Provisional));
            }
        }

        return result;
    }

    private async IAsyncEnumerable<AuditEntry> AuditEntriesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long after = 0;
        while (!ct.IsCancellationRequested)
        {
            var page = await audit.ReadAfterAsync(after, 1000);
            if (page.Length == 0) yield break;
            foreach (var entry in page)
            {
                yield return entry;
            }

            after = page[^1].Seq;
        }
    }
}
