using System.Globalization;
using System.Text.Json;
using MediaGateway.Hosting;

namespace MediaGateway.Calendar;

/// <summary>
/// Loads the holiday arrangements listed in <c>Deadlines:CalendarFiles</c> (relative to the config directory).
/// Each file holds one year: <c>{ "year", "source", "holidays": [ { "name", "offDays": ["2025-10-01/2025-10-08"],
/// "adjustedWorkingDays": ["2025-09-28"] } ] }</c>. Anything wrong stops the start with the key and the place named.
/// </summary>
internal static class CalendarFiles
{
    public const string Key = "Deadlines:CalendarFiles";

    public static WorkingDayCalendar Load(IConfiguration configuration, ConfigDirectory configDirectory)
    {
        var section = configuration.GetSection(Key);
        var years = new List<HolidayYear>();
        foreach (var entry in section.GetChildren())
        {
            var key = entry.Path;
            if (string.IsNullOrWhiteSpace(entry.Value)) throw new ConfigurationException(key, "a file name is required");
            var path = configDirectory.Resolve(entry.Value);
            if (!File.Exists(path)) throw new ConfigurationException(key, $"'{entry.Value}' does not exist in the config directory");
            HolidayYear year;
            try
            {
                year = Parse(File.ReadAllText(path));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new ConfigurationException(key, $"'{entry.Value}': {e.Message}");
            }

            if (years.Any(y => y.Year == year.Year)) throw new ConfigurationException(key, $"'{entry.Value}': year {year.Year} is given twice");
            years.Add(year);
        }

        return new WorkingDayCalendar(years);
    }

    /// <summary>Parses one year's file; <see cref="FormatException"/> names the field that is wrong.</summary>
    public static HolidayYear Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        if (!root.TryGetProperty("year", out var yearElement) || !yearElement.TryGetInt32(out var year) || year is < 2000 or > 2100)
            throw new FormatException("'year' must be a year such as 2026");
        var source = root.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
        if (!root.TryGetProperty("holidays", out var holidays) || holidays.ValueKind != JsonValueKind.Array)
            throw new FormatException("'holidays' must be a list");

        var off = new HashSet<DateOnly>();
        var working = new HashSet<DateOnly>();
        var periods = new List<HolidayPeriod>();
        var index = 0;
        foreach (var holiday in holidays.EnumerateArray())
        {
            var where = $"holidays[{index++}]";
            var name = holiday.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw new FormatException($"{where}.name is required");
            var offDays = Dates(holiday, "offDays", $"{where}.offDays", year);
            var workDays = Dates(holiday, "adjustedWorkingDays", $"{where}.adjustedWorkingDays", year);
            foreach (var d in workDays.Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)))
                throw new FormatException($"{where}.adjustedWorkingDays: {d:yyyy-MM-dd} is a {d.DayOfWeek}; only weekend days are adjusted to working days");
            off.UnionWith(offDays);
            working.UnionWith(workDays);
            periods.Add(new HolidayPeriod(name, offDays, workDays));
        }

        var clashes = off.Intersect(working).Order().ToList();
        if (clashes.Count > 0)
            throw new FormatException($"{clashes[0]:yyyy-MM-dd} is both an off day and an adjusted working day");
        return new HolidayYear(year, source, off, working, periods);
    }

    /// <summary>"2025-10-01" or the inclusive range "2025-10-01/2025-10-08"; every day within <paramref name="year"/>.</summary>
    private static List<DateOnly> Dates(JsonElement holiday, string property, string where, int year)
    {
        var result = new List<DateOnly>();
        if (!holiday.TryGetProperty(property, out var list)) return result;
        if (list.ValueKind != JsonValueKind.Array) throw new FormatException($"{where} must be a list of dates");
        foreach (var item in list.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new FormatException($"{where}: dates are strings yyyy-MM-dd");
            var parts = text.Split('/');
            if (parts.Length > 2) throw new FormatException($"{where}: '{text}' is neither a date nor a range from/to");
            var from = Day(parts[0], where);
            var to = parts.Length == 2 ? Day(parts[1], where) : from;
            if (to < from) throw new FormatException($"{where}: '{text}' ends before it starts");
            for (var d = from; d <= to; d = d.AddDays(1))
            {
                if (d.Year != year) throw new FormatException($"{where}: {d:yyyy-MM-dd} is not in {year}");
                result.Add(d);
            }
        }

        return result;
    }

    private static DateOnly Day(string text, string where) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new FormatException($"{where}: '{text}' is not a date yyyy-MM-dd");
}
