namespace MediaGateway.Accounts;

/// <summary>One recorded change of an account (P2 备案): opened, changed, suspended, resumed, closed.</summary>
internal sealed record AccountChange(DateTimeOffset At, string By, string Change, string Reason);

/// <summary>
/// The part of an account administrators manage through the API, kept in Redis with its history (P2). The
/// account's identity and credentials stay in configuration; the state is seeded from there once.
/// </summary>
internal sealed record AccountState
{
    public required string Name { get; init; }
    public required AccountStatus Status { get; init; }
    public required OwnershipRecord Ownership { get; init; }
    public required IReadOnlyList<string> AllowedLinkDomains { get; init; }
    public IReadOnlyList<AccountChange> History { get; init; } = [];

    public static AccountState From(Account account, DateTimeOffset at) => new()
    {
        Name = account.Name, Status = account.Status, Ownership = account.Ownership,
        AllowedLinkDomains = account.AllowedLinkDomains,
        History = [new AccountChange(at, "configuration", "opened", "由配置文件载入 / seeded from configuration")],
    };
}
