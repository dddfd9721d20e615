using System.Globalization;

namespace MediaGateway.Calendar;

/// <summary>
/// A year's State Council holiday notice (国务院办公厅关于 Y 年部分节假日安排的通知) as an administrator enters it:
/// each holiday a named inclusive range of rest days (休) with the weekend days worked for it (调休上班).
/// </summary>
internal sealed record HolidayNoticeInput
{
    public int? Year { get; init; }
    /// <summary>The notice's document number and date, e.g. "国办发明电〔2025〕7号 (2025-11-04)".</summary>
    public string? Source { get; init; }
    public IReadOnlyList<HolidayRangeInput?>? Holidays { get; init; }
}

internal sealed record HolidayRangeInput
{
    public string? Name { get; init; }
    /// <summary>First rest day, yyyy-MM-dd.</summary>
    public string? Start { get; init; }
    /// <summary>Last rest day (inclusive), yyyy-MM-dd.</summary>
    public string? End { get; init; }
    public IReadOnlyList<string?>? AdjustedWorkingDays { get; init; }
}

/// <summary>
/// Checks a notice before it is saved (decision 29). Errors name the field ("holidays[2].end") and say why in Chinese
/// and English; nothing is saved when there is one. Rules from the real notices (2019, 2025, 2026):
/// every date lies in the notice's year, except that the New Year holiday (the range containing 1 January) may begin
/// in the last week of December of the year before, with its adjusted working days there (the 2019 notice rested
/// 30–31 Dec 2018 and worked Sat 29 Dec 2018); New Year of the next year belongs to the next year's notice. A range
/// may cover weekdays and weekends; adjusted working days are Saturdays or Sundays; ranges do not overlap each other
/// or an adjusted working day. A statutory holiday (<see cref="StatutoryHolidays"/>) that no range covers is a
/// <em>warning</em>, not an error: the law can change again, and the notice is what the State Council published.
/// Pure: no I/O, no clock.
/// </summary>
internal static class HolidayNotice
{
    public const int MaxHolidays = 20;
    /// <summary>The longest range accepted; the longest in practice is 9 days (Spring Festival 2026).</summary>
    public const int MaxRangeDays = 15;

    internal sealed record Result(HolidayYear? Year, Dictionary<string, List<string>> Errors, IReadOnlyList<string> Warnings)
    {
        public bool Valid => Errors.Count == 0;
    }

    public static Result Check(HolidayNoticeInput? input)
    {
        var errors = new Dictionary<string, List<string>>();
        var warnings = new List<string>();
        void Error(string field, string zh, string en) => Hosting.Problems.Add(errors, field, $"{zh} / {en}");

        if (input is null)
        {
            Error("body", "缺少放假通知", "a notice is required");
            return new Result(null, errors, warnings);
        }

        if (input.Year is not { } year || year is < 2000 or > 2100)
        {
            Error("year", "年份须为 2000–2100 之间的整数，如 2027", "a year from 2000 to 2100, e.g. 2027");
            return new Result(null, errors, warnings);
        }

        var source = input.Source?.Trim() ?? "";
        if (source.Length == 0) Error("source", "请填写通知的文号和日期", "the notice's document number and date are required");
        else if (source.Length > 200) Error("source", "不超过 200 字", "at most 200 characters");

        var holidays = input.Holidays ?? [];
        if (holidays.Count == 0) Error("holidays", "至少一个节假日", "at least one holiday");
        if (holidays.Count > MaxHolidays) Error("holidays", $"最多 {MaxHolidays} 个节假日", $"at most {MaxHolidays} holidays");

        var newYearsDay = new DateOnly(year, 1, 1);
        var earliest = new DateOnly(year - 1, 12, 25);
        var ranges = new List<(int Index, DateOnly Start, DateOnly End)>();
        var periods = new List<HolidayPeriod>();
        var working = new Dictionary<DateOnly, string>();
        for (var i = 0; i < Math.Min(holidays.Count, MaxHolidays); i++)
        {
            var where = $"holidays[{i}]";
            var holiday = holidays[i];
            if (holiday is null)
            {
                Error(where, "缺少节假日", "a holiday is required");
                continue;
            }

            var name = holiday.Name?.Trim() ?? "";
            if (name.Length == 0) Error($"{where}.name", "请填写节日名称，如“春节”", "the festival's name is required, e.g. 春节");
            else if (name.Length > 50) Error($"{where}.name", "不超过 50 字", "at most 50 characters");

            var start = Date(holiday.Start, $"{where}.start", Error);
            var end = Date(holiday.End, $"{where}.end", Error);
            var rangeOk = false;
            if (start is { } s && end is { } e)
            {
                if (e < s) Error($"{where}.end", $"结束日 {e:yyyy-MM-dd} 早于开始日 {s:yyyy-MM-dd}", $"{e:yyyy-MM-dd} is before the start {s:yyyy-MM-dd}");
                else if (e.Year > year)
                    Error($"{where}.end", $"{e:yyyy-MM-dd} 不在 {year} 年；{year + 1} 年元旦属于 {year + 1} 年的通知", $"{e:yyyy-MM-dd} is not in {year}; New Year {year + 1} belongs to the {year + 1} notice");
                else if (s.Year < year && !(s >= earliest && e >= newYearsDay))
                    Error($"{where}.start", $"{s:yyyy-MM-dd} 不在 {year} 年（只有元旦假期可从上年 12 月 25 日后开始）",
                        $"{s:yyyy-MM-dd} is not in {year} (only the New Year holiday may start in the last week of December {year - 1})");
                else if (e.DayNumber - s.DayNumber + 1 > MaxRangeDays)
                    Error($"{where}.end", $"一个节假日最长 {MaxRangeDays} 天", $"a holiday lasts at most {MaxRangeDays} days");
                else rangeOk = true;
            }

            var adjusted = new List<DateOnly>();
            var list = holiday.AdjustedWorkingDays ?? [];
            for (var j = 0; j < list.Count; j++)
            {
                var field = $"{where}.adjustedWorkingDays[{j}]";
                if (Date(list[j], field, Error) is not { } d) continue;
                var newYearHoliday = rangeOk && start!.Value <= newYearsDay && end!.Value >= newYearsDay;
                if (d.Year > year)
                    Error(field, $"{d:yyyy-MM-dd} 不在 {year} 年", $"{d:yyyy-MM-dd} is not in {year}");
                else if (d.Year < year && !(newYearHoliday && d >= earliest))
                    Error(field, $"{d:yyyy-MM-dd} 不在 {year} 年（只有元旦假期的调休可在上年 12 月最后一周）",
                        $"{d:yyyy-MM-dd} is not in {year} (only the New Year holiday's adjusted working days may fall in the last week of December {year - 1})");
                else if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                    Error(field, $"{d:yyyy-MM-dd} 是{Weekday(d)}；调休上班只能是周六或周日", $"{d:yyyy-MM-dd} is a {d.DayOfWeek}; only a Saturday or Sunday is an adjusted working day");
                else if (working.TryGetValue(d, out var first))
                    Error(field, $"{d:yyyy-MM-dd} 已在 {first} 中", $"{d:yyyy-MM-dd} is already given at {first}");
                else
                {
                    working[d] = field;
                    adjusted.Add(d);
                }
            }

            if (rangeOk)
            {
                ranges.Add((i, start!.Value, end!.Value));
                var days = Enumerable.Range(0, end!.Value.DayNumber - start.Value.DayNumber + 1).Select(start.Value.AddDays).ToList();
                periods.Add(new HolidayPeriod(name, days, adjusted));
            }
        }

        // Ranges against each other and against every adjusted working day.
        foreach (var (index, start, end) in ranges)
        {
            foreach (var other in ranges.Where(o => o.Index < index && o.Start <= end && start <= o.End))
                Error($"holidays[{index}].start", $"与 holidays[{other.Index}]（{other.Start:yyyy-MM-dd}–{other.End:yyyy-MM-dd}）重叠",
                    $"overlaps holidays[{other.Index}] ({other.Start:yyyy-MM-dd}–{other.End:yyyy-MM-dd})");
            foreach (var (day, field) in working.Where(w => w.Key >= start && w.Key <= end))
                Error(field, $"{day:yyyy-MM-dd} 在 holidays[{index}] 的放假日期内，不能同时调休上班", $"{day:yyyy-MM-dd} is a rest day of holidays[{index}]");
        }

        if (errors.Count > 0) return new Result(null, errors, warnings);

        // Each statutory holiday should be a rest day of the notice: a warning, the notice is the authority.
        if (StatutoryHolidays.For(year) is { } statutory)
        {
            var off = periods.SelectMany(p => p.OffDays).ToHashSet();
            foreach (var p in statutory.Holidays)
            {
                var missing = p.OffDays.Where(d => !off.Contains(d)).ToList();
                if (missing.Count > 0)
                    warnings.Add($"法定节假日 {p.Name} 的 {string.Join("、", missing.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))} 不在任何放假日期内，请核对通知 / " +
                        $"the statutory holiday {p.Name} ({string.Join(", ", missing.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}) is not a rest day of this notice: check it against the published notice");
            }
        }

        var result = new HolidayYear(year, source, periods.SelectMany(p => p.OffDays).ToHashSet(), working.Keys.ToHashSet(), periods);
        return new Result(result, errors, warnings);
    }

    /// <summary>The input form of a year (for a notice stored or a file loaded): ranges of consecutive rest days.</summary>
    public static HolidayNoticeInput ToInput(HolidayYear year) => new()
    {
        Year = year.Year, Source = year.Source,
        Holidays = year.Holidays.SelectMany(p => Runs(p.OffDays).Select((run, i) => new HolidayRangeInput
        {
            Name = p.Name, Start = Text(run.First()), End = Text(run.Last()),
            AdjustedWorkingDays = i == 0 ? p.AdjustedWorkingDays.Select(d => (string?)Text(d)).ToList() : [],
        })).ToList(),
    };

    private static IEnumerable<List<DateOnly>> Runs(IEnumerable<DateOnly> days)
    {
        var run = new List<DateOnly>();
        foreach (var d in days.Order())
        {
            if (run.Count > 0 && d != run[^1].AddDays(1))
            {
                yield return run;
                run = [];
            }

            run.Add(d);
        }

        if (run.Count > 0) yield return run;
    }

    private static string Text(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Weekday(DateOnly d) => d.DayOfWeek switch
    {
        DayOfWeek.Monday => "星期一", DayOfWeek.Tuesday => "星期二", DayOfWeek.Wednesday => "星期三", DayOfWeek.Thursday => "星期四",
        DayOfWeek.Friday => "星期五", DayOfWeek.Saturday => "星期六", _ => "星期日",
    };

    private static DateOnly? Date(string? text, string field, Action<string, string, string> error)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            error(field, "请填写日期（yyyy-MM-dd）", "a date yyyy-MM-dd is required");
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        error(field, $"“{text}”不是日期（yyyy-MM-dd）", $"'{text}' is not a date yyyy-MM-dd");
        return null;
    }
}
