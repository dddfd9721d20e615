using MediaGateway.Calendar;
using MediaGateway.Hosting;
using MediaGateway.Observability;
using Microsoft.Extensions.Options;

namespace MediaGateway.Reload;

/// <summary>
/// Reloads the working-day calendars (Deadlines:CalendarFiles) without a restart — typically when the State Council
/// publishes next year's arrangement. The files are polled (timestamp and size) every Operations:ConfigReloadSeconds;
/// a changed set is loaded and checked exactly as at start and only then replaces the calendar in force. A bad file
/// changes nothing: the last good calendar stays, the log and GET /api/operations/reload say why.
/// </summary>
internal sealed partial class CalendarReload(WorkingDayCalendar calendar, ConfigDirectory configDirectory, IConfiguration configuration,
    IOptions<ObservabilityOptions> options, ConfigReloadStatus status, TimeProvider time, ILogger<CalendarReload> logger) : BackgroundService
{
    public const string What = "calendars";
    private IReadOnlyList<(string Path, DateTime WrittenUtc, long Length)> _stamps = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _stamps = Stamps();
        status.Set(new ConfigReloadStatus.Report(What, time.GetUtcNow(), time.GetUtcNow(), null, [$"years: {string.Join(", ", calendar.Years)}"]));
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(options.Value.ConfigReloadSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, time, stoppingToken);
                ReloadIfChanged();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Applies the calendar files if one changed; true when the new calendar is in force.</summary>
    public bool ReloadIfChanged()
    {
        var stamps = Stamps();
        if (stamps.SequenceEqual(_stamps))
        {
            return false;
        }

        _stamps = stamps;
        var now = time.GetUtcNow();
        try
        {
            calendar.ReplaceWith(CalendarFiles.Load(configuration, configDirectory));
        }
        catch (Exception e) when (e is ConfigurationException or IOException)
        {
            Log.Rejected(logger, e.Message);
            GatewayMetrics.ConfigReloaded(What, applied: false);
            status.Set(new ConfigReloadStatus.Report(What, now, status.Find(What)?.AppliedAt,
                e.Message + " — the last good calendar stays in force / 保留上次有效的工作日历", [$"years: {string.Join(", ", calendar.Years)}"]));
            return false;
        }

        Log.Applied(logger, string.Join(", ", calendar.Years));
        GatewayMetrics.ConfigReloaded(What, applied: true);
        status.Set(new ConfigReloadStatus.Report(What, now, now, null, [$"years: {string.Join(", ", calendar.Years)}"]));
        return true;
    }

    private List<(string Path, DateTime WrittenUtc, long Length)> Stamps() =>
        FileStamps.Of(configuration.GetSection(CalendarFiles.Key).GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .Select(c => configDirectory.Resolve(c.Value!)));

    private static partial class Log
    {
        [LoggerMessage(EventIds.CalendarReloaded, LogLevel.Information, "Working-day calendars reloaded: years {Years}")]
        public static partial void Applied(ILogger logger, string years);

        [LoggerMessage(EventIds.CalendarReloadRejected, LogLevel.Warning, "Working-day calendars not reloaded: {Problem}; the last good calendar stays in force")]
        public static partial void Rejected(ILogger logger, string problem);
    }
}
