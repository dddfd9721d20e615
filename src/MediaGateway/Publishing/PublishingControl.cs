using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Hosting;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>A pause set by a person; it lasts until someone lifts it.</summary>
internal sealed record PauseRecord(string By, string Reason, DateTimeOffset At);

/// <summary>An account held by the gateway because the platform's window is closed (quota, rate limit); it ends by itself.</summary>
internal sealed record HoldRecord(string Reason, string Code, DateTimeOffset Until);

/// <summary>Why a publication may not call its platform now, and when to look again.</summary>
/// <param name="Until">When it ends by itself (a hold); null for a pause, which lasts until a person lifts it.</param>
internal sealed record Holdup(string Scope, string Reason, DateTimeOffset LookAgainAt, WaitKind Kind = WaitKind.Paused, DateTimeOffset? Until = null);

/// <summary>
/// The brakes on publishing: a global pause and per-account pauses (set and lifted by people, audited), and holds
/// the gateway puts on an account when its platform says a quota or rate window is closed (they expire when it
/// reopens). Workers ask <see cref="WhyHeld"/> before every platform step (the keys come with the step's other inputs), so a pause stops new platform
/// calls at once; calls already in flight finish. Retractions are not held: taking a post down stays possible.
/// </summary>
internal sealed class PublishingControl(
    IConnectionMultiplexer redis, RedisKeys keys, EventFactory events, IOptions<PublishingOptions> options, TimeProvider time)
{
    public const string GlobalScope = "global";

    // Pulls the publications a pause parked forward to now, keeping their order, so the emergency lane and the
    // oldest work go first when publishing resumes.
    private static readonly LuaScript PullForward = LuaScript.Prepare("""
        local ids = redis.call('SMEMBERS', @parked)
        local found = {}
        local newest = nil
        for _, id in ipairs(ids) do
          for _, due in ipairs({@routine, @emergency}) do
            local score = redis.call('ZSCORE', due, id)
            if score then
              score = tonumber(score)
              table.insert(found, {due, id, score})
              if newest == nil or score > newest then newest = score end
            end
          end
        end
        for _, f in ipairs(found) do
          redis.call('ZADD', f[1], 'XX', tonumber(@now) - (newest - f[3]) - 1, f[2])
        end
        redis.call('DEL', @parked)
        return #found
        """);

    private readonly TimeSpan _recheck = TimeSpan.FromMilliseconds(options.Value.PauseRecheckMilliseconds);

    /// <summary>The keys <see cref="WhyHeld"/> reads, in its order: the global pause, the account's pause, the account's hold.</summary>
    public RedisKey[] HoldKeys(string accountId) => [keys.Pause(GlobalScope), keys.Pause(accountId), keys.AccountHold(accountId)];

    /// <summary>
    /// The pause or hold that keeps this account's publications from their platform now, or null; from the values of
    /// <see cref="HoldKeys"/>, which the caller reads with its other keys in one round trip.
    /// </summary>
    public Holdup? WhyHeld(string accountId, ReadOnlySpan<RedisValue> values)
    {
        var now = time.GetUtcNow();
        if (!values[0].IsNull)
        {
            var pause = Json.Deserialize<PauseRecord>(values[0]!);
            return new Holdup(GlobalScope, $"全部发布已暂停 / all publishing is paused by {pause.By}: {pause.Reason}", now + _recheck);
        }

        if (!values[1].IsNull)
        {
            var pause = Json.Deserialize<PauseRecord>(values[1]!);
            return new Holdup(accountId, $"该账号发布已暂停 / publishing on account '{accountId}' is paused by {pause.By}: {pause.Reason}", now + _recheck);
        }

        if (!values[2].IsNull)
        {
            var hold = Json.Deserialize<HoldRecord>(values[2]!);
            if (hold.Until > now)
            {
                return new Holdup(accountId, $"平台窗口未开放，账号暂停至 {hold.Until:O} / account '{accountId}' is held until {hold.Until:O}: {hold.Reason}",
                    hold.Until < now + _recheck ? hold.Until : now + _recheck, WaitKind.Quota, hold.Until);
            }
        }

        return null;
    }

    /// <summary>Queues the writes that park a held publication, so lifting the pause pulls it forward.</summary>
    public void Park(ConditionalWrite write, string scope, string publicationId) => write.SetAdd(keys.Parked(scope), publicationId);

    /// <summary>Queues the writes that hold an account until <paramref name="until"/> (the key expires then).</summary>
    public void Hold(ConditionalWrite write, string accountId, string reason, string code, DateTimeOffset until)
    {
        var ttl = until - time.GetUtcNow();
        write.StringSet(keys.AccountHold(accountId), Json.SerializeUtf8(new HoldRecord(reason, code, until)),
            ttl > TimeSpan.Zero ? ttl : TimeSpan.FromMilliseconds(1));
    }

    /// <summary>The event that tells the account's departments (and the audit log) that the gateway held it.</summary>
    public GatewayEvent HoldEvent(Account account, string reason, string code, DateTimeOffset until) =>
        events.ForAccount(EventTypes.PublishingPaused, account, new JsonObject
        {
            ["scope"] = "account", ["automatic"] = true, ["reason"] = reason, ["code"] = code, ["until"] = until.ToString("O"),
        });

    /// <summary>
    /// Takes one send from the account's own per-window allowance (Weibo posts per hour, WeChat mass sends per minute).
    /// Null when there was room; otherwise when the window reopens (the send must wait, and the account is held).
    /// </summary>
    public async Task<DateTimeOffset?> TryTakeSendAsync(Account account, SendLimit limit)
    {
        var now = time.GetUtcNow();
        var windowStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % limit.Window.Ticks), TimeSpan.Zero);
        var key = keys.AccountSends(account.Id, $"{limit.Name}:{windowStart.ToUnixTimeSeconds()}");
        var db = redis.GetDatabase();
        var used = await db.StringIncrementAsync(key);
        if (used == 1)
        {
            await db.KeyExpireAsync(key, limit.Window + TimeSpan.FromMinutes(1));
        }

        if (used <= limit.PerWindow)
        {
            return null;
        }

        await db.StringDecrementAsync(key); // this send did not happen: leave the count as it was
        return windowStart + limit.Window;
    }

    /// <summary>Pauses publishing globally (<paramref name="account"/> null) or on one account, and records who and why.</summary>
    public async Task<bool> PauseAsync(Account? account, string by, string reason)
    {
        var record = new PauseRecord(by, reason, time.GetUtcNow());
        var tx = redis.GetDatabase().CreateTransaction();
        var key = keys.Pause(account?.Id ?? GlobalScope);
        tx.AddCondition(Condition.KeyNotExists(key));
        _ = tx.StringSetAsync(key, Json.SerializeUtf8(record));
        EventStream.Append(tx, keys, [PauseEvent(EventTypes.PublishingPaused, account, by, reason)]);
        return await tx.ExecuteAsync();
    }

    /// <summary>
    /// Lifts a pause (and, for an account, any hold the gateway put on it: a person decided to try again), pulls the
    /// publications it parked forward, and records who and why. False when nothing was paused.
    /// </summary>
    public async Task<bool> ResumeAsync(Account? account, string by, string reason)
    {
        var scope = account?.Id ?? GlobalScope;
        var db = redis.GetDatabase();
        var pause = await db.StringGetAsync(keys.Pause(scope));
        var hold = account is null ? RedisValue.Null : await db.StringGetAsync(keys.AccountHold(account.Id));
        if (pause.IsNull && hold.IsNull)
        {
            return false;
        }

        // Lifted and recorded together; parked publications also come back by themselves within the recheck interval.
        var tx = db.CreateTransaction();
        tx.AddCondition(pause.IsNull ? Condition.KeyNotExists(keys.Pause(scope)) : Condition.StringEqual(keys.Pause(scope), pause));
        _ = tx.KeyDeleteAsync(keys.Pause(scope));
        if (account is not null)
        {
            _ = tx.KeyDeleteAsync(keys.AccountHold(account.Id));
        }

        EventStream.Append(tx, keys, [PauseEvent(EventTypes.PublishingResumed, account, by, reason)]);
        if (!await tx.ExecuteAsync())
        {
            return false;
        }

        await PullForwardAsync(scope);
        return true;
    }

    /// <summary>What is paused or held now, among the accounts given.</summary>
    public async Task<PauseOverview> OverviewAsync(IReadOnlyList<Account> accounts)
    {
        // One read for all: the global pause, then each account's pause and hold.
        var values = await redis.GetDatabase().StringGetAsync(
            [keys.Pause(GlobalScope), .. accounts.SelectMany(a => new RedisKey[] { keys.Pause(a.Id), keys.AccountHold(a.Id) })]);
        var list = new List<AccountPauseView>();
        for (var i = 0; i < accounts.Count; i++)
        {
            var (pause, hold) = (values[1 + (2 * i)], values[2 + (2 * i)]);
            if (pause.IsNull && hold.IsNull) continue;
            list.Add(new AccountPauseView(accounts[i].Id,
                pause.IsNull ? null : Json.Deserialize<PauseRecord>(pause!),
                hold.IsNull ? null : Json.Deserialize<HoldRecord>(hold!)));
        }

        return new PauseOverview(values[0].IsNull ? null : Json.Deserialize<PauseRecord>(values[0]!), list);
    }

    private async Task PullForwardAsync(string scope) =>
        await redis.GetDatabase().ScriptEvaluateAsync(PullForward, new
        {
            parked = (RedisKey)keys.Parked(scope),
            routine = (RedisKey)keys.PublishDueOf(PublishLane.Routine),
            emergency = (RedisKey)keys.PublishDueOf(PublishLane.Emergency),
            now = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });

    private GatewayEvent PauseEvent(string type, Account? account, string by, string reason)
    {
        var data = new JsonObject { ["scope"] = account is null ? GlobalScope : "account", ["automatic"] = false, ["reason"] = reason };
        return account is null ? events.ForGateway(type, by, data) : events.ForAccount(type, account, data) with { Actor = by };
    }
}

/// <summary>An account's own allowance of sends per window.</summary>
internal sealed record SendLimit(string Name, int PerWindow, TimeSpan Window);

internal sealed record AccountPauseView(string AccountId, PauseRecord? Pause, HoldRecord? Hold);

internal sealed record PauseOverview(PauseRecord? Global, IReadOnlyList<AccountPauseView> Accounts);
