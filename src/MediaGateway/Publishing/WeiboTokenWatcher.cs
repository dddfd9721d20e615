using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Hosting;
using MediaGateway.Platforms;
using MediaGateway.Platforms.Weibo;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Publishing;

/// <summary>
/// Weibo tokens cannot be refreshed: the account's owner must authorise again before expiry (weibo.md, "Tokens").
/// Every Platforms:Weibo:TokenCheckMinutes this asks each active Weibo account's token for its remaining life and,
/// once it is within Platforms:Weibo:TokenWarningDays, announces account.token_expiring — once per expiry, whichever
/// gateway instance sees it first — with the responsible person in the event.
/// </summary>
internal sealed partial class WeiboTokenWatcher(AccountRegistry accounts, WeiboClient weibo, EventStore store, RedisKeys keys,
    EventFactory events, IOptions<PlatformsOptions> options, TimeProvider time, ILogger<WeiboTokenWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.Weibo;
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var account in accounts.All.Where(a => a.Platform == Platform.Weibo && a.Status == AccountStatus.Active))
            {
                try
                {
                    await CheckAsync(account, TimeSpan.FromDays(o.TokenWarningDays), stoppingToken);
                }
                catch (Exception e) when (e is PlatformException or RedisException or RedisCommandException or TimeoutException)
                {
                    Log.CheckFailed(logger, account.Id, e.Message);
                }
            }

            await Task.Delay(TimeSpan.FromMinutes(o.TokenCheckMinutes), time, stoppingToken);
        }
    }

    private async Task CheckAsync(Account account, TimeSpan window, CancellationToken ct)
    {
        var info = await weibo.GetTokenInfoAsync(account.WeiboCredentials(), ct);
        var state = WeiboTokenExpiry.Assess(info, time.GetUtcNow(), window);
        if (!state.NearExpiry && !state.Expired) return;

        var warnedKey = keys.WeiboTokenWarned(account.Id, state.ExpiresAt);
        var e = events.ForAccount(EventTypes.AccountTokenExpiring, account, new JsonObject
        {
            ["expiresAt"] = state.ExpiresAt.ToString("O"),
            ["expired"] = state.Expired,
            ["message"] = $"账号 {account.Name} 的微博授权将于 {state.ExpiresAt:yyyy-MM-dd HH:mm} (UTC) 到期，请负责人重新授权 / the Weibo authorisation of '{account.Id}' expires at {state.ExpiresAt:O}; the responsible person must authorise again",
        });
        if (await store.AnnounceOnceAsync(warnedKey, e, TimeSpan.FromDays(60)))
        {
            Log.Expiring(logger, account.Id, state.ExpiresAt, account.Ownership.ResponsiblePerson?.Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.WeiboTokenExpiring, LogLevel.Warning, "Weibo token of {AccountId} expires at {ExpiresAt}; responsible person {Responsible} told")]
        public static partial void Expiring(ILogger logger, string accountId, DateTimeOffset expiresAt, string? responsible);

        [LoggerMessage(EventIds.WeiboTokenCheckFailed, LogLevel.Warning, "Weibo token check of {AccountId} failed: {Reason}")]
        public static partial void CheckFailed(ILogger logger, string accountId, string reason);
    }
}
