using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Hosting;

/// <summary>
/// The documented bounds of paging, date and size inputs (docs/decisions.md, decision 27). A value outside them is a
/// 400 naming the field, never clamped or stored: "take=-1" or "publishAt: 0001-01-01" is a mistake to be told, not guessed at.
/// </summary>
internal static class InputBounds
{
    /// <summary>No date or instant the gateway handles lies before this day (China calendar).</summary>
    public static readonly DateOnly EarliestDay = new(2000, 1, 1);

    /// <summary>How far ahead a date may lie: a year and a day (a leap year's schedule still fits).</summary>
    public const int DaysAhead = 366;

    /// <summary>publishAt may lie this far in the past (a form left open, a clock behind): it then means "once approved".</summary>
    public const int PublishAtHoursBack = 24;

    /// <summary>Years the calendar endpoints answer for (a year without a holiday notice is 404, one outside these 400).</summary>
    public const int FirstYear = 2000;
    public const int LastYear = 2199;

    /// <summary>A page size: <paramref name="fallback"/> when absent, otherwise 1 … <paramref name="max"/>.</summary>
    public static int Take(int? take, int fallback, int max, Dictionary<string, List<string>> errors)
    {
        if (take is null) return fallback;
        if (take < 1 || take > max) errors.Add("take", $"must be from 1 to {max} (default {fallback}) / 条数须在 1 到 {max} 之间");
        return take.Value;
    }

    /// <summary>The same for an endpoint whose only input is the page size.</summary>
    public static ValidationProblem? TakeProblem(int? take, int fallback, int max, out int value)
    {
        var errors = new Dictionary<string, List<string>>();
        value = Take(take, fallback, max, errors);
        return errors.Count > 0 ? Problems.Invalid(errors) : null;
    }

    /// <summary>An instant from 2000-01-01 (China) to <see cref="DaysAhead"/> days from now, or from <paramref name="notBefore"/> when given.</summary>
    public static void Instant(DateTimeOffset? at, string field, DateTimeOffset now, Dictionary<string, List<string>> errors, DateTimeOffset? notBefore = null)
    {
        if (at is not { } value) return;
        var earliest = notBefore ?? Calendar.WorkingDayCalendar.StartOfDay(EarliestDay);
        var latest = now.AddDays(DaysAhead);
        if (value < earliest || value > latest)
        {
            errors.Add(field, $"must lie between {earliest.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture)} and {latest.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture)} / 时间超出允许范围");
        }
    }

    /// <summary>A China calendar day from 2000-01-01 to <see cref="DaysAhead"/> days after today.</summary>
    public static void Day(DateOnly? day, string field, DateOnly today, Dictionary<string, List<string>> errors)
    {
        if (day is not { } value) return;
        var latest = today.AddDays(DaysAhead);
        if (value < EarliestDay || value > latest)
        {
            errors.Add(field, $"must lie between {EarliestDay:yyyy-MM-dd} and {latest:yyyy-MM-dd} / 日期超出允许范围");
        }
    }

    /// <summary>
    /// A day the deadline calendar may be asked about (an issuance date, where the P10/P12 clocks start): in the years
    /// <see cref="FirstYear"/> to <see cref="LastYear"/>, like the calendar endpoints, so that a year no calendar covers
    /// still shows as "unavailable" rather than being refused.
    /// </summary>
    public static void CalendarDay(DateOnly? day, string field, Dictionary<string, List<string>> errors)
    {
        if (day is { Year: < FirstYear or > LastYear }) errors.Add(field, $"must lie in the years {FirstYear} to {LastYear} / 日期超出允许范围");
    }

    /// <summary>A year the calendar endpoints answer for.</summary>
    public static void Year(int year, string field, Dictionary<string, List<string>> errors)
    {
        if (year is < FirstYear or > LastYear) errors.Add(field, $"must be from {FirstYear} to {LastYear} / 年份须在 {FirstYear} 到 {LastYear} 之间");
    }
}
