using MediaGateway.Accounts;
using MediaGateway.Hosting;
using MediaGateway.Observability;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Reload;

/// <summary>
/// Reloads the accounts of the included configuration files (Gateway:IncludeFiles) without a restart. The files are
/// polled (timestamp and size) every Operations:ConfigReloadSeconds. A changed set is read into a configuration of its
/// own and every account is checked exactly as at start; only then are new accounts seeded and added. A bad file (broken
/// JSON, a bad key) changes nothing: the last good set stays, the log and GET /api/operations/reload say why. Accounts
/// already open keep their identity and credentials, and their managed state changes only through the API, so edits
/// to them and removals are reported as ignored rather than applied.
/// </summary>
internal sealed partial class AccountsReload(AccountRegistry registry, AccountStore store, DepartmentDirectory departments, ConfigDirectory configDirectory,
    IConfiguration configuration, IOptions<ObservabilityOptions> options, ConfigReloadStatus status, TimeProvider time, ILogger<AccountsReload> logger)
    : BackgroundService
{
    public const string What = "accounts";
    private IReadOnlyList<(string Path, DateTime WrittenUtc, long Length)> _stamps = [];
    private HashSet<string> _configured = new(StringComparer.Ordinal);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _stamps = Stamps();
        _configured = [.. FileAccountIds()];
        status.Set(new ConfigReloadStatus.Report(What, time.GetUtcNow(), time.GetUtcNow(), null, []));
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
                await ReloadIfChangedAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Log.Rejected(logger, $"Redis unavailable ({e.Message}); will try again", "Redis");
                _stamps = []; // try again on the next look
            }
        }
    }

    /// <summary>Applies the included files' accounts if a file changed; true when the new set was applied.</summary>
    public async Task<bool> ReloadIfChangedAsync()
    {
        var stamps = Stamps();
        if (stamps.SequenceEqual(_stamps))
        {
            return false;
        }

        _stamps = stamps;
        var now = time.GetUtcNow();
        List<Account> accounts;
        try
        {
            var builder = new ConfigurationBuilder();
            foreach (var (path, _, _) in stamps) builder.AddJsonFile(path, optional: false, reloadOnChange: false);
            accounts = builder.Build().GetSection("Accounts").GetChildren().Select(s => AccountRegistry.LoadOne(s, departments, configDirectory)).ToList();
        }
        catch (Exception e) when (e is ConfigurationException or InvalidDataException or FormatException or IOException or InvalidOperationException)
        {
            var problem = e is ConfigurationException ? e.Message : $"{e.Message} {e.InnerException?.Message}".Trim();
            Log.Rejected(logger, problem, What);
            GatewayMetrics.ConfigReloaded(What, applied: false);
            status.Set(new ConfigReloadStatus.Report(What, now, status.Find(What)?.AppliedAt, problem + " — the last good accounts stay in force / 保留上次有效的账号配置", []));
            return false;
        }

        var notes = new List<string>();
        foreach (var account in accounts)
        {
            if (registry.Find(account.Id) is not null)
            {
                if (!_configured.Contains(account.Id)) notes.Add($"{account.Id}: already open (through the API); the file's copy is ignored");
                continue;
            }

            await store.SeedAsync(account.Id, AccountState.From(account, now));
            if (await store.GetAsync(account.Id) is { } state)
            {
                registry.TryAdd(account.WithState(state.Value));
            }

            _configured.Add(account.Id);
            notes.Add($"{account.Id}: opened from configuration");
            Log.Added(logger, account.Id);
        }

        foreach (var removed in _configured.Where(id => accounts.All(a => a.Id != id)))
        {
            notes.Add($"{removed}: no longer in the files; still open (close it through the API)");
        }

        notes.Add("changes to accounts already open are made through the API (/api/accounts/…) / 已开设账号的变更请通过接口办理");
        GatewayMetrics.ConfigReloaded(What, applied: true);
        status.Set(new ConfigReloadStatus.Report(What, now, now, null, notes));
        return true;
    }

    private IEnumerable<string> FileAccountIds()
    {
        try
        {
            var builder = new ConfigurationBuilder();
            foreach (var (path, _, _) in _stamps) builder.AddJsonFile(path, optional: true, reloadOnChange: false);
            return [.. builder.Build().GetSection("Accounts").GetChildren().Select(c => c.Key)];
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            return [];
        }
    }

    private List<(string Path, DateTime WrittenUtc, long Length)> Stamps() =>
        FileStamps.Of((configuration.GetSection("Gateway:IncludeFiles").Get<string[]>() ?? []).Select(configDirectory.Resolve));

    private static partial class Log
    {
        [LoggerMessage(EventIds.ConfigReloadRejected, LogLevel.Warning, "Configuration reload of {What} refused, the last good one stays: {Problem}")]
        public static partial void Rejected(ILogger logger, string problem, string what);

        [LoggerMessage(EventIds.AccountOpenedByReload, LogLevel.Information, "Account {AccountId} opened from the reloaded configuration")]
        public static partial void Added(ILogger logger, string accountId);
    }
}
