using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Deadlines;

/// <summary>
/// The dormant-account watch (P17, national inspection rules): every Dormancy:CheckSeconds, an account with no
/// publication for Dormancy:WarningDays (10) is warned, and one silent for Dormancy:ClosureDays (90) is flagged
/// for closure — both as account.dormant (data.stage "warning" / "closure"), once per silence period and stage,
/// whichever process sees it first. Weibo tokens near expiry are warned by <see cref="Publishing.WeiboTokenWatcher"/>.
/// </summary>
internal sealed partial class DormancyWatcher(AccountRegistry accounts, AccountActivity activity, EventStore store, RedisKeys keys,
    EventFactory events, DeadlineSettings settings, TimeProvider time, ILogger<DormancyWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or System.Text.Json.JsonException)
            {
                Log.CheckFailed(logger, e.Message);
            }

            await Task.Delay(settings.DormancyCheckInterval, time, stoppingToken);
        }
    }

    public async Task CheckAsync(CancellationToken ct)
    {
        var watched = accounts.All.Where(a => a.Status != AccountStatus.Closed).ToList();
        var states = await activity.GetAsync(watched, ct);
        foreach (var account in watched)
        {
            var state = states[account.Id];
            if (state.Stage is "warning" or "closure")
            {
                // Crossing both at once (a long-silent account seen for the first time) announces both, warning first.
                if (state.Stage == "closure") await AnnounceAsync(account, state with { Stage = "warning" }, state);
                await AnnounceAsync(account, state, state);
            }
        }
    }

    private async Task AnnounceAsync(Account account, AccountActivityView stage, AccountActivityView state)
    {
        var marker = keys.DormancyNotified(account.Id, stage.Stage, state.SilentSince.ToUnixTimeMilliseconds());
        if (await store.AnnouncedAsync(marker)) return;
        var e = events.ForAccount(EventTypes.AccountDormant, account, new JsonObject
        {
            ["stage"] = stage.Stage,
            ["lastPublishedAt"] = state.LastPublishedAt?.ToString("O"),
            ["silentSince"] = state.SilentSince.ToString("O"),
            ["daysSilent"] = state.DaysSilent,
            ["responsible"] = account.Ownership.ResponsiblePerson?.Name,
            ["message"] = stage.Stage == "closure"
                ? $"账号 {account.Name} 已 {state.DaysSilent:0.#} 天未更新，属僵尸账号，请整改或按程序关停 / account '{account.Id}' has been silent for {state.DaysSilent:0.#} days: flagged for closure"
                : $"账号 {account.Name} 已 {state.DaysSilent:0.#} 天未更新，两周无更新将被检查判为不合格 / account '{account.Id}' has been silent for {state.DaysSilent:0.#} days; the national check fails an account silent for 2 weeks",
        });
        if (await store.AnnounceOnceAsync(marker, e, TimeSpan.FromDays(400)))
        {
            Log.Dormant(logger, account.Id, stage.Stage, state.DaysSilent);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.AccountDormant, LogLevel.Warning, "Account {AccountId} is dormant ({Stage}): silent for {Days} days")]
        public static partial void Dormant(ILogger logger, string accountId, string stage, double days);

        [LoggerMessage(EventIds.DormancyCheckFailed, LogLevel.Warning, "Dormancy check failed: {Reason}")]
        public static partial void CheckFailed(ILogger logger, string reason);
    }
}
