using MediaGateway.Hosting;
using MediaGateway.Platforms;

namespace MediaGateway.Accounts;

/// <summary>
/// The accounts the gateway publishes to, read from configuration section "Accounts"
/// (config files listed in Gateway:IncludeFiles). Managing them through the API comes with issue 4.
/// </summary>
internal sealed class AccountRegistry
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Account> _accounts;

    public AccountRegistry(IEnumerable<Account> accounts) =>
        _accounts = new(accounts.ToDictionary(a => a.Id, StringComparer.Ordinal), StringComparer.Ordinal);

    public IReadOnlyCollection<Account> All => [.. _accounts.Values];

    public Account? Find(string id) => _accounts.GetValueOrDefault(id);

    // The stored state each account was last brought up to date from, by AccountStateSync.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _appliedStored = new(StringComparer.Ordinal);

    /// <summary>Applies an account's managed state (from Redis, after a change through the API).</summary>
    internal void Apply(string id, AccountState state)
    {
        if (_accounts.TryGetValue(id, out var account))
        {
            _accounts[id] = account.WithState(state);
            _appliedStored.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Applies the state stored in Redis unless it is exactly what was applied last time. Applying makes a new
    /// <see cref="Account"/>, and what the worker keeps about an item per account (decision 19) and the events'
    /// account descriptions are tied to that object, so an unchanged state must not replace it every few seconds.
    /// </summary>
    internal void ApplyStored(string id, string storedJson)
    {
        if (_appliedStored.TryGetValue(id, out var last) && last == storedJson) return;
        Apply(id, Storage.Json.Deserialize<AccountState>(storedJson));
        _appliedStored[id] = storedJson;
    }

    public static AccountRegistry Load(IConfiguration configuration, DepartmentDirectory departments, ConfigDirectory configDirectory)
    {
        var accounts = new List<Account>();
        foreach (var section in configuration.GetSection("Accounts").GetChildren())
        {
            accounts.Add(LoadOne(section, departments, configDirectory));
        }

        return new AccountRegistry(accounts);
    }

    /// <summary>True when every one of the accounts exists and the department may see it (an item reveals all its targets).</summary>
    public bool AllVisibleTo(IEnumerable<string> accountIds, string department) =>
        accountIds.All(id => Find(id)?.IsVisibleTo(department) == true);

    /// <summary>Adds an account opened through the API; false when the id is taken.</summary>
    internal bool TryAdd(Account account) => _accounts.TryAdd(account.Id, account);

    /// <summary>Builds one account from its definition (a configuration section), checking every key.</summary>
    internal static Account LoadOne(IConfigurationSection section, DepartmentDirectory departments, ConfigDirectory configDirectory)
    {
        var key = section.Path;
        var platform = RequiredEnum<Platform>(section, "Platform");
        var kind = RequiredEnum<AccountKind>(section, "Kind");
        if ((platform == Platform.Weibo) != (kind == AccountKind.Weibo))
        {
            throw new ConfigurationException($"{key}:Kind", $"kind {kind} does not fit platform {platform}");
        }

        var name = Required(section, "Name");
        var status = section["Status"] is null ? AccountStatus.Active : RequiredEnum<AccountStatus>(section, "Status");
        var ownership = section.GetSection("Ownership").Get<OwnershipRecord>() ?? new OwnershipRecord();
        foreach (var (field, value) in new[]
                 {
                     ("OpeningUnit", ownership.OpeningUnit), ("SupervisingDepartment", ownership.SupervisingDepartment),
                     ("OperatingTeam", ownership.OperatingTeam),
                 })
        {
            if (!string.IsNullOrWhiteSpace(value) && !departments.Contains(value))
            {
                throw new ConfigurationException($"{key}:Ownership:{field}", $"unknown department '{value}' (not in Departments)");
            }
        }

        var domains = section.GetSection("AllowedLinkDomains").Get<string[]>() ?? [];
        var levels = 3;
        if (section["ReviewLevels"] is { } levelText
            && (!int.TryParse(levelText, out levels) || levels < Content.ContentItem.MinimumReviewLevels || levels > Content.ContentItem.MaximumReviewLevels))
        {
            throw new ConfigurationException($"{key}:ReviewLevels",
                $"must be {Content.ContentItem.MinimumReviewLevels} to {Content.ContentItem.MaximumReviewLevels} (初审, 审核, … 审发)");
        }
        if (platform == Platform.WeChat)
        {
            if (section["AllowTopics"] is not null)
                throw new ConfigurationException($"{key}:AllowTopics", "only a Weibo account has #话题# (topics)");
            var appId = Required(section, "AppId");
            var secret = SecretReference.Resolve(section["AppSecretRef"], $"{key}:AppSecretRef", configDirectory);
            var mode = section["PublishMode"] is null ? PublishMode.FreePublish : RequiredEnum<PublishMode>(section, "PublishMode");
            WeChatCallbackSettings? callback = null;
            if (section["CallbackTokenRef"] is { Length: > 0 } tokenRef)
            {
                var aesKey = section["EncodingAesKeyRef"] is { Length: > 0 } aesRef
                    ? SecretReference.Resolve(aesRef, $"{key}:EncodingAesKeyRef", configDirectory)
                    : null;
                if (aesKey is not null && aesKey.Length != 43)
                    throw new ConfigurationException($"{key}:EncodingAesKeyRef", "an EncodingAESKey has 43 characters");
                callback = new WeChatCallbackSettings(SecretReference.Resolve(tokenRef, $"{key}:CallbackTokenRef", configDirectory), aesKey);
            }

            return new Account(section.Key, platform, kind, name, status, ownership, appId, null, null, domains, secret, mode, callback, levels)
            {
                MissedWindow = MissedWindowOf(section),
                Slots = Scheduling.PostingSlots.Load(section),
            };
        }

        var uid = Required(section, "Uid");
        var safeDomain = Required(section, "SafeDomain");
        var token = SecretReference.Resolve(section["AccessTokenRef"], $"{key}:AccessTokenRef", configDirectory);
        return new Account(section.Key, platform, kind, name, status, ownership, null, uid, safeDomain,
            domains.Contains(safeDomain) ? domains : [.. domains, safeDomain], token, reviewLevels: levels)
        {
            MissedWindow = MissedWindowOf(section),
            AllowsTopics = AllowTopicsOf(section),
            Slots = Scheduling.PostingSlots.Load(section),
        };
    }

    /// <summary>Accounts:{id}:AllowTopics: true or false (default false: statuses/share takes no #topic#, weibo.md).</summary>
    private static bool AllowTopicsOf(IConfigurationSection account) => account["AllowTopics"] switch
    {
        null => false,
        var text when bool.TryParse(text, out var allowed) => allowed,
        _ => throw new ConfigurationException($"{account.Path}:AllowTopics", "must be true or false"),
    };

    /// <summary>Accounts:{id}:MissedWindow:Policy (PublishLate, MarkMissed) and :GraceMinutes (0 or more).</summary>
    private static MissedWindowPolicy MissedWindowOf(IConfigurationSection account)
    {
        var section = account.GetSection("MissedWindow");
        if (!section.Exists()) return MissedWindowPolicy.Default;
        var policy = section["Policy"] is null ? MissedWindowPolicy.Default.Policy : RequiredEnum<LatePolicy>(section, "Policy");
        var grace = MissedWindowPolicy.Default.Grace;
        if (section["GraceMinutes"] is { } text)
        {
            if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var minutes)
                || minutes < 0 || minutes > 7 * 24 * 60)
            {
                throw new ConfigurationException($"{section.Path}:GraceMinutes", "must be a number of minutes from 0 to 10080 (a week)");
            }

            grace = TimeSpan.FromMinutes(minutes);
        }

        return new MissedWindowPolicy(policy, grace);
    }

    private static string Required(IConfigurationSection section, string name) =>
        string.IsNullOrWhiteSpace(section[name]) ? throw new ConfigurationException($"{section.Path}:{name}", "is required") : section[name]!;

    private static T RequiredEnum<T>(IConfigurationSection section, string name) where T : struct, Enum =>
        Enum.TryParse<T>(Required(section, name), ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ConfigurationException($"{section.Path}:{name}", $"'{section[name]}' is not one of {string.Join(", ", Enum.GetNames<T>())}");
}
