using MediaGateway.OpenApi;
using System.Globalization;
using MediaGateway.Auth;
using System.ComponentModel.DataAnnotations;
using MediaGateway.Content;
using MediaGateway.Deadlines;
using MediaGateway.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Calendar;

/// <summary>The working-day calendar and the deadline rules, readable by everyone signed in, and a deadline calculator.</summary>
internal static class CalendarApi
{
    /// <summary>A year; <c>Provisional</c> when no State Council notice is loaded and the statutory holidays stand in.</summary>
    internal sealed record YearView(int Year, string Source, IReadOnlyList<HolidayView> Holidays, int WorkingDays, bool Provisional);

    internal sealed record HolidayView(string Name, IReadOnlyList<DateOnly> OffDays, IReadOnlyList<DateOnly> AdjustedWorkingDays);

    internal sealed record RuleView(string Id, string Name, string Category, string From, int? WorkingDays, double? Hours, string Allowance);

    internal sealed record DeadlineAnswer(string RuleId, DateTimeOffset ClockStartsAt, DateTimeOffset Deadline, string Convention, bool Provisional, string? ProvisionalNote);

    /// <summary>One year's state: official (正式, a notice from a file or the API) or provisional (暂定, statutory holidays only).</summary>
    internal sealed record YearState(int Year, string State, string Origin, string Source, string? LoadedBy, DateTimeOffset? LoadedAt);

    internal sealed record CalendarStatus(IReadOnlyList<YearState> Years, IReadOnlyList<MissingNotice> Warnings, int WarningDays);

    internal sealed record NoticeLoaded(YearView Year, bool Replaced, IReadOnlyList<string> Warnings, string EventId);

    public const string Convention = "第 N 个工作日 24:00（北京时间）截止，起算日不计 / the end (24:00 China time) of the N-th working day after the start day, which itself does not count";

    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/calendar").WithTags("Calendar").RequireAuthorization();
        group.MapGet("/rules", (DeadlineSettings settings) => TypedResults.Ok(settings.Rules
            .Select(r => new RuleView(r.Id, r.Name, r.Category.ToString(), r.From.ToString(), r.WorkingDays, r.Hours, r.Allowance)).ToList()))
            .WithSummary("The deadline rules per content category (Deadlines:Rules).");
        group.MapGet("/{year:int}", Results<Ok<YearView>, ValidationProblem, ProblemHttpResult> ([Range(InputBounds.FirstYear, InputBounds.LastYear)] int year, WorkingDayCalendar calendar) =>
        {
            var invalid = new Dictionary<string, List<string>>();
            InputBounds.Year(year, "year", invalid);
            if (invalid.Count > 0) return Problems.Invalid(invalid);
            if (calendar.Year(year) is not { } y)
                return Problems.NotFound($"工作日历没有 {year} 年 / no holiday arrangement for {year}; loaded: {string.Join(", ", calendar.Years)}; provisional (statutory holidays): {StatutoryHolidays.FirstYear}–{StatutoryHolidays.LastYear}");
            return TypedResults.Ok(View(calendar, year)!);
        }).WithSummary("One year's holidays (休) and adjusted working days (调休上班), and how many working days it has; provisional (statutory holidays only) for a year without a loaded notice.")
            .Refuses(StatusCodes.Status404NotFound);
        group.MapGet("/status", (WorkingDayCalendar calendar, DeadlineSettings settings, TimeProvider time) =>
        {
            var today = WorkingDayCalendar.ChinaDay(time.GetUtcNow());
            var years = calendar.Years.Union([today.Year, today.Year + 1]).Order()
                .Select(y => (Year: y, Loaded: calendar.Year(y), Notice: calendar.NoticeOf(y)))
                .Where(y => y.Loaded is not null)
                .Select(y => new YearState(y.Year, y.Loaded!.Provisional ? "provisional" : "official",
                    y.Notice is not null ? "api" : y.Loaded.Provisional ? "statutory" : "file", y.Loaded.Source, y.Notice?.LoadedBy, y.Notice?.LoadedAt))
                .ToList();
            return TypedResults.Ok(new CalendarStatus(years, NoticeWarnings.For(today, calendar, settings.NoticeWarningDays), settings.NoticeWarningDays));
        }).WithSummary("Each year's calendar: official (a State Council notice, from a file or loaded through the API) or provisional; and the years whose notice is missing within Deadlines:NoticeWarningDays (default 60) of their start.");
        group.MapPost("/notices", async Task<Results<Ok<NoticeLoaded>, ValidationProblem, ProblemHttpResult>> (HolidayNoticeInput? notice, GatewayUser user,
            CalendarNotices notices, WorkingDayCalendar calendar) =>
        {
            if (!user.IsAdministrator) return Problems.Forbidden("只有管理员可以载入放假通知 / only administrators load a holiday notice");
            var result = HolidayNotice.Check(notice);
            if (!result.Valid) return Problems.Invalid(result.Errors);
            var saved = await notices.SaveAsync(notice!, result.Year!, user.Id);
            if (saved is null)
                return Problems.Conflict($"{result.Year!.Year} 年的放假通知刚被他人修改，未保存；请刷新后重试 / the {result.Year.Year} notice was changed by someone else at the same moment; nothing was saved — reload and try again");
            return TypedResults.Ok(new NoticeLoaded(View(calendar, result.Year!.Year)!, saved.Replaced, result.Warnings, saved.Event.Id));
        }).WithSummary("Administrators: load (or replace) a year's State Council holiday notice; checked whole, saved whole, audited with the old and new notice (calendar.notice_loaded). The year is official from then on, on every gateway.")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        group.MapGet("/deadline", Results<Ok<DeadlineAnswer>, ValidationProblem, ProblemHttpResult> (string? category, string? start, DeadlineClock clock, TimeProvider time) =>
        {
            var errors = new Dictionary<string, List<string>>();
            // By name only: Enum.TryParse would also read "5" as the sixth category.
            var rule = Enum.GetNames<ContentCategory>().FirstOrDefault(n => string.Equals(n, category, StringComparison.OrdinalIgnoreCase)) is { } name
                ? clock.Settings.RuleFor(Enum.Parse<ContentCategory>(name))
                : null;
            if (rule is null) errors.Add("category", $"a category with a deadline rule: {string.Join(", ", clock.Settings.Rules.Select(r => r.Category))}");
            DateTimeOffset? at = null;
            // The year is checked before any arithmetic: 0001-01-01 in China time is before the first representable instant.
            if (DateOnly.TryParseExact(start, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                at = InYears(day.Year) ? WorkingDayCalendar.StartOfDay(day).AddHours(12) : null;
            else if (DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
                at = InYears(instant.Year) ? instant : null;
            else errors.Add("start", "the issuance date (yyyy-MM-dd), or the activity's end / submission time (ISO 8601)");
            if (at is null && !errors.ContainsKey("start"))
                errors.Add("start", $"must lie in the years {InputBounds.FirstYear} to {InputBounds.LastYear} / 日期超出允许范围");
            if (errors.Count > 0) return Problems.Invalid(errors);

            var computed = clock.Compute(rule!, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at!.Value, WorkingDayCalendar.ChinaTime).DateTime), at, at.Value);
            if (computed.Deadline is not { } deadline)
                return TypedResults.Problem(computed.Problem, statusCode: StatusCodes.Status422UnprocessableEntity, title: "期限无法计算 / the deadline cannot be computed");
            return TypedResults.Ok(new DeadlineAnswer(rule!.Id, computed.StartsAt!.Value, deadline, Convention, computed.Provisional,
                computed.Provisional ? DeadlineClock.ProvisionalNote : null));
        }).WithSummary("Computes a deadline: category and start (issuance date, activity end or submission time); provisional when it runs through a year without a loaded notice, 422 only for a year no calendar covers.")
            .Refuses(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    private static YearView? View(WorkingDayCalendar calendar, int year)
    {
        if (calendar.Year(year) is not { } y) return null;
        var days = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365).Select(i => new DateOnly(year, 1, 1).AddDays(i)).Count(calendar.IsWorkingDay);
        return new YearView(year, y.Source, y.Holidays.Select(h => new HolidayView(h.Name, h.OffDays, h.AdjustedWorkingDays)).ToList(), days, y.Provisional);
    }

    private static bool InYears(int year) => year is >= InputBounds.FirstYear and <= InputBounds.LastYear;
}
