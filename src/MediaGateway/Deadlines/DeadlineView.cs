using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Publishing;

namespace MediaGateway.Deadlines;

/// <summary>A person responsible for moving an item on: its author, or a reviewer who may decide the awaited level.</summary>
internal sealed record ResponsiblePersonView(string Id, string Name, string Role, int? Level);

/// <summary>Who holds an item now: a review level (with the reviewers who may decide it), the author, publishing, or nobody.</summary>
internal sealed record HolderView(string Stage, int? Level, string? LevelName, string Description, IReadOnlyList<ResponsiblePersonView> People);

/// <summary>An item's deadline as the API shows it (additive field <c>deadline</c> of a content item).</summary>
internal sealed record DeadlineView
{
    /// <summary>The configured rule (Deadlines:Rules:{id}), e.g. "P10".</summary>
    public required string RuleId { get; init; }
    public required string RuleName { get; init; }
    public required string Allowance { get; init; }
    public DateTimeOffset? ClockStartsAt { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    /// <summary>The deadline as the law reads it, China time: "2025年2月13日（星期四）24时前 / by the end of Thu 13 Feb 2025" (<see cref="DeadlineClock.DueBy"/>).</summary>
    public string? DueBy { get; init; }
    /// <summary>Deadline minus now, in seconds; negative once passed; null when published, stopped or unavailable.</summary>
    public long? SecondsLeft { get; init; }
    public int? WorkingDaysLeft { get; init; }
    /// <summary>"剩余 2 天 3 小时 / 2 d 3 h left".</summary>
    public string? TimeLeft { get; init; }
    public required string State { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    /// <summary>True when the deadline was counted through a year without a loaded State Council notice (statutory holidays only).</summary>
    public bool Provisional { get; init; }
    /// <summary>"按法定节假日推算…/ computed from the statutory holidays; provisional…" when <see cref="Provisional"/>, else null.</summary>
    public string? ProvisionalNote { get; init; }
    /// <summary>Why the deadline cannot be computed (e.g. a calendar year is missing).</summary>
    public string? Problem { get; init; }
    public required HolderView HeldBy { get; init; }
}

/// <summary>Builds <see cref="DeadlineView"/>s and the responsible people of an item.</summary>
internal sealed class DeadlineViews(DeadlineClock clock, UserDirectory users, AccountRegistry accounts, PublicationStore publications, TimeProvider time)
{
    public DeadlineView? For(ContentItem item, IReadOnlyList<Publication> publications)
    {
        var computation = clock.Compute(item);
        if (computation is null) return null;
        var now = time.GetUtcNow();
        var publishedAt = DeadlineClock.FirstPublished(publications);
        var state = clock.StateOf(item, computation, publishedAt, now);
        var open = state is DeadlineState.Running or DeadlineState.Approaching or DeadlineState.Missed;
        TimeSpan? left = open && computation.Deadline is { } d ? d - now : null;
        return new DeadlineView
        {
            RuleId = computation.Rule.Id, RuleName = computation.Rule.Name, Allowance = computation.Rule.Allowance,
            ClockStartsAt = computation.StartsAt, Deadline = computation.Deadline,
            DueBy = computation.Deadline is { } due ? DeadlineClock.DueBy(due) : null,
            SecondsLeft = left is { } l ? (long)Math.Floor(l.TotalSeconds) : null,
            WorkingDaysLeft = open ? clock.WorkingDaysLeft(computation, now) : null,
            TimeLeft = left is { } t ? DeadlineClock.Describe(t) : null,
            State = JsonName(state), PublishedAt = publishedAt, Problem = computation.Problem,
            Provisional = computation.Provisional, ProvisionalNote = computation.Provisional ? DeadlineClock.ProvisionalNote : null,
            HeldBy = HolderOf(item, publishedAt),
        };
    }

    /// <summary>As <see cref="For"/>, reading the publications of the item's current revision when it has a rule.</summary>
    public async Task<DeadlineView?> ForAsync(ContentItem item) =>
        clock.Settings.RuleFor(item.Category) is null ? null
            : For(item, await publications.GetManyAsync(item.Targets.Select(t => Publication.IdFor(item.Id, item.Revision, t))));

    public HolderView HolderOf(ContentItem item, DateTimeOffset? publishedAt)
    {
        if (publishedAt is not null) return new("published", null, null, "已发布 / published", []);
        return item.Status switch
        {
            ContentStatus.InReview => new("review", item.NextReviewLevel, ContentItem.LevelName(item.NextReviewLevel, item.RequiredLevels),
                $"等待{ContentItem.LevelName(item.NextReviewLevel, item.RequiredLevels)} / awaiting review level {item.NextReviewLevel}",
                ReviewersOf(item)),
            ContentStatus.Rejected or ContentStatus.ChangesRequired => new("author", null, null,
                item.Status == ContentStatus.Rejected ? "已退回作者修改 / rejected, back with the author" : "须由作者修改 / the author must change it",
                AuthorsOf(item)),
            ContentStatus.Approved => new("publishing", null, null, "已审核通过，正在发布 / approved, publishing", []),
            _ => new("withdrawn", null, null, "已撤回 / withdrawn", []),
        };
    }

    /// <summary>The author(s) and, while in review, the reviewers who may decide the awaited level (P5 rules applied).</summary>
    public IReadOnlyList<ResponsiblePersonView> ResponsibleFor(ContentItem item) =>
        [.. AuthorsOf(item), .. item.Status == ContentStatus.InReview ? ReviewersOf(item) : []];

    private List<ResponsiblePersonView> AuthorsOf(ContentItem item) =>
        item.Editors.Append(item.CreatedBy).Distinct(StringComparer.Ordinal)
            .Select(id => new ResponsiblePersonView(id, users.Find(id)?.Name ?? id, "author", null)).ToList();

    private List<ResponsiblePersonView> ReviewersOf(ContentItem item)
    {
        var level = item.NextReviewLevel;
        return users.All
            .Where(u => u.Has(Role.Reviewer) && u.ReviewLevel == level && !item.WasEditedBy(u.Id)
                && item.Reviews.All(r => r.ReviewerId != u.Id) && accounts.AllVisibleTo(item.Targets, u.Department))
            .OrderBy(u => u.Id, StringComparer.Ordinal)
            .Select(u => new ResponsiblePersonView(u.Id, u.Name, "reviewer", level)).ToList();
    }

    public static string JsonName(DeadlineState state) => char.ToLowerInvariant(state.ToString()[0]) + state.ToString()[1..];
}
