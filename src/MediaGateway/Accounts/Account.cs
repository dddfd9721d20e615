using MediaGateway.Platforms;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Platforms.Weibo;

namespace MediaGateway.Accounts;

internal enum AccountKind
{
    /// <summary>WeChat subscription account (订阅号).</summary>
    WeChatSubscription,
    /// <summary>WeChat service account (服务号).</summary>
    WeChatService,
    /// <summary>Weibo account.</summary>
    Weibo,
}

/// <summary>How a WeChat account publishes (wechat-mp.md): 发布 (freepublish, no quota, not pushed) or 群发 (mass send, pushed, quota-limited).</summary>
internal enum PublishMode
{
    FreePublish,
    MassSend,
}

/// <summary>P2 lifecycle. Only <see cref="Active"/> accounts publish.</summary>
internal enum AccountStatus
{
    Active,
    Suspended,
    Closed,
}

/// <summary>What happens to a scheduled publication that could not go out on time (the gateway was down, paused or held).</summary>
internal enum LatePolicy
{
    /// <summary>Publish it as soon as possible, and say it was late.</summary>
    PublishLate,
    /// <summary>Do not publish it; mark it missed and tell the operator, who may re-drive it.</summary>
    MarkMissed,
}

/// <summary>An account's missed-window policy: how late past the scheduled time still counts as on time, and what to do after.</summary>
internal sealed record MissedWindowPolicy(LatePolicy Policy, TimeSpan Grace)
{
    public static readonly MissedWindowPolicy Default = new(LatePolicy.PublishLate, TimeSpan.FromMinutes(30));
}

/// <summary>The responsible person (负责人) with a contact.</summary>
internal sealed record ResponsiblePerson
{
    public string? Name { get; init; }
    public string? Contact { get; init; }
}

/// <summary>
/// P1: who opened, supervises, operates and answers for an account
/// (谁开设、谁主管、谁应用、谁负责) and its filing number (备案号).
/// </summary>
internal sealed record OwnershipRecord
{
    public string? OpeningUnit { get; init; }
    public string? SupervisingDepartment { get; init; }
    public string? OperatingTeam { get; init; }
    public ResponsiblePerson? ResponsiblePerson { get; init; }
    public string? FilingNumber { get; init; }

    /// <summary>The fields still missing; empty when the record is complete.</summary>
    public IReadOnlyList<string> MissingFields()
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(OpeningUnit)) missing.Add("openingUnit");
        if (string.IsNullOrWhiteSpace(SupervisingDepartment)) missing.Add("supervisingDepartment");
        if (string.IsNullOrWhiteSpace(OperatingTeam)) missing.Add("operatingTeam");
        if (string.IsNullOrWhiteSpace(ResponsiblePerson?.Name)) missing.Add("responsiblePerson.name");
        if (string.IsNullOrWhiteSpace(ResponsiblePerson?.Contact)) missing.Add("responsiblePerson.contact");
        if (string.IsNullOrWhiteSpace(FilingNumber)) missing.Add("filingNumber");
        return missing;
    }
}

/// <summary>A publishing account with its ownership record. Credentials stay inside; the API never sees them.</summary>
internal sealed class Account
{
    private readonly string _secret;

    internal Account(string id, Platform platform, AccountKind kind, string name, AccountStatus status,
        OwnershipRecord ownership, string? appId, string? weiboUid, string? safeDomain,
        IReadOnlyList<string> allowedLinkDomains, string secret, PublishMode publishMode = PublishMode.FreePublish,
        WeChatCallbackSettings? callback = null, int reviewLevels = 3)
    {
        ReviewLevels = reviewLevels;
        PublishMode = publishMode;
        Callback = callback;
        Id = id;
        Platform = platform;
        Kind = kind;
        Name = name;
        Status = status;
        Ownership = ownership;
        AppId = appId;
        WeiboUid = weiboUid;
        SafeDomain = safeDomain;
        AllowedLinkDomains = allowedLinkDomains;
        _secret = secret;
    }

    /// <summary>The same account with its managed state (name, status, ownership, link allow-list) replaced.</summary>
    internal Account WithState(AccountState state) => new(Id, Platform, Kind, state.Name, state.Status, state.Ownership, AppId, WeiboUid,
        SafeDomain, Platform == Platform.Weibo && !state.AllowedLinkDomains.Contains(SafeDomain!) ? [.. state.AllowedLinkDomains, SafeDomain!] : state.AllowedLinkDomains,
        _secret, PublishMode, Callback, ReviewLevels) { MissedWindow = MissedWindow, AllowsTopics = AllowsTopics, Slots = Slots };

    /// <summary>
    /// Weibo (Accounts:{id}:AllowTopics, default false): the platform lets this account's app post #话题# through statuses/share.
    /// weibo.md says share takes no #topic#, so it is off unless the platform granted otherwise (decision 45).
    /// </summary>
    public bool AllowsTopics { get; init; }

    /// <summary>What happens to a scheduled publication that missed its time (Accounts:{id}:MissedWindow).</summary>
    public MissedWindowPolicy MissedWindow { get; init; } = MissedWindowPolicy.Default;

    /// <summary>The account's posting slots (Accounts:{id}:Slots), or null when it has none.</summary>
    public Scheduling.PostingSlots? Slots { get; init; }

    public string Id { get; }
    public Platform Platform { get; }
    public AccountKind Kind { get; }
    public string Name { get; }
    public AccountStatus Status { get; }
    public OwnershipRecord Ownership { get; }
    public string? AppId { get; }

    /// <summary>How many review levels an item for this account needs (at least 3: 初审, 审核, 审发).</summary>
    public int ReviewLevels { get; }

    /// <summary>WeChat: freepublish or mass send.</summary>
    public PublishMode PublishMode { get; }

    /// <summary>WeChat: the callback URL's token and EncodingAESKey, when push events are configured.</summary>
    internal WeChatCallbackSettings? Callback { get; }
    public string? WeiboUid { get; }

    /// <summary>Weibo: the app's registered safe domain; every post must link to it.</summary>
    public string? SafeDomain { get; }

    /// <summary>Domains links in this account's content may point to (suffix match on a label boundary).</summary>
    public IReadOnlyList<string> AllowedLinkDomains { get; }

    /// <summary>Departments that may see this account: its opening unit, supervising department and operating team.</summary>
    public bool IsVisibleTo(string department) =>
        department == Ownership.OperatingTeam || department == Ownership.SupervisingDepartment || department == Ownership.OpeningUnit;

    /// <summary>P1 + P2: why nothing may be published here now, or null when it may.</summary>
    public string? WhyNotPublishable()
    {
        if (Status != AccountStatus.Active)
        {
            return $"账号{(Status == AccountStatus.Suspended ? "已停用" : "已关闭")}，不能发布 / account '{Id}' is {Status.ToString().ToLowerInvariant()}, not active";
        }

        var missing = Ownership.MissingFields();
        return missing.Count > 0
            ? $"账号主体信息不完整（缺少{string.Join("、", missing.Select(OwnershipFieldInChinese))}） / account '{Id}' has an incomplete ownership record: missing {string.Join(", ", missing)}"
            : null;
    }

    /// <summary>The ownership record's fields as the console's account page names them.</summary>
    private static string OwnershipFieldInChinese(string field) => field switch
    {
        "openingUnit" => "开办单位",
        "supervisingDepartment" => "主管部门",
        "operatingTeam" => "运维团队",
        "responsiblePerson.name" => "负责人姓名",
        "responsiblePerson.contact" => "负责人联系方式",
        "filingNumber" => "备案编号",
        _ => field,
    };

    internal WeChatCredentials WeChatCredentials() =>
        Platform == Platform.WeChat
            ? new WeChatCredentials(AppId!, _secret) { AccountKind = Kind == AccountKind.WeChatService ? WeChatAccountKind.Service : WeChatAccountKind.Subscription }
            : throw new InvalidOperationException($"{Id} is not a WeChat account");

    internal WeiboCredentials WeiboCredentials() =>
        Platform == Platform.Weibo ? new WeiboCredentials(_secret) : throw new InvalidOperationException($"{Id} is not a Weibo account");

    public override string ToString() => $"Account {{ Id = {Id}, Platform = {Platform} }}";
}

/// <summary>A WeChat account's callback secrets (never logged or returned).</summary>
internal sealed record WeChatCallbackSettings(string Token, string? EncodingAesKey)
{
    public override string ToString() => "WeChatCallbackSettings { *** }";
}
