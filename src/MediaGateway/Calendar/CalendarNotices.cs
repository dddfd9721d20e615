using System.Globalization;
using System.Text.Json.Nodes;
using MediaGateway.Observability;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Calendar;

/// <summary>
/// The State Council notices administrators load through the API (decision 29). They live in Redis, the one store every
/// gateway of the cluster shares — hash <c>{mg}:calendar:notices</c>, year → the notice as entered, who and when — and
/// each gateway reads the hash at start and every Operations:ConfigReloadSeconds into its <see cref="WorkingDayCalendar"/>.
/// A loaded notice wins over a file of the same year. Saving is one transaction with its audit event
/// (<c>calendar.notice_loaded</c>, with the old and the new notice), conditional on the stored notice being the one read.
/// </summary>
internal sealed partial class CalendarNotices(IConnectionMultiplexer redis, RedisKeys keys, WorkingDayCalendar calendar, EventFactory events,
    TimeProvider time, ILogger<CalendarNotices> logger)
{
    internal sealed record Stored(HolidayNoticeInput Notice, string LoadedBy, DateTimeOffset LoadedAt);

    internal sealed record Saved(LoadedNotice Notice, bool Replaced, GatewayEvent Event);

    private string Key => $"{keys.Tag}:calendar:notices";

    /// <summary>Reads every stored notice into the calendar; a stored notice that no longer passes the checks is skipped and logged.</summary>
    public async Task RefreshAsync()
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(Key);
        var loaded = new List<LoadedNotice>();
        foreach (var entry in entries)
        {
            Stored stored;
            try
            {
                stored = Json.Deserialize<Stored>(entry.Value!);
            }
            catch (System.Text.Json.JsonException e)
            {
                Log.StoredInvalid(logger, (string)entry.Name!, e.Message);
                continue;
            }

            var checkedNotice = HolidayNotice.Check(stored.Notice);
            if (checkedNotice.Year is { } year) loaded.Add(new LoadedNotice(year, stored.LoadedBy, stored.LoadedAt));
            else Log.StoredInvalid(logger, (string)entry.Name!, string.Join("; ", checkedNotice.Errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}"))));
        }

        calendar.ReplaceNotices(loaded);
    }

    /// <summary>
    /// Saves a checked notice and its event in one transaction; null when another administrator saved the same year at the
    /// same moment (nothing written). The calendar of this gateway takes it at once, the others within the reload period.
    /// </summary>
    public async Task<Saved?> SaveAsync(HolidayNoticeInput input, HolidayYear year, string actor)
    {
        var db = redis.GetDatabase();
        var field = year.Year.ToString(CultureInfo.InvariantCulture);
        var old = await db.HashGetAsync(Key, field);
        var previous = old.IsNull ? null : Json.Deserialize<Stored>(old!);
        var before = calendar.Year(year.Year);
        var now = time.GetUtcNow();
        var notice = Normalised(input, year);
        var stored = new Stored(notice, actor, now);

        var data = new JsonObject
        {
            ["year"] = year.Year,
            ["source"] = year.Source,
            ["loadedBy"] = actor,
            ["replaced"] = previous is not null,
            // What was in force before: a notice loaded earlier (api), a config file (file), or the provisional statutory calendar.
            ["previous"] = new JsonObject
            {
                ["origin"] = previous is not null ? "api" : before is { Provisional: false } ? "file" : "statutory",
                ["provisional"] = before?.Provisional ?? true,
                ["notice"] = previous is not null ? JsonNode.Parse(Json.Serialize(previous.Notice))
                    : before is { Provisional: false } ? JsonNode.Parse(Json.Serialize(HolidayNotice.ToInput(before))) : null,
                ["loadedBy"] = previous?.LoadedBy,
                ["loadedAt"] = previous?.LoadedAt.ToString("O"),
            },
            ["notice"] = JsonNode.Parse(Json.Serialize(notice)),
            ["changes"] = Changes(before, year),
            ["message"] = previous is null
                ? $"{year.Year} 年放假安排已载入（{year.Source}），该年不再是暂定日历 / the {year.Year} holiday notice was loaded ({year.Source}); the year is no longer provisional"
                : $"{year.Year} 年放假安排已替换（{year.Source}） / the {year.Year} holiday notice was replaced ({year.Source})",
        };
        var e = events.ForEveryone(EventTypes.CalendarNoticeLoaded, actor, data);
        var tx = db.CreateTransaction();
        tx.AddCondition(old.IsNull ? Condition.HashNotExists(Key, field) : Condition.HashEqual(Key, field, old));
        _ = tx.HashSetAsync(Key, field, Json.Serialize(stored));
        EventStream.Append(tx, keys, [e]);
        if (!await tx.ExecuteAsync()) return null;

        await RefreshAsync();
        Log.Loaded(logger, year.Year, actor, previous is not null);
        return new Saved(new LoadedNotice(year, actor, now), previous is not null, e);
    }

    /// <summary>Days that change from rest to work and back, against what was in force before.</summary>
    private static JsonObject Changes(HolidayYear? before, HolidayYear after)
    {
        static JsonArray Days(IEnumerable<DateOnly> days) => new(days.Order().Select(d => (JsonNode)d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray());
        var offBefore = before?.OffDays ?? new HashSet<DateOnly>();
        var workBefore = before?.AdjustedWorkingDays ?? new HashSet<DateOnly>();
        return new JsonObject
        {
            ["offDaysAdded"] = Days(after.OffDays.Except(offBefore)),
            ["offDaysRemoved"] = Days(offBefore.Except(after.OffDays)),
            ["adjustedWorkingDaysAdded"] = Days(after.AdjustedWorkingDays.Except(workBefore)),
            ["adjustedWorkingDaysRemoved"] = Days(workBefore.Except(after.AdjustedWorkingDays)),
        };
    }

    private static HolidayNoticeInput Normalised(HolidayNoticeInput input, HolidayYear year) => new()
    {
        Year = year.Year, Source = year.Source,
        Holidays = input.Holidays!.Select(h => (HolidayRangeInput?)new HolidayRangeInput
        {
            Name = h!.Name!.Trim(), Start = h.Start!.Trim(), End = h.End!.Trim(),
            AdjustedWorkingDays = (h.AdjustedWorkingDays ?? []).Select(d => (string?)d!.Trim()).ToList(),
        }).ToList(),
    };

    private static partial class Log
    {
        [LoggerMessage(EventIds.HolidayNoticeLoaded, LogLevel.Information, "Holiday notice for {Year} loaded by {Actor} (replaced: {Replaced})")]
        public static partial void Loaded(ILogger logger, int year, string actor, bool replaced);

        [LoggerMessage(EventIds.HolidayNoticeStoredInvalid, LogLevel.Warning, "Stored holiday notice for {Year} no longer passes the checks and is not used: {Problem}")]
        public static partial void StoredInvalid(ILogger logger, string year, string problem);

        [LoggerMessage(EventIds.HolidayNoticesNotRead, LogLevel.Warning, "Holiday notices could not be read from Redis: {Reason}; the last ones read stay in force")]
        public static partial void ReadFailed(ILogger logger, string reason);
    }

    /// <summary>Reads the notices at start and every Operations:ConfigReloadSeconds, so every gateway follows a notice another one saved.</summary>
    internal sealed class Sync(CalendarNotices notices, IOptions<ObservabilityOptions> options, TimeProvider time, ILogger<CalendarNotices> logger) : BackgroundService
    {
        public override async Task StartAsync(CancellationToken cancellationToken)
        {
            await ReadAsync();
            await base.StartAsync(cancellationToken);
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var period = TimeSpan.FromSeconds(options.Value.ConfigReloadSeconds);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(period, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await ReadAsync();
            }
        }

        private async Task ReadAsync()
        {
            try
            {
                await notices.RefreshAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException or System.Text.Json.JsonException)
            {
                Log.ReadFailed(logger, e.Message);
            }
        }
    }
}
