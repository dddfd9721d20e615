using MediaGateway.Accounts;
using MediaGateway.Calendar;
using MediaGateway.Content;

namespace MediaGateway.Scheduling;

/// <summary>An item that holds a time on an account: scheduled there, in review or approved.</summary>
internal sealed record Booking(DateTimeOffset At, ContentItem Item);

/// <summary>One posting slot and who holds it; <c>IndexEntries</c>: the index entries at its time as read, stale ones included (<see cref="ScheduleStore.RequireUnchanged"/>).</summary>
internal sealed record SlotState(Slot Slot, Booking? TakenBy, long IndexEntries = 0);

/// <summary>
/// Posting slots against what is booked: which of an account's slots are free, the next free one, and the account's
/// queue. A slot is taken by an item scheduled at exactly that time on that account while it is in review or approved
/// (not withdrawn, rejected or held back by a blocking rule finding).
/// </summary>
internal sealed class SlotBook(ScheduleStore schedule, ContentStore content, WorkingDayCalendar calendar)
{
    /// <summary>Slots are looked for in batches of this many while searching for a free one.</summary>
    private const int Batch = 64;

    /// <summary>The calendar's answer; a year it cannot answer for (outside 2025–2099 without a notice) counts Monday to Friday.</summary>
    public bool IsWorkingDay(DateOnly day)
    {
        try
        {
            return calendar.IsWorkingDay(day);
        }
        catch (CalendarYearMissingException)
        {
            return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        }
    }

    /// <summary>Whether an item holds a time: in review or approved.</summary>
    public static bool Holds(ContentItem item) => item.Status is ContentStatus.InReview or ContentStatus.Approved;

    /// <summary>The items that hold a time on the account between the two instants (inclusive), in time order.</summary>
    public async Task<IReadOnlyList<Booking>> BookingsAsync(string accountId, DateTimeOffset from, DateTimeOffset through, string? exceptItem = null) =>
        (await ReadAsync(accountId, from, through, exceptItem)).Bookings;

    /// <summary>The bookings, and how many index entries each time has (stale and excepted ones included).</summary>
    private async Task<(List<Booking> Bookings, Dictionary<long, long> Entries)> ReadAsync(string accountId, DateTimeOffset from, DateTimeOffset through, string? exceptItem)
    {
        var all = await schedule.RangeAsync(accountId, from, through);
        var counts = all.GroupBy(e => e.At.ToUnixTimeMilliseconds()).ToDictionary(g => g.Key, g => (long)g.Count());
        var entries = all.Where(e => e.ItemId != exceptItem).ToList();
        var bookings = new List<Booking>();
        if (entries.Count == 0) return (bookings, counts);
        var items = await content.GetManyAsync([.. entries.Select(e => e.ItemId)]);
        for (var i = 0; i < entries.Count; i++)
        {
            // The index is a hint: the item decides (withdrawn, rejected, rescheduled, another account).
            if (items[i] is { } item && Holds(item) && item.Targets.Contains(accountId)
                && item.ScheduledFor(accountId)?.ToUnixTimeMilliseconds() == entries[i].At.ToUnixTimeMilliseconds())
            {
                bookings.Add(new Booking(entries[i].At, item));
            }
        }

        return (bookings, counts);
    }

    /// <summary>The next <paramref name="count"/> slots of the account from <paramref name="from"/>, each with the item holding it, if any.</summary>
    public async Task<IReadOnlyList<SlotState>> SlotsAsync(Account account, DateTimeOffset from, int count, string? exceptItem = null)
    {
        if (account.Slots is not { } slots) return [];
        var upcoming = slots.From(from, IsWorkingDay).Take(count).ToList();
        if (upcoming.Count == 0) return [];
        var (bookings, entries) = await ReadAsync(account.Id, upcoming[0].At, upcoming[^1].At, exceptItem);
        var byTime = bookings.GroupBy(b => b.At.ToUnixTimeMilliseconds()).ToDictionary(g => g.Key, g => g.First());
        return [.. upcoming.Select(s => new SlotState(s, byTime.GetValueOrDefault(s.At.ToUnixTimeMilliseconds()),
            entries.GetValueOrDefault(s.At.ToUnixTimeMilliseconds())))];
    }

    /// <summary>The account's first free slot at or after <paramref name="from"/>, or null (no slots, or none free within a year).</summary>
    public async Task<SlotState?> NextFreeAsync(Account account, DateTimeOffset from, string? exceptItem = null)
    {
        if (account.Slots is null) return null;
        var start = from;
        while (true)
        {
            var batch = await SlotsAsync(account, start, Batch, exceptItem);
            if (batch.FirstOrDefault(s => s.TakenBy is null) is { } free) return free;
            if (batch.Count < Batch) return null;
            start = batch[^1].Slot.At.AddTicks(1);
        }
    }
}
