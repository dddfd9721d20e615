using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Accounts;

/// <summary>
/// At start, seeds each configured account's managed state into Redis (once) and applies what Redis holds; then
/// refreshes every few seconds so changes made through another gateway instance arrive here too. The publish guard
/// reads the state from Redis directly, so a suspension stops publishing everywhere at once.
/// </summary>
internal sealed partial class AccountStateSync(AccountRegistry registry, AccountStore store, DepartmentDirectory departments,
    Hosting.ConfigDirectory configDirectory, TimeProvider time, ILogger<AccountStateSync> logger)
    : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var account in registry.All)
            {
                await store.SeedAsync(account.Id, AccountState.From(account, time.GetUtcNow()));
            }

            await RefreshAsync();
        }
        catch (Exception e) when (e is RedisException or RedisCommandException or TimeoutException)
        {
            Log.Unavailable(logger, e.Message);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RefreshInterval, time, stoppingToken);
                await RefreshAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or RedisCommandException or TimeoutException)
            {
                Log.Unavailable(logger, e.Message);
            }
        }
    }

    private async Task RefreshAsync()
    {
        // Accounts opened through the API (on any instance) join the registry.
        foreach (var (id, definition) in await store.DefinitionsAsync())
        {
            if (registry.Find(id) is not null) continue;
            try
            {
                registry.TryAdd(AccountRegistry.LoadOne(AccountLifecycle.AsSection(id, definition), departments, configDirectory));
            }
            catch (Hosting.ConfigurationException e)
            {
                Log.BadDefinition(logger, id, e.Message);
            }
        }

        var ids = registry.All.Select(a => a.Id).ToList();
        var stored = await store.GetStoredAsync(ids);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!stored[i].IsNull) registry.ApplyStored(ids[i], stored[i]!);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.AccountDefinitionUnusable, LogLevel.Error, "Account {AccountId} opened through the API cannot be loaded here: {Reason}")]
        public static partial void BadDefinition(ILogger logger, string accountId, string reason);

        [LoggerMessage(EventIds.AccountStateNotSynchronised, LogLevel.Warning, "Account state not synchronised with Redis ({Reason}); using what is known")]
        public static partial void Unavailable(ILogger logger, string reason);
    }
}
