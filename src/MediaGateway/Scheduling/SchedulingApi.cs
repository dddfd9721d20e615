using System.ComponentModel.DataAnnotations;
using System.Globalization;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.OpenApi;
using MediaGateway.Publishing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Scheduling;

/// <summary>Posting slots per account, the next free one, the account's queue, and the warnings the compose page shows.</summary>
internal static class SchedulingApi
{
    /// <summary>An account's posting slots as configured: China-time clock times, and what happens on non-working days.</summary>
    internal sealed record SlotSettingsView(IReadOnlyList<string> Times, string OnHolidays, IReadOnlyList<string> HolidayTimes, string Description);

    /// <summary>One slot: when, whether its day is a working day, and the item that holds it (title, status) when taken.</summary>
    internal sealed record SlotView(DateTimeOffset At, bool WorkingDay, bool Free, string? ItemId, string? ItemTitle, ContentStatus? ItemStatus);

    /// <summary><c>Settings</c> is null when the account has no posting slots (then <c>Slots</c> is empty).</summary>
    internal sealed record SlotsAnswer(string AccountId, string AccountName, SlotSettingsView? Settings, IReadOnlyList<SlotView> Slots);

    /// <summary>One scheduled item on the account. <c>OnSlot</c>: the time is one of the account's slots.</summary>
    internal sealed record QueueEntry(DateTimeOffset At, bool OnSlot, string ItemId, string Title, ContentCategory Category, ContentStatus Status,
        int? AwaitingLevel, DisplayStatus? PublicationStatus, string? PublicationStatusLabel);

    internal sealed record QueueAnswer(string AccountId, string AccountName, SlotSettingsView? Settings, DateTimeOffset From, IReadOnlyList<QueueEntry> Entries);

    public const int MaxSlots = 100;
    public const int DefaultSlots = 10;

    public static IEndpointRouteBuilder MapScheduling(this IEndpointRouteBuilder routes)
    {
        var accounts = routes.MapGroup("/api/accounts/{id}").WithTags("Scheduling").RequireAuthorization();
        accounts.MapGet("/slots", async Task<Results<Ok<SlotsAnswer>, ValidationProblem, ProblemHttpResult>> (string id, string? from,
            [Range(1, MaxSlots)] int? count, AccountRegistry registry, SlotBook book, GatewayUser user, TimeProvider time) =>
        {
            if (Find(registry, user, id) is not { } account) return Problems.NotFound($"没有这个账号 / no account '{id}'");
            var errors = new Dictionary<string, List<string>>();
            var start = From(from, time.GetUtcNow(), errors) ?? time.GetUtcNow();
            var take = InputBounds.Take(count, DefaultSlots, MaxSlots, errors);
            if (errors.Remove("take", out var takeErrors)) errors["count"] = takeErrors;
            if (errors.Count > 0) return Problems.Invalid(errors);
            var slots = await book.SlotsAsync(account, start, take);
            return TypedResults.Ok(new SlotsAnswer(account.Id, account.Name, Settings(account),
                [.. slots.Select(s => new SlotView(s.Slot.At, s.Slot.WorkingDay, s.TakenBy is null, s.TakenBy?.Item.Id, s.TakenBy?.Item.Title, s.TakenBy?.Item.Status))]));
        }).WithSummary("The account's next posting slots from `from` (default now; ISO 8601 or yyyy-MM-dd, China time), `count` of them (1–100, default 10): each free, or taken by the item in review or approved that is scheduled then.")
            .Refuses(StatusCodes.Status404NotFound);
        accounts.MapGet("/queue", async Task<Results<Ok<QueueAnswer>, ValidationProblem, ProblemHttpResult>> (string id, string? from,
            AccountRegistry registry, SlotBook book, PublicationStore publications, GatewayUser user, TimeProvider time) =>
        {
            if (Find(registry, user, id) is not { } account) return Problems.NotFound($"没有这个账号 / no account '{id}'");
            var now = time.GetUtcNow();
            var errors = new Dictionary<string, List<string>>();
            var start = From(from, now, errors) ?? Calendar.WorkingDayCalendar.StartOfDay(Calendar.WorkingDayCalendar.ChinaDay(now));
            if (errors.Count > 0) return Problems.Invalid(errors);
            var bookings = await book.BookingsAsync(account.Id, start, now.AddDays(InputBounds.DaysAhead));
            var pubs = (await publications.GetManyAsync(bookings.Where(b => b.Item.Status == ContentStatus.Approved)
                    .Select(b => Publication.IdFor(b.Item.Id, b.Item.Revision, account.Id))))
                .ToDictionary(p => p.ContentId, StringComparer.Ordinal);
            var entries = bookings.Select(b =>
            {
                var status = pubs.TryGetValue(b.Item.Id, out var pub) ? PublicationView.From(pub, now) : null;
                return new QueueEntry(b.At, account.Slots?.IsSlot(b.At, book.IsWorkingDay) == true, b.Item.Id, b.Item.Title, b.Item.Category, b.Item.Status,
                    b.Item.Status == ContentStatus.InReview ? b.Item.NextReviewLevel : null, status?.Status, status?.StatusLabel);
            }).ToList();
            return TypedResults.Ok(new QueueAnswer(account.Id, account.Name, Settings(account), start, entries));
        }).WithSummary("The account's queue: every item scheduled on it from `from` (default the start of today, China time), in time order, in review or approved, with its state and whether its time is one of the account's slots.")
            .Refuses(StatusCodes.Status404NotFound);

        routes.MapGroup("/api/scheduling").WithTags("Scheduling").RequireAuthorization()
            .MapPost("/check", async Task<Results<Ok<ScheduleCheck>, ValidationProblem>> (ScheduleCheckRequest request, ScheduleWarnings warnings, GatewayUser user) =>
            {
                var (check, errors) = await warnings.CheckAsync(user, request);
                return check is null ? Problems.Invalid(errors) : TypedResults.Ok(check);
            }).WithSummary("Conflict and gap warnings for a schedule being composed (nothing is stored): slot taken, not one of the account's slots, the day's mass send used, paused, a statutory deadline missed, accounts about to pass two weeks of silence (P17) with nothing scheduled. With `slot: nextFree`, the times a submission would get now.");
        return routes;
    }

    private static Account? Find(AccountRegistry registry, GatewayUser user, string id) =>
        registry.Find(id) is { } account && (user.IsAdministrator || account.IsVisibleTo(user.Department)) ? account : null;

    /// <summary>An instant (ISO 8601) or a China day (yyyy-MM-dd, from its start), within the documented bounds.</summary>
    private static DateTimeOffset? From(string? text, DateTimeOffset now, Dictionary<string, List<string>> errors)
    {
        if (text is null) return null;
        DateTimeOffset? at = null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            at = day >= InputBounds.EarliestDay ? Calendar.WorkingDayCalendar.StartOfDay(day) : null;
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            at = instant;
        if (at is null)
        {
            errors.Add("from", "须为 ISO 8601 时间或 yyyy-MM-dd 日期 / an ISO 8601 instant or a yyyy-MM-dd day");
            return null;
        }

        InputBounds.Instant(at, "from", now, errors);
        return errors.ContainsKey("from") ? null : at;
    }

    private static SlotSettingsView? Settings(Account account) => account.Slots is not { } s ? null : new(
        [.. s.Times.Select(t => t.ToString("HH:mm", CultureInfo.InvariantCulture))], s.OnHolidays.ToString(),
        [.. s.HolidayTimes.Select(t => t.ToString("HH:mm", CultureInfo.InvariantCulture))],
        s.OnHolidays switch
        {
            HolidayBehaviour.Keep => $"每天 {PostingSlots.Describe(s.Times)} / every day",
            HolidayBehaviour.HolidaySlots => $"工作日 {PostingSlots.Describe(s.Times)}，休息日 {PostingSlots.Describe(s.HolidayTimes)} / working days; own slots on non-working days",
            _ => $"工作日 {PostingSlots.Describe(s.Times)}，休息日不发 / working days only",
        });
}
