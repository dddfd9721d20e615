using System.Globalization;
using MediaGateway.Platforms;

namespace MediaGateway.Publishing;

/// <summary>
/// What a person is told about a publication: one of a few words, the same in the API, the console, the calendar,
/// the sign-off sheet, the reports and the webhook payloads. Derived from the stored machine state
/// (<see cref="Publication.State"/>, <see cref="Publication.Retraction"/>, <see cref="Publication.Waiting"/>, …),
/// never stored itself.
/// </summary>
internal enum DisplayStatus
{
    /// <summary>已排期: approved, waiting for its publish time.</summary>
    Scheduled,
    /// <summary>等待中: held for a reason a person can read (paused, suspended, quota, checking the platform, retrying).</summary>
    Waiting,
    /// <summary>发布中: on its way, or sent and its outcome not known yet.</summary>
    Publishing,
    /// <summary>已发布: the post is on the platform (a retraction may be under way).</summary>
    Published,
    /// <summary>发布失败.</summary>
    Failed,
    /// <summary>已撤回: the post was taken down.</summary>
    Retracted,
    /// <summary>待人工确认: the gateway stopped rather than guess; a person decides.</summary>
    NeedsDecision,
    /// <summary>已取消: the item was withdrawn before anything reached the platform.</summary>
    Cancelled,
}

/// <summary>
/// One publication's displayed status. <see cref="Code"/> is the word (camelCase in JSON), <see cref="Label"/> its
/// Chinese name, <see cref="Detail"/> the Chinese line that goes with it (the waiting reason with its until-time in
/// China time, the failure, the retraction); <see cref="Live"/> says whether the post is on the platform now, so a
/// link is shown only then; <see cref="At"/> is the time that belongs to the word (published, retracted, scheduled
/// for, waiting until, decision asked).
/// </summary>
internal sealed record PublicationStatusView(DisplayStatus Code, string Label, string? Detail, bool Live, DateTimeOffset? At, WaitKind? WaitKind)
{
    public static string LabelOf(DisplayStatus code) => code switch
    {
        DisplayStatus.Scheduled => "已排期",
        DisplayStatus.Waiting => "等待中",
        DisplayStatus.Publishing => "发布中",
        DisplayStatus.Published => "已发布",
        DisplayStatus.Failed => "发布失败",
        DisplayStatus.Retracted => "已撤回",
        DisplayStatus.NeedsDecision => "待人工确认",
        DisplayStatus.Cancelled => "已取消",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    /// <summary>The camelCase code as the API and the payloads spell it ("needsDecision").</summary>
    public static string CodeOf(DisplayStatus code) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(code.ToString());

    /// <summary>Label and detail on one line: "等待中（正在向平台核实，至 14:05）".</summary>
    public string Text => Detail is null ? Label : $"{Label}（{Detail}）";
}

/// <summary>Derives what a publication's state means to a person. Pure: the same publication and clock give the same answer.</summary>
internal static class PublicationStatus
{
    private static readonly TimeZoneInfo ChinaTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>
    /// In this order: a retracted post is retracted whatever else is stored; cancelled; needs a decision; published
    /// (a stale error of an earlier attempt is not shown); failed; waiting when <see cref="Publication.Waiting"/> is
    /// set; publishing when it was submitted, a send is in flight or its outcome unknown
    /// (<see cref="Publication.SendStartedAt"/>), or it is in the work stream; otherwise scheduled.
    /// <paramref name="now"/> only decides whether a time is written with its day (not today in China) or as HH:mm.
    /// </summary>
    public static PublicationStatusView Of(Publication p, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Retraction == RetractionState.Retracted)
            return View(DisplayStatus.Retracted, p.RetractedAt is { } r ? $"撤回于 {When(r, now)}" : null, live: false, p.RetractedAt);
        switch (p.State)
        {
            case PublicationState.Cancelled:
                return View(DisplayStatus.Cancelled, "内容已撤稿，未发往平台", live: false, null);
            case PublicationState.NeedsDecision:
                return View(DisplayStatus.NeedsDecision, p.Decision?.Reason ?? "发布结果须人工确认", live: false, p.Decision?.At);
            case PublicationState.Published:
                var retraction = p.Retraction switch
                {
                    RetractionState.Queued => "正在撤回",
                    RetractionState.Failed => "撤回未成功，仍在平台上",
                    _ => null,
                };
                return View(DisplayStatus.Published, retraction, live: true, p.PublishedAt);
            case PublicationState.Failed:
                return View(DisplayStatus.Failed, p.Error?.Explanation, live: false, null);
        }

        if (p.Waiting is { } wait)
            return View(DisplayStatus.Waiting, WaitText(wait, p.Platform, now), live: false, wait.Until) with { WaitKind = wait.Kind };
        if (p.State is PublicationState.Submitted or PublicationState.Queued || p.SendStartedAt is not null)
            return View(DisplayStatus.Publishing, null, live: false, null);
        var scheduled = p.ScheduledFor ?? p.DueAt;
        return View(DisplayStatus.Scheduled, scheduled is { } s ? $"定于 {When(s, now)}" : null, live: false, scheduled);
    }

    private static PublicationStatusView View(DisplayStatus code, string? detail, bool live, DateTimeOffset? at) =>
        new(code, PublicationStatusView.LabelOf(code), string.IsNullOrWhiteSpace(detail) ? null : detail, live, at, null);

    /// <summary>The waiting reason in words, with its until-time in China time when there is one.</summary>
    public static string WaitText(PublicationWait wait, Platform platform, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(wait);
        var reason = wait.Kind switch
        {
            WaitKind.Paused => "已暂停",
            WaitKind.AccountSuspended => "账号已停用",
            WaitKind.Quota => platform == Platform.WeChat ? "今日群发次数已用完" : "平台发布次数已用完",
            WaitKind.CheckingPlatform => "正在向平台核实",
            WaitKind.Retrying => "平台暂时出错，将重试",
            _ => "等待中",
        };
        return wait.Until is { } until ? $"{reason}，至 {When(until, now)}" : reason;
    }

    /// <summary>"14:05" when it is today in China, else "2月14日 08:00" (China time, 24-hour clock).</summary>
    public static string When(DateTimeOffset at, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(at, ChinaTime);
        var today = TimeZoneInfo.ConvertTime(now, ChinaTime);
        var clock = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (local.Date == today.Date) return clock;
        var day = local.Year == today.Year
            ? string.Create(CultureInfo.InvariantCulture, $"{local.Month}月{local.Day}日")
            : string.Create(CultureInfo.InvariantCulture, $"{local.Year}年{local.Month}月{local.Day}日");
        return $"{day} {clock}";
    }
}

/// <summary>How an item's publication to one account stands (the roll-up's per-account line).</summary>
internal sealed record AccountPublicationStatus(string AccountId, DisplayStatus Status, string Label, bool Live, DateTimeOffset? At);

/// <summary>
/// An item's publications in one line, so a failure is never hidden behind one word: "已发布" only when every
/// account's post is live, "部分发布（1/2）· 发布失败 1" when not. <see cref="Status"/> is the roll-up's word:
/// the <see cref="DisplayStatus"/> names, plus <c>partlyPublished</c>.
/// </summary>
internal sealed record PublicationRollup(string Status, string Label, int Total, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<AccountPublicationStatus> Accounts)
{
    public const string PartlyPublished = "partlyPublished";

    public int Published => Counts.GetValueOrDefault(PublicationStatusView.CodeOf(DisplayStatus.Published));
}

internal static class PublicationRollups
{
    // Which word leads when the accounts disagree and none is published: a person's decision first, then what is still moving.
    private static readonly DisplayStatus[] Lead =
    [
        DisplayStatus.NeedsDecision, DisplayStatus.Publishing, DisplayStatus.Waiting, DisplayStatus.Scheduled,
        DisplayStatus.Failed, DisplayStatus.Retracted, DisplayStatus.Cancelled, DisplayStatus.Published,
    ];

    /// <summary>The roll-up of an item's publications; null when it has none (not approved yet, or withdrawn before).</summary>
    public static PublicationRollup? Of(IReadOnlyList<Publication> publications, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(publications);
        if (publications.Count == 0) return null;
        var statuses = publications.Select(p => (p.AccountId, View: PublicationStatus.Of(p, now))).ToList();
        return Of(statuses.Select(s => new AccountPublicationStatus(s.AccountId, s.View.Code, s.View.Label, s.View.Live, s.View.At)).ToList());
    }

    /// <summary>As <see cref="Of(IReadOnlyList{Publication}, DateTimeOffset)"/>, from each account's status.</summary>
    public static PublicationRollup? Of(IReadOnlyList<AccountPublicationStatus> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (accounts.Count == 0) return null;
        var total = accounts.Count;
        var counts = accounts.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count());
        var published = counts.GetValueOrDefault(DisplayStatus.Published);

        string status;
        string label;
        DisplayStatus? shown; // the word already in the label, not repeated in the tail
        if (published == total)
        {
            (status, label, shown) = (Code(DisplayStatus.Published), PublicationStatusView.LabelOf(DisplayStatus.Published), DisplayStatus.Published);
        }
        else if (published > 0 && !counts.Keys.Any(IsOpen))
        {
            (status, label, shown) = (PublicationRollup.PartlyPublished, $"部分发布（{published}/{total}）", DisplayStatus.Published);
        }
        else
        {
            var lead = Lead.First(counts.ContainsKey);
            (status, label, shown) = (Code(lead), PublicationStatusView.LabelOf(lead), lead);
            if (counts[lead] < total && lead != DisplayStatus.Published) label += $" {counts[lead]}/{total}";
        }

        var tail = Lead.Reverse().Where(s => s != shown && counts.ContainsKey(s))
            .Select(s => s == DisplayStatus.Published ? $"已发布 {counts[s]}/{total}" : $"{PublicationStatusView.LabelOf(s)} {counts[s]}");
        label = string.Join(" · ", [label, .. tail]);
        return new PublicationRollup(status, label, total,
            counts.OrderBy(c => c.Key).ToDictionary(c => Code(c.Key), c => c.Value), accounts);
    }

    /// <summary>Something is still to happen on its own (or waits for a person): the roll-up is not final yet.</summary>
    private static bool IsOpen(DisplayStatus s) => s is DisplayStatus.NeedsDecision or DisplayStatus.Publishing or DisplayStatus.Waiting or DisplayStatus.Scheduled;

    private static string Code(DisplayStatus s) => PublicationStatusView.CodeOf(s);
}
