using System.Globalization;
using MediaGateway.Calendar;
using MediaGateway.Hosting;

namespace MediaGateway.Scheduling;

/// <summary>What an account's posting slots do on a day that is not a working day (weekends and holidays, not 调休 working weekends).</summary>
internal enum HolidayBehaviour
{
    /// <summary>No slots on non-working days.</summary>
    Skip,
    /// <summary>The same slots every day.</summary>
    Keep,
    /// <summary>The account's own list for non-working days (<c>Slots:HolidayTimes</c>).</summary>
    HolidaySlots,
}

/// <summary>One posting slot: a China-time instant, and whether its day is a working day.</summary>
internal readonly record struct Slot(DateTimeOffset At, bool WorkingDay);

/// <summary>
/// An account's posting slots (<c>Accounts:{id}:Slots</c>): the China-time clock times it posts at on working days,
/// and what it does on other days. Pure: whether a day is a working day is asked of the calendar passed in, which is the
/// gateway's <see cref="WorkingDayCalendar"/> (State Council notices, provisional years) in the running gateway.
/// </summary>
internal sealed record PostingSlots(IReadOnlyList<TimeOnly> Times, HolidayBehaviour OnHolidays, IReadOnlyList<TimeOnly> HolidayTimes)
{
    /// <summary>China has had one offset, +08:00, with no daylight saving, since 1991.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>How far ahead slots are looked for: a year and a day, as far as publishAt may lie (decision 27).</summary>
    public const int SearchDays = InputBounds.DaysAhead;

    /// <summary>The clock times of one day, given whether it is a working day.</summary>
    public IReadOnlyList<TimeOnly> TimesOn(bool workingDay) => workingDay
        ? Times
        : OnHolidays switch
        {
            HolidayBehaviour.Keep => Times,
            HolidayBehaviour.HolidaySlots => HolidayTimes,
            _ => [],
        };

    /// <summary>
    /// The slots at or after <paramref name="from"/>, in time order, for up to <see cref="SearchDays"/> China days.
    /// <paramref name="isWorkingDay"/> decides each China day.
    /// </summary>
    public IEnumerable<Slot> From(DateTimeOffset from, Func<DateOnly, bool> isWorkingDay)
    {
        var day = WorkingDayCalendar.ChinaDay(from);
        for (var i = 0; i <= SearchDays; i++, day = day.AddDays(1))
        {
            var working = isWorkingDay(day);
            foreach (var time in TimesOn(working))
            {
                var at = new DateTimeOffset(day.ToDateTime(time), ChinaOffset);
                if (at >= from) yield return new Slot(at, working);
            }
        }
    }

    /// <summary>True when <paramref name="at"/> is one of the slots of its China day.</summary>
    public bool IsSlot(DateTimeOffset at, Func<DateOnly, bool> isWorkingDay)
    {
        var local = at.ToOffset(ChinaOffset);
        if (local.Second != 0 || local.Millisecond != 0) return false;
        var day = WorkingDayCalendar.ChinaDay(at);
        return TimesOn(isWorkingDay(day)).Contains(TimeOnly.FromDateTime(local.DateTime));
    }

    /// <summary>The times as people read them: "08:30、12:00、17:30".</summary>
    public static string Describe(IEnumerable<TimeOnly> times) => string.Join("、", times.Select(t => t.ToString("HH:mm", CultureInfo.InvariantCulture)));

    /// <summary>
    /// Reads <c>Accounts:{id}:Slots</c>: <c>Times</c> (China-time "HH:mm", at least one), <c>OnHolidays</c> (Skip, Keep,
    /// HolidaySlots; default Skip) and <c>HolidayTimes</c> (required with HolidaySlots, refused otherwise). Null when
    /// the account has no slots. A mistake stops the start naming the key.
    /// </summary>
    public static PostingSlots? Load(IConfigurationSection account)
    {
        var section = account.GetSection("Slots");
        if (!section.Exists()) return null;
        var times = ReadTimes(section.GetSection("Times"));
        if (times.Count == 0) throw new ConfigurationException($"{section.Path}:Times", "at least one China-time slot (\"HH:mm\") is required");
        var behaviour = HolidayBehaviour.Skip;
        if (section["OnHolidays"] is { } text
            && !(Enum.TryParse(text, ignoreCase: false, out behaviour) && Enum.IsDefined(behaviour) && !int.TryParse(text, out _)))
        {
            throw new ConfigurationException($"{section.Path}:OnHolidays", $"'{text}' is not one of {string.Join(", ", Enum.GetNames<HolidayBehaviour>())}");
        }

        var holidayTimes = ReadTimes(section.GetSection("HolidayTimes"));
        if (behaviour == HolidayBehaviour.HolidaySlots && holidayTimes.Count == 0)
            throw new ConfigurationException($"{section.Path}:HolidayTimes", "OnHolidays is HolidaySlots: at least one China-time slot (\"HH:mm\") for non-working days is required");
        if (behaviour != HolidayBehaviour.HolidaySlots && holidayTimes.Count > 0)
            throw new ConfigurationException($"{section.Path}:HolidayTimes", $"only used when OnHolidays is HolidaySlots (it is {behaviour})");
        return new PostingSlots(times, behaviour, holidayTimes);
    }

    private static List<TimeOnly> ReadTimes(IConfigurationSection list)
    {
        var times = new List<TimeOnly>();
        foreach (var entry in list.GetChildren())
        {
            if (!TimeOnly.TryParseExact(entry.Value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
                throw new ConfigurationException(entry.Path, $"'{entry.Value}' is not a China-time clock time \"HH:mm\" (24-hour, e.g. 08:30)");
            if (times.Contains(time)) throw new ConfigurationException(entry.Path, $"{entry.Value} is listed twice");
            times.Add(time);
        }

        times.Sort();
        return times;
    }
}
