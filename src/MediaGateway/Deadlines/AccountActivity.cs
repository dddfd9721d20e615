using System.Globalization;
using MediaGateway.Accounts;
using MediaGateway.Audit;
using MediaGateway.Webhooks;

namespace MediaGateway.Deadlines;

/// <summary>An account's silence as GET /api/accounts shows it (additive field <c>activity</c>).</summary>
internal sealed record AccountActivityView(DateTimeOffset? LastPublishedAt, DateTimeOffset SilentSince, double DaysSilent, string Stage, string Description);

/// <summary>
/// When each account last published. The source is the registration record (P7): every publication.succeeded
/// event is in the audit chain, so the watch reads the chain forward from a cursor and keeps the latest time per
/// account in a hash (max-merge, so several processes reading the same entries agree). An account that never
/// published is silent since it was opened (or first watched).
/// </summary>
internal sealed class AccountActivity(AccountActivityStore activity, AuditLog audit, AccountStore store, DeadlineSettings settings, TimeProvider time)
{
    /// <summary>Counts the audit entries appended since the last call into the last-publication times.</summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        var cursor = await activity.CursorAsync();
        while (!ct.IsCancellationRequested)
        {
            var page = await audit.ReadAfterAsync(cursor, 500);
            if (page.Length == 0) return;
            foreach (var entry in page)
            {
                if (entry.Type == EventTypes.PublicationSucceeded)
                {
                    var at = PublishedAt(entry);
                    foreach (var account in entry.AccountIds)
                    {
                        await activity.PublishedAsync(account, at);
                    }
                }

                cursor = entry.Seq;
            }

            await activity.MoveCursorAsync(cursor);
        }
    }

    private static DateTimeOffset PublishedAt(AuditEntry entry) =>
        entry.Details["publication"]?["publishedAt"]?.GetValue<string>() is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : entry.At;

    /// <summary>The silence of each given account now (the record is read up to its end first, so a post of a moment ago counts).</summary>
    public async Task<IReadOnlyDictionary<string, AccountActivityView>> GetAsync(IEnumerable<Account> accounts, CancellationToken ct = default)
    {
        await SyncAsync(ct);
        var list = accounts.ToList();
        var now = time.GetUtcNow();
        var last = await activity.LastPublishedAsync();
        var since = await activity.WatchedSinceAsync();
        var result = new Dictionary<string, AccountActivityView>(StringComparer.Ordinal);
        foreach (var account in list)
        {
            if (!since.TryGetValue(account.Id, out var watched))
            {
                watched = (await OpenedAtAsync(account.Id) ?? now).ToUnixTimeMilliseconds();
                await activity.WatchFromAsync(account.Id, watched);
            }

            DateTimeOffset? lastPublished = last.TryGetValue(account.Id, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            var silentSince = lastPublished ?? DateTimeOffset.FromUnixTimeMilliseconds(watched);
            result[account.Id] = Describe(account, lastPublished, silentSince, now);
        }

        return result;
    }

    private AccountActivityView Describe(Account account, DateTimeOffset? lastPublished, DateTimeOffset silentSince, DateTimeOffset now)
    {
        var silence = now - silentSince;
        var days = Math.Round(silence.TotalDays, 2);
        var (stage, text) = account.Status == AccountStatus.Closed ? ("closed", "已关闭 / closed")
            : silence >= settings.DormantClosure ? ("closure", $"已 {days:0.#} 天未更新，列为僵尸账号，建议关停 / silent for {days:0.#} days: flagged for closure")
            : silence >= settings.DormantWarning ? ("warning", $"已 {days:0.#} 天未更新，两周无更新将被检查判为不合格 / silent for {days:0.#} days: the national check fails an account silent for 2 weeks")
            : ("active", lastPublished is null ? "尚未发布 / nothing published yet" : $"最近更新于 {days:0.#} 天前 / last update {days:0.#} days ago");
        return new AccountActivityView(lastPublished, silentSince, days, stage, text);
    }

    private async Task<DateTimeOffset?> OpenedAtAsync(string accountId) =>
        (await store.GetAsync(accountId))?.Value.History is [var opened, ..] ? opened.At : null;
}
