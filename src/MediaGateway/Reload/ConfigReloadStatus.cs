using System.Collections.Concurrent;

namespace MediaGateway.Reload;

/// <summary>The last outcome of each configuration reload ("accounts", "rules"), shown at GET /api/operations/reload.</summary>
internal sealed class ConfigReloadStatus
{
    /// <summary>One reloadable part: what is in force, and why the last change was refused (null when it was applied).</summary>
    internal sealed record Report(string What, DateTimeOffset CheckedAt, DateTimeOffset? AppliedAt, string? Problem, IReadOnlyList<string> Notes);

    private readonly ConcurrentDictionary<string, Report> _reports = new(StringComparer.Ordinal);

    public IReadOnlyList<Report> All => [.. _reports.Values.OrderBy(r => r.What, StringComparer.Ordinal)];

    public Report? Find(string what) => _reports.GetValueOrDefault(what);

    public void Set(Report report) => _reports[report.What] = report;
}
