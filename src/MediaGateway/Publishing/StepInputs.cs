using System.Collections.Concurrent;
using MediaGateway.Accounts;
using MediaGateway.Content;
using MediaGateway.Rules;
using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>What one step of a publication knows before it acts: the item and the account as they are in Redis now, and the pause or hold on the account.</summary>
internal sealed record StepInputs(ContentItem? Item, Account? Account, Holdup? Holdup, ItemSnapshot? Snapshot);

/// <summary>
/// The item as the guard checks it and the publishers send it to one account: the fingerprint of the payload, and the
/// first blocking finding (not cleared by a reviewer) of the rule lists it was checked with.
/// </summary>
internal sealed record PreparedContent(Account Account, RuleSet Rules, string Fingerprint, Finding? Blocking);

/// <summary>
/// One stored version of a content item, parsed once, with what is derived from it: its WeChat articles (the body
/// rendered once for every account) and, per account, the <see cref="PreparedContent"/>. It stays valid exactly as long
/// as the item's stamp is the same (for an item stored before stamps: its stored bytes).
/// </summary>
internal sealed class ItemSnapshot(RedisValue stored, RedisValue stamp, ContentItem item, ContentRenderer renderer)
{
    public RedisValue Stored { get; } = stored;

    /// <summary>The item's stamp when these bytes were read together with it; null for an item written before stamps.</summary>
    public RedisValue Stamp { get; } = stamp;

    public ContentItem Item { get; } = item;
    public Func<Account, WeChatRendering> WeChatArticle { get; } = renderer.WeChatArticles(item);
    public ConcurrentDictionary<string, PreparedContent> Prepared { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Reads a step's inputs in one round trip (MGET: the item's stamp, the account's managed state, the global pause, the
/// account's pause and hold; one hash tag, so also on Redis Cluster; after the first step they come back with the previous
/// step's save, <see cref="PublicationStore.SaveStepAndReadAsync"/>) and keeps what it parsed and rendered from them in
/// memory. Nothing is trusted from memory alone: every step reads the item's stamp, which every write of the item changes
/// in the same transaction (<see cref="ContentStore"/>), and the account's stored state, and a kept result is used only
/// while they are still exactly those in Redis (and the account definition and rule lists are the same objects). When the
/// stamp changed, the item is read again (a second round trip). So the guard still sees every change at once — an item
/// withdrawn, an account suspended, a list reloaded — while an unchanged item is transferred, parsed, rendered and checked
/// once per process instead of at every step (a 200-account item is 30–80 KB of JSON).
/// </summary>
internal sealed class StepInputReader(IConnectionMultiplexer redis, RedisKeys keys, AccountRegistry accounts, ContentRenderer renderer,
    RuleSetProvider rules, PublishingControl control)
{
    // Bounds: items in progress at once are far fewer; past these the memory is simply dropped and rebuilt on demand.
    private const int MaxItems = 512;
    private const int MaxAccounts = 20_000;

    private readonly ConcurrentDictionary<string, ItemSnapshot> _items = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AccountSnapshot> _accounts = new(StringComparer.Ordinal);

    internal async Task<StepInputs> ReadAsync(string contentId, string accountId) =>
        await FromValuesAsync(contentId, accountId, await redis.GetDatabase().StringGetAsync(KeysFor(contentId, accountId)));

    /// <summary>The keys a step's inputs are read from, in the order <see cref="FromValuesAsync"/> takes their values.</summary>
    internal RedisKey[] KeysFor(string contentId, string accountId) =>
        [keys.ContentStamp(contentId), keys.AccountState(accountId), .. control.HoldKeys(accountId)];

    /// <summary>
    /// The step's inputs from the values of <see cref="KeysFor"/>, read by the caller (e.g. with the previous step's save);
    /// the item itself is read only when its stamp changed.
    /// </summary>
    internal async Task<StepInputs> FromValuesAsync(string contentId, string accountId, RedisValue[] values)
    {
        var db = redis.GetDatabase();
        var stamp = values[0];
        if (stamp.IsNull || !_items.TryGetValue(contentId, out var snapshot) || !snapshot.Stamp.Equals(stamp))
        {
            // Changed since it was kept, never kept, or an item from before stamps: read it with its stamp, in one command.
            var item = await db.StringGetAsync([keys.Content(contentId), keys.ContentStamp(contentId)]);
            snapshot = ItemOf(contentId, item[0], item[1]);
        }

        return new StepInputs(snapshot?.Item, AccountOf(accountId, values[1]), control.WhyHeld(accountId, values.AsSpan(2)), snapshot);
    }

    /// <summary>The fingerprint and rule verdict of the item for this account, computed once per item version, account state and rule lists.</summary>
    internal PreparedContent Prepare(ItemSnapshot snapshot, Account account)
    {
        var ruleSet = rules.Current;
        if (snapshot.Prepared.TryGetValue(account.Id, out var kept) && ReferenceEquals(kept.Account, account) && ReferenceEquals(kept.Rules, ruleSet))
        {
            return kept;
        }

        var item = snapshot.Item;
        var fingerprint = account.Platform == Platforms.Platform.WeChat
            ? snapshot.WeChatArticle(account).Fingerprint
            : renderer.RenderWeibo(item, account).Fingerprint;
        using var timing = Observability.GatewayMetrics.TimeRules("pre-publication");
        var blocking = ruleSet.Evaluate(ContentRuleInputs.For(item, account, renderer))
            .FirstOrDefault(f => f.Severity == Severity.Block && !item.IsCleared(f));
        var prepared = new PreparedContent(account, ruleSet, fingerprint, blocking);
        snapshot.Prepared[account.Id] = prepared;
        return prepared;
    }

    private ItemSnapshot? ItemOf(string contentId, RedisValue stored, RedisValue stamp)
    {
        if (stored.IsNull)
        {
            _items.TryRemove(contentId, out _);
            return null;
        }

        if (_items.TryGetValue(contentId, out var kept) && kept.Stored.Equals(stored) && kept.Stamp.Equals(stamp))
        {
            return kept;
        }

        if (_items.Count >= MaxItems) _items.Clear();
        var snapshot = new ItemSnapshot(stored, stamp, Json.Deserialize<ContentItem>(stored!), renderer);
        _items[contentId] = snapshot;
        return snapshot;
    }

    /// <summary>The account from the registry with its managed state from Redis (P1/P2: as it is now, not as this instance last saw it).</summary>
    private Account? AccountOf(string accountId, RedisValue state)
    {
        var defined = accounts.Find(accountId);
        if (defined is null || state.IsNull)
        {
            return defined;
        }

        if (_accounts.TryGetValue(accountId, out var kept) && ReferenceEquals(kept.Defined, defined) && kept.State.Equals(state))
        {
            return kept.Account;
        }

        if (_accounts.Count >= MaxAccounts) _accounts.Clear();
        var account = defined.WithState(Json.Deserialize<AccountState>(state!));
        _accounts[accountId] = new AccountSnapshot(defined, state, account);
        return account;
    }

    private sealed record AccountSnapshot(Account Defined, RedisValue State, Account Account);
}
