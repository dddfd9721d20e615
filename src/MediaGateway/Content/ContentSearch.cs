using System.Globalization;
using System.Text.Json;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Calendar;
using MediaGateway.Deadlines;
using MediaGateway.Hosting;
using MediaGateway.Publishing;

namespace MediaGateway.Content;

/// <summary>The filters of GET /api/content/search, as the query string gives them (all optional).</summary>
internal sealed record ContentSearchQuery(string? Q, string? State, string? Account, string? Unit, string? Category, string? Deadline,
    DateOnly? From, DateOnly? To, int? Take, string? Cursor, string? CreatedBy = null);

/// <summary>
/// What waits for the caller (GET /api/me/waiting), counted over the same bounded walk of the newest items as search:
/// <see cref="Review"/> items at the reviewer's level they may decide; <see cref="Decisions"/> failed publications and
/// publications that need a person's decision, on items of the caller's unit (operators, departments, administrators: all);
/// <see cref="Deadlines"/> items the caller holds whose deadline is approaching or missed.
/// </summary>
internal sealed record WaitingCounts(int Review, int Decisions, int Deadlines, int Scanned, bool Partial);

/// <summary>One page of search results; <see cref="NextCursor"/> continues after the last item looked at (null: nothing older is left).</summary>
/// <param name="Scanned">How many index entries this request looked at (at most <see cref="ContentSearch.ScanLimit"/>).</param>
/// <param name="Partial">True when the scan bound stopped the request before the page was full: older matches may follow the cursor.</param>
internal sealed record ContentSearchPage(IReadOnlyList<ContentView> Items, string? NextCursor, int Scanned, bool Partial);

/// <summary>
/// Search and filters over the content index (docs/decisions.md, decision 40): walks the index newest first (within
/// from/to, which are the index's own score range) in batches, reads each batch's items in one round trip and filters them
/// in memory, and stops when the page is full or after <see cref="ScanLimit"/> entries. The cost of one request is
/// therefore bounded whatever the store holds; the cursor goes on from where it stopped.
/// </summary>
internal sealed class ContentSearch(ContentStore store, PublicationStore publications, AccountRegistry accounts, DeadlineViews deadlines, TimeProvider time)
{
    public const int DefaultTake = 50, MaxTake = 200, ScanLimit = 2000, MaxQueryLength = 100;
    private const int Batch = 200;

    private static readonly string[] ContentStates = Enum.GetNames<ContentStatus>().Select(JsonNamingPolicy.CamelCase.ConvertName).ToArray();
    private static readonly string[] PublicationStates =
        [.. Enum.GetValues<DisplayStatus>().Select(PublicationStatusView.CodeOf), PublicationRollup.PartlyPublished];
    private static readonly string[] DeadlineStates = [.. Enum.GetValues<DeadlineState>().Select(DeadlineViews.JsonName), "open", "none"];
    private static readonly string[] Categories = Enum.GetNames<ContentCategory>().Select(JsonNamingPolicy.CamelCase.ConvertName).ToArray();

    /// <summary>The query checked: every bad field named with its reason (English / Chinese); empty when all are fine.</summary>
    public static Dictionary<string, List<string>> Validate(ContentSearchQuery query)
    {
        var errors = new Dictionary<string, List<string>>();
        InputBounds.Take(query.Take, DefaultTake, MaxTake, errors);
        if (query.Q is { Length: > MaxQueryLength }) errors.Add("q", $"at most {MaxQueryLength} characters / 搜索词最多 {MaxQueryLength} 个字");
        if (query.State is { } s && !ContentStates.Contains(s) && !PublicationStates.Contains(s))
            errors.Add("state", $"must be one of {string.Join(", ", ContentStates.Concat(PublicationStates))} / 状态无效");
        if (query.Category is { } c && !Categories.Contains(c, StringComparer.OrdinalIgnoreCase))
            errors.Add("category", $"must be one of {string.Join(", ", Categories)} / 类别无效");
        if (query.Deadline is { } d && !DeadlineStates.Contains(d))
            errors.Add("deadline", $"must be one of {string.Join(", ", DeadlineStates)} / 时限状态无效");
        if (query.From is { } from && query.To is { } to && to < from) errors.Add("to", "must not lie before from / 结束日期不能早于开始日期");
        if (query.Cursor is { } cursor && IndexPosition.Parse(cursor) is null) errors.Add("cursor", "not a cursor this API returned / 翻页标记无效");
        return errors;
    }

    public async Task<ContentSearchPage> SearchAsync(GatewayUser user, ContentSearchQuery query)
    {
        var take = query.Take ?? DefaultTake;
        var now = time.GetUtcNow();
        var oldest = query.From is { } from ? WorkingDayCalendar.StartOfDay(from).ToUnixTimeMilliseconds() : 0;
        var newest = query.To is { } to ? WorkingDayCalendar.EndOfDay(to).ToUnixTimeMilliseconds() - 1 : long.MaxValue;
        var found = new List<ContentView>();
        var walk = await WalkIndexAsync(IndexPosition.Parse(query.Cursor), oldest, newest, async item =>
        {
            if (item is null || !Cheap(user, item, query) || await ViewIfMatchingAsync(item, query, now) is not { } view) return true;
            found.Add(view);
            return found.Count < take;
        });
        if (walk.Stopped) return new(found, walk.Last!.ToString(), walk.Scanned, false);
        return walk.Exhausted ? new(found, null, walk.Scanned, false) : new(found, walk.Last?.ToString(), walk.Scanned, true);
    }

    public async Task<WaitingCounts> WaitingAsync(GatewayUser user)
    {
        var now = time.GetUtcNow();
        int review = 0, decisions = 0, held = 0;
        var decides = user.Has(Role.Operator) || user.Has(Role.Department) || user.IsAdministrator;
        var walk = await WalkIndexAsync(null, 0, long.MaxValue, async item =>
        {
            if (item is null || !ContentAccess.CanSee(user, item, accounts)) return true;
            if (item.Status == ContentStatus.InReview && user.ReviewLevel == item.NextReviewLevel && !item.WasEditedBy(user.Id)
                && !item.Reviews.Any(r => r.ReviewerId == user.Id))
            {
                review++;
            }

            var pubs = item.Status is ContentStatus.Approved or ContentStatus.Withdrawn
                ? await publications.GetManyAsync(item.Targets.Select(t => Publication.IdFor(item.Id, item.Revision, t)))
                : [];
            if (decides && (user.IsAdministrator || item.Department == user.Department) && PublicationRollups.Of(pubs, now) is { } rollup)
            {
                decisions += rollup.Counts.GetValueOrDefault(PublicationStatusView.CodeOf(DisplayStatus.Failed))
                    + rollup.Counts.GetValueOrDefault(PublicationStatusView.CodeOf(DisplayStatus.NeedsDecision));
            }

            if (deadlines.For(item, pubs) is { State: "approaching" or "missed" } d && d.HeldBy.People.Any(p => p.Id == user.Id)) held++;
            return true;
        });
        return new(review, decisions, held, walk.Scanned, !walk.Exhausted);
    }

    /// <summary>
    /// Where a walk of the index ended: how many entries it looked at, the last one, whether the visitor stopped it, and
    /// whether the index (within the range) had nothing more. Neither stopped nor exhausted: the scan bound ended it.
    /// </summary>
    private sealed record IndexWalk(int Scanned, IndexPosition? Last, bool Stopped, bool Exhausted);

    /// <summary>
    /// The bounded walk of decision 40: the index newest first after <paramref name="position"/>, within the creation times
    /// [<paramref name="oldest"/>, <paramref name="newest"/>] (ms), in batches of <see cref="Batch"/> read with one MGET each,
    /// at most <see cref="ScanLimit"/> entries. <paramref name="visit"/> gets each entry's item (null when it is gone) and
    /// answers false to stop the walk there.
    /// </summary>
    private async Task<IndexWalk> WalkIndexAsync(IndexPosition? position, long oldest, long newest, Func<ContentItem?, Task<bool>> visit)
    {
        var scanned = 0;
        while (scanned < ScanLimit)
        {
            var requested = Math.Min(Batch, ScanLimit - scanned);
            var batch = await store.IndexPageAsync(position, oldest, newest, requested);
            if (batch.Count == 0) return new(scanned, position, false, true);
            var items = await store.GetManyAsync([.. batch.Select(p => p.Id)]);
            for (var n = 0; n < batch.Count; n++)
            {
                scanned++;
                position = batch[n];
                if (!await visit(items[n])) return new(scanned, position, true, false);
            }

            if (batch.Count < requested) return new(scanned, position, false, true);
        }

        return new(scanned, position, false, false);
    }

    /// <summary>Filters that need only the item: visibility, text, account, unit, category.</summary>
    private bool Cheap(GatewayUser user, ContentItem item, ContentSearchQuery query) =>
        ContentAccess.CanSee(user, item, accounts)
        && (string.IsNullOrWhiteSpace(query.Q) || Contains(item, query.Q.Trim()))
        && (query.Account is null || item.Targets.Contains(query.Account))
        && (query.Unit is null || item.Department == query.Unit)
        && (query.CreatedBy is null || item.CreatedBy == query.CreatedBy)
        && (query.Category is null || string.Equals(item.Category.ToString(), query.Category, StringComparison.OrdinalIgnoreCase));

    private static bool Contains(ContentItem item, string text) =>
        item.Title.Contains(text, StringComparison.OrdinalIgnoreCase)
        || item.Body.Contains(text, StringComparison.OrdinalIgnoreCase)
        || item.Summary?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The list view of the item (roll-up and deadline, as GET /api/content) when it passes the state and deadline filters.</summary>
    private async Task<ContentView?> ViewIfMatchingAsync(ContentItem item, ContentSearchQuery query, DateTimeOffset now)
    {
        var pubs = item.Status is ContentStatus.Approved or ContentStatus.Withdrawn
            ? await publications.GetManyAsync(item.Targets.Select(t => Publication.IdFor(item.Id, item.Revision, t)))
            : [];
        var view = ContentView.From(item, [], pubs, now) with { Deadline = deadlines.For(item, pubs) };
        if (query.State is { } state && !HasState(view, state)) return null;
        if (query.Deadline is { } deadline && !HasDeadline(view.Deadline, deadline)) return null;
        return view;
    }

    private static bool HasState(ContentView view, string state) =>
        JsonNamingPolicy.CamelCase.ConvertName(view.Status.ToString()) == state
        || view.PublicationStatus is { } rollup && (rollup.Status == state || rollup.Counts.GetValueOrDefault(state) > 0);

    private static bool HasDeadline(DeadlineView? deadline, string wanted) => wanted switch
    {
        "none" => deadline is null,
        "open" => deadline?.State is "running" or "approaching" or "missed",
        _ => deadline?.State == wanted,
    };

    /// <summary>The query string's day (yyyy-MM-dd) or an error naming the field.</summary>
    public static DateOnly? Day(string? text, string field, Dictionary<string, List<string>> errors)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors.Add(field, "a day as yyyy-MM-dd (China time) / 日期格式应为 yyyy-MM-dd");
        return null;
    }
}
