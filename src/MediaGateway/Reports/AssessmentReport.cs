namespace MediaGateway.Reports;

/// <summary>The assessment (P17) over one period: a row per department and per account.</summary>
internal sealed record AssessmentReport
{
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public string TimeZone { get; init; } = "Asia/Shanghai";
    public required DateTimeOffset GeneratedAt { get; init; }
    /// <summary>"all" for administrators, otherwise the caller's department.</summary>
    public required string Scope { get; init; }
    public required IReadOnlyList<RuleInfo> Rules { get; init; }
    public required IReadOnlyList<AssessmentRow> Departments { get; init; }
    public required IReadOnlyList<AssessmentRow> Accounts { get; init; }
    /// <summary>Deadlines due in the period (over the departments shown) that were counted on a provisional calendar (decision 24, 29).</summary>
    public int ProvisionalDeadlines { get; init; }
}

internal sealed record RuleInfo(string Id, string Name, string Allowance);

/// <summary>One department's or account's figures.</summary>
internal sealed record AssessmentRow
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Posts that went live in the period (one per account) and are still up: a post taken down since is not counted.</summary>
    public required int Publications { get; init; }
    /// <summary>Posts that went live in the period and were taken down since (已撤回); not in <see cref="Publications"/>.</summary>
    public int Retracted { get; init; }
    /// <summary>Per deadline rule: deadlines that fell in the period and how they were kept.</summary>
    public required IReadOnlyList<OnTimeFigures> OnTime { get; init; }
    /// <summary>Per review level: decisions made in the period and how long the item waited for them.</summary>
    public required IReadOnlyList<TurnaroundFigures> ReviewTurnaround { get; init; }
    /// <summary>Review rejections decided in the period.</summary>
    public required int Rejections { get; init; }
    /// <summary>Publications that failed in the period, by error class (Content, Auth, Configuration, …).</summary>
    public required IReadOnlyDictionary<string, int> FailuresByClass { get; init; }
    public DateTimeOffset? LastPublishedAt { get; init; }
    /// <summary>Days from the last publication (or since the account was opened) to now.</summary>
    public double? DaysSinceLastUpdate { get; init; }
}

/// <summary>
/// Deadlines due in the period: met, late (published after), missed (not published), pending (still open, not counted);
/// <paramref name="Provisional"/> of the due ones were counted through a year without its State Council notice.
/// </summary>
internal sealed record OnTimeFigures(string RuleId, int Due, int Met, int Late, int Missed, int Pending, int Provisional = 0)
{
    /// <summary>Met ÷ (met + late + missed); null when nothing was decided.</summary>
    public double? Rate => Met + Late + Missed == 0 ? null : Math.Round((double)Met / (Met + Late + Missed), 4);
}

internal sealed record TurnaroundFigures(int Level, string LevelName, int Decisions, double? MedianHours, double? P90Hours);
