using System.ComponentModel;
using System.Globalization;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Deadlines;
using MediaGateway.Hosting;
using MediaGateway.Platforms;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Publishing;

namespace MediaGateway.Scheduling;

/// <summary>What the compose page sends to hear about its schedule before submitting (POST /api/scheduling/check).</summary>
internal sealed record ScheduleCheckRequest
{
    /// <summary>Account ids the item is for.</summary>
    public List<string>? Targets { get; init; }
    /// <summary>The chosen time; omitted = as soon as approved (or <c>slot</c>).</summary>
    [Description("From 24 hours ago to 366 days ahead (decision 27)")]
    public DateTimeOffset? PublishAt { get; init; }
    /// <summary><c>nextFree</c>: each account's next free posting slot, as a submission would resolve it.</summary>
    public SlotChoice? Slot { get; init; }
    /// <summary>With issuedOn / activityEndsAt: the statutory deadline (P10–P12) the time is compared with.</summary>
    public ContentCategory? Category { get; init; }
    [Description("yyyy-MM-dd, in the years 2000–2199 (decision 27)")]
    public DateOnly? IssuedOn { get; init; }
    [Description("From 2000-01-01 (China time) to 366 days ahead (decision 27)")]
    public DateTimeOffset? ActivityEndsAt { get; init; }
    /// <summary>When revising: the item itself, whose own slots do not count as taken.</summary>
    public string? ItemId { get; init; }
}

/// <summary>When the item would go out on one account.</summary>
/// <param name="At">null = as soon as approved.</param>
/// <param name="FromSlot">The time is the account's next free slot (asked for with <c>slot: nextFree</c>).</param>
internal sealed record PlannedTime(string AccountId, string AccountName, DateTimeOffset? At, bool FromSlot);

/// <summary>
/// One warning. <c>Kind</c>: slotTaken, offSlot, nonWorkingDay, quotaUsed, paused, deadline, silence, noFreeSlot.
/// Warnings do not refuse anything; what the gateway refuses, the submission still refuses.
/// </summary>
internal sealed record ScheduleWarning(string Kind, string Message, string? AccountId = null, DateTimeOffset? At = null, string? ItemId = null, string? ItemTitle = null);

internal sealed record ScheduleCheck(IReadOnlyList<PlannedTime> Times, IReadOnlyList<ScheduleWarning> Warnings);

/// <summary>
/// Conflict and gap warnings while composing: the slot is taken, the time is not one of the account's slots, the day's
/// mass send is already used, publishing is paused, the statutory deadline would be missed, or an account the person
/// runs is about to pass two weeks of silence (P17) with nothing scheduled.
/// </summary>
internal sealed class ScheduleWarnings(AccountRegistry accounts, SlotBook book, ScheduleStore schedule, DeadlineClock deadlines,
    AccountActivity activity, PublishingControl control, TimeProvider time)
{
    /// <summary>The national check fails an account with no update in the two weeks before it (P17).</summary>
    public static readonly TimeSpan SilenceLimit = TimeSpan.FromDays(14);

    /// <summary>How long before the two-week line an account with nothing scheduled is warned about.</summary>
    public static readonly TimeSpan SilenceNotice = TimeSpan.FromDays(4);

    public async Task<(ScheduleCheck? Check, Dictionary<string, List<string>> Errors)> CheckAsync(GatewayUser user, ScheduleCheckRequest request)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, List<string>>();
        InputBounds.Instant(request.PublishAt, "publishAt", now, errors, notBefore: now.AddHours(-InputBounds.PublishAtHoursBack));
        InputBounds.Instant(request.ActivityEndsAt, "activityEndsAt", now, errors);
        InputBounds.CalendarDay(request.IssuedOn, "issuedOn", errors);
        if (request.Slot is not null && request.PublishAt is not null)
            errors.Add("slot", "请选择“下一个空闲时段”或填写发布时间，二者只能选一 / ask for a slot or give publishAt, not both");
        var targets = new List<Account>();
        var ids = request.Targets ?? [];
        if (ids.Count > 50) errors.Add("targets", "最多 50 个账号 / at most 50 accounts");
        for (var i = 0; i < ids.Count && i < 50; i++)
        {
            var account = string.IsNullOrWhiteSpace(ids[i]) ? null : accounts.Find(ids[i]);
            if (account is null || !Visible(user, account)) errors.Add($"targets[{i}]", $"没有这个账号 / unknown account '{ids[i]}'");
            else if (!targets.Contains(account)) targets.Add(account);
        }

        if (errors.Count > 0) return (null, errors);

        var warnings = new List<ScheduleWarning>();
        var times = new List<PlannedTime>();
        var pauses = await control.OverviewAsync(targets);
        foreach (var account in targets)
        {
            DateTimeOffset? at = request.PublishAt is { } given && given > now ? given : null;
            var fromSlot = false;
            if (request.Slot == SlotChoice.NextFree)
            {
                if (await book.NextFreeAsync(account, now, request.ItemId) is { } slot)
                {
                    at = slot.Slot.At;
                    fromSlot = true;
                }
                else
                {
                    warnings.Add(new("noFreeSlot", account.Slots is null
                        ? $"账号「{account.Name}」未设置发布时段，请填写发布时间 / account '{account.Id}' has no posting slots: give a time"
                        : $"账号「{account.Name}」一年内没有空闲的发布时段 / account '{account.Id}' has no free slot within a year", account.Id));
                }
            }

            times.Add(new PlannedTime(account.Id, account.Name, at, fromSlot));
            await SlotWarningsAsync(account, at, fromSlot, request.ItemId, warnings);
            await QuotaWarningAsync(account, at ?? now, now, request.ItemId, warnings);
            PauseWarning(account, pauses, at ?? now, warnings);
            DeadlineWarning(account, request, at, now, warnings);
        }

        await SilenceWarningsAsync(user, times, now, request.ItemId, warnings);
        return (new ScheduleCheck(times, warnings), errors);
    }

    private static bool Visible(GatewayUser user, Account account) => user.IsAdministrator || account.IsVisibleTo(user.Department);

    private async Task SlotWarningsAsync(Account account, DateTimeOffset? at, bool fromSlot, string? itemId, List<ScheduleWarning> warnings)
    {
        if (at is not { } when) return;
        foreach (var booking in await book.BookingsAsync(account.Id, when, when, itemId))
        {
            warnings.Add(new("slotTaken",
                $"「{account.Name}」{ChinaText(when)} 已排《{booking.Item.Title}》 / {when:yyyy-MM-dd HH:mm} (China) on '{account.Id}' is taken by '{booking.Item.Title}'",
                account.Id, when, booking.Item.Id, booking.Item.Title));
        }

        if (fromSlot || account.Slots is not { } slots || slots.IsSlot(when, book.IsWorkingDay)) return;
        var day = Calendar.WorkingDayCalendar.ChinaDay(when);
        var working = book.IsWorkingDay(day);
        var dayTimes = slots.TimesOn(working);
        warnings.Add(dayTimes.Count == 0
            ? new("nonWorkingDay", $"「{account.Name}」休息日不安排发布（{ChinaText(when)}） / '{account.Id}' has no slots on non-working days ({when:yyyy-MM-dd})", account.Id, when)
            : new("offSlot", $"「{account.Name}」{ChinaText(when)} 不在本账号的发布时段（{PostingSlots.Describe(dayTimes)}） / {when:HH:mm} is not one of the slots of '{account.Id}' that day ({string.Join(", ", dayTimes.Select(t => t.ToString("HH:mm", CultureInfo.InvariantCulture)))}, China time)",
                account.Id, when));
    }

    /// <summary>A WeChat account that mass-sends: its sends in the period (1 a China day for a subscription account, 4 a month for a service account).</summary>
    private async Task QuotaWarningAsync(Account account, DateTimeOffset at, DateTimeOffset now, string? itemId, List<ScheduleWarning> warnings)
    {
        if (account.Platform != Platform.WeChat || account.PublishMode != PublishMode.MassSend) return;
        var kind = account.Kind == AccountKind.WeChatService ? WeChatAccountKind.Service : WeChatAccountKind.Subscription;
        var start = WeChatMassQuota.PeriodStart(kind, at);
        var end = WeChatMassQuota.NextPeriodStart(kind, at);
        var sent = await schedule.MassSendsTakenAsync(account.AppId!, start);
        // Sends already made are in the quota's record; the ones still to come are the items scheduled later in the period.
        var coming = (await book.BookingsAsync(account.Id, now > start ? now : start, end.AddTicks(-1), itemId)).ToList();
        var limit = WeChatMassQuota.Limit(kind);
        if (sent + coming.Count < limit) return;
        var period = kind == WeChatAccountKind.Service ? "当月" : "当天";
        var others = coming.Count == 0 ? "" : $"（已排《{string.Join("》《", coming.Select(b => b.Item.Title))}》）";
        warnings.Add(new("quotaUsed",
            $"「{account.Name}」{period}群发次数（{limit} 次）已用完或已排满{others} / the mass-send quota of '{account.Id}' ({limit} per {(kind == WeChatAccountKind.Service ? "month" : "China day")}) is used or booked: {sent} sent, {coming.Count} scheduled",
            account.Id, at, coming.FirstOrDefault()?.Item.Id, coming.FirstOrDefault()?.Item.Title));
    }

    private static void PauseWarning(Account account, PauseOverview pauses, DateTimeOffset at, List<ScheduleWarning> warnings)
    {
        if (pauses.Global is { } global)
        {
            warnings.Add(new("paused", $"全部发布已暂停（{global.Reason}），恢复前不会发出 / all publishing is paused ({global.Reason}): nothing goes out until it is resumed", account.Id));
            return;
        }

        var mine = pauses.Accounts.FirstOrDefault(p => p.AccountId == account.Id);
        if (mine?.Pause is { } pause)
            warnings.Add(new("paused", $"「{account.Name}」发布已暂停（{pause.Reason}），恢复前不会发出 / publishing on '{account.Id}' is paused ({pause.Reason})", account.Id));
        else if (mine?.Hold is { } hold && hold.Until > at)
            warnings.Add(new("paused", $"「{account.Name}」被平台限制至 {ChinaText(hold.Until)}（{hold.Reason}） / '{account.Id}' is held by the platform until {hold.Until:O} ({hold.Reason})", account.Id, hold.Until));
        if (account.Status != AccountStatus.Active)
            warnings.Add(new("paused", account.WhyNotPublishable() ?? "", account.Id));
    }

    private void DeadlineWarning(Account account, ScheduleCheckRequest request, DateTimeOffset? at, DateTimeOffset now, List<ScheduleWarning> warnings)
    {
        if (at is not { } when || request.Category is not { } category || deadlines.Settings.RuleFor(category) is not { } rule) return;
        var computed = deadlines.Compute(rule, request.IssuedOn, request.ActivityEndsAt, now);
        if (computed.Deadline is not { } deadline || when <= deadline) return;
        warnings.Add(new("deadline",
            $"「{account.Name}」{ChinaText(when)} 晚于「{rule.Name}」的时限：{DeadlineClock.DueBy(deadline)} / {when:O} on '{account.Id}' misses the {rule.Id} deadline",
            account.Id, when));
    }

    /// <summary>P17: accounts the person runs that reach two weeks without an update within <see cref="SilenceNotice"/>, with nothing scheduled before.</summary>
    private async Task SilenceWarningsAsync(GatewayUser user, List<PlannedTime> planned, DateTimeOffset now, string? itemId, List<ScheduleWarning> warnings)
    {
        var mine = accounts.All.Where(a => a.Status == AccountStatus.Active && (user.IsAdministrator || a.Ownership.OperatingTeam == user.Department))
            .OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        if (mine.Count == 0) return;
        var silence = await activity.GetAsync(mine);
        foreach (var account in mine)
        {
            var line = silence[account.Id].SilentSince + SilenceLimit;
            if (line - now > SilenceNotice) continue;
            // This item, sent before the line (or once approved), fills the gap; so does anything else booked before it.
            if (planned.Any(p => p.AccountId == account.Id && (p.At is null || p.At <= line))) continue;
            if (line > now && (await book.BookingsAsync(account.Id, now, line, itemId)).Count > 0) continue;
            warnings.Add(new("silence", line > now
                ? $"「{account.Name}」{ChinaText(line)} 将满两周未更新，尚无排期 / '{account.Id}' reaches two weeks without an update at {line:O} with nothing scheduled before (P17)"
                : $"「{account.Name}」已超过两周未更新，尚无排期 / '{account.Id}' has been silent for more than two weeks with nothing scheduled (P17)",
                account.Id, line));
        }
    }

    /// <summary>"3月6日（星期五）18:00", China time.</summary>
    public static string ChinaText(DateTimeOffset at)
    {
        var china = at.ToOffset(PostingSlots.ChinaOffset);
        return string.Create(CultureInfo.InvariantCulture, $"{china.Month}月{china.Day}日（星期{"日一二三四五六"[(int)china.DayOfWeek]}）{china:HH:mm}");
    }
}
