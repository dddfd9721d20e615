using System.Text.Json.Nodes;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Publishing;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Accounts;

/// <summary>An administrator's change to an account's record: a reason, and the fields that change.</summary>
internal sealed record AccountChangeRequest
{
    [MultiLineText]
    public string? Reason { get; init; }
    public string? Name { get; init; }
    public OwnershipRecord? Ownership { get; init; }
    public List<string>? AllowedLinkDomains { get; init; }
}

internal sealed record AccountStatusRequest([property: MultiLineText] string? Reason);

/// <summary>
/// Opening an account through the API: the same fields as in configuration. Credentials are references only
/// (<c>env:NAME</c> or <c>file:path</c>); they are resolved to check them and never stored or returned as values.
/// </summary>
internal sealed record OpenAccountRequest
{
    public string? Id { get; init; }
    [MultiLineText]
    public string? Reason { get; init; }
    public string? Platform { get; init; }
    public string? Kind { get; init; }
    public string? Name { get; init; }
    public string? AppId { get; init; }
    public string? AppSecretRef { get; init; }
    public string? PublishMode { get; init; }
    public string? CallbackTokenRef { get; init; }
    public string? EncodingAesKeyRef { get; init; }
    public string? Uid { get; init; }
    public string? SafeDomain { get; init; }
    public string? AccessTokenRef { get; init; }
    public int? ReviewLevels { get; init; }
    public List<string>? AllowedLinkDomains { get; init; }
    public OwnershipRecord? Ownership { get; init; }
    /// <summary>Missed-window policy: PublishLate (default) or MarkMissed.</summary>
    public string? MissedWindowPolicy { get; init; }
    public double? MissedWindowGraceMinutes { get; init; }
    /// <summary>Weibo: the platform lets the account's app post #话题# through statuses/share (default false; decision 45).</summary>
    public bool? AllowTopics { get; init; }
}

/// <summary>Closing an account (P2): a reason and the published closure notice.</summary>
internal sealed record AccountCloseRequest([property: MultiLineText] string? Reason, string? ClosureNoticeContentId);

/// <summary>
/// P2 lifecycle, by administrators: opened (from configuration) → changed → suspended ⇄ resumed → closed. Each change
/// is recorded in the account's history and as an event (so in the audit chain and to the departments that see it);
/// closing requires a closure notice published on that account first. Nothing publishes to an account not active.
/// </summary>
internal sealed partial class AccountLifecycle(AccountRegistry registry, AccountStore store, ContentStore contents, PublicationStore publications,
    DepartmentDirectory departments, ConfigDirectory configDirectory, EventFactory events, TimeProvider time)
{
    /// <summary>
    /// Opens an account: checked exactly as a configured one (the same loader), one account per unit per platform (P2),
    /// recorded with its first state and an event.
    /// </summary>
    public async Task<Results<Created<AccountsApi.AccountView>, ValidationProblem, ProblemHttpResult>> OpenAsync(GatewayUser user, OpenAccountRequest request)
    {
        if (!user.IsAdministrator) return Problems.Forbidden("只有管理员可以开设账号 / only administrators open accounts");
        var errors = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(request.Reason)) errors.Add("reason", "required: the filing (备案) of a new account states why");
        if (request.Id is null || !IdPattern().IsMatch(request.Id)) errors.Add("id", "2-40 lowercase letters, digits or '-'");
        if (errors.Count > 0) return Problems.Invalid(errors);
        var id = request.Id!;
        if (registry.Find(id) is not null) return Problems.Conflict($"account '{id}' already exists");

        var definition = Definition(request);
        Account account;
        try
        {
            account = AccountRegistry.LoadOne(AsSection(id, definition), departments, configDirectory);
        }
        catch (ConfigurationException bad)
        {
            // The key names the field ("Accounts:wx-new:AppSecretRef" → "appSecretRef"); the message never holds a secret.
            var field = bad.Key[(bad.Key.IndexOf(id, StringComparison.Ordinal) + id.Length + 1)..].Replace(':', '.');
            errors.Add(char.ToLowerInvariant(field[0]) + field[1..], bad.Message);
            return Problems.Invalid(errors);
        }

        if (account.Ownership.MissingFields() is { Count: > 0 } missing)
            return Problems.Invalid(new() { ["ownership"] = [$"the ownership record is required in full (P1); missing {string.Join(", ", missing)}"] });
        if (registry.All.FirstOrDefault(a => a.Status != AccountStatus.Closed && a.Platform == account.Platform
                && a.Ownership.OpeningUnit == account.Ownership.OpeningUnit) is { } existing)
            return Problems.Conflict($"单位 {account.Ownership.OpeningUnit} 在 {account.Platform} 已有账号 {existing.Id} / one account per unit per platform (P2): '{existing.Id}' is open");

        var state = AccountState.From(account, time.GetUtcNow()) with
        {
            History = [new AccountChange(time.GetUtcNow(), user.Id, "opened", request.Reason!.Trim())],
        };
        var e = events.ForAccount(EventTypes.AccountOpened, account, new JsonObject { ["change"] = "opened", ["reason"] = request.Reason.Trim() }) with { Actor = user.Id };
        if (!await store.TryOpenAsync(id, definition, state, e) || !registry.TryAdd(account))
            return Problems.Conflict($"account '{id}' already exists");
        return TypedResults.Created($"/api/accounts/{id}", AccountsApi.ToView(account));
    }

    /// <summary>An account definition as the configuration section the loader reads.</summary>
    internal static IConfigurationSection AsSection(string id, IReadOnlyDictionary<string, string> definition) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(definition.Select(kv => new KeyValuePair<string, string?>($"Accounts:{id}:{kv.Key}", kv.Value)))
            .Build()
            .GetSection($"Accounts:{id}");

    private static Dictionary<string, string> Definition(OpenAccountRequest r)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        void Put(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) d[key] = value.Trim();
        }

        Put("Platform", r.Platform); Put("Kind", r.Kind); Put("Name", r.Name); Put("AppId", r.AppId); Put("AppSecretRef", r.AppSecretRef);
        Put("PublishMode", r.PublishMode); Put("CallbackTokenRef", r.CallbackTokenRef); Put("EncodingAesKeyRef", r.EncodingAesKeyRef);
        Put("Uid", r.Uid); Put("SafeDomain", r.SafeDomain); Put("AccessTokenRef", r.AccessTokenRef);
        Put("ReviewLevels", r.ReviewLevels?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Put("AllowTopics", r.AllowTopics is { } topics ? (topics ? "true" : "false") : null);
        Put("MissedWindow:Policy", r.MissedWindowPolicy);
        Put("MissedWindow:GraceMinutes", r.MissedWindowGraceMinutes?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < (r.AllowedLinkDomains?.Count ?? 0); i++) Put($"AllowedLinkDomains:{i}", r.AllowedLinkDomains![i]);
        Put("Ownership:OpeningUnit", r.Ownership?.OpeningUnit); Put("Ownership:SupervisingDepartment", r.Ownership?.SupervisingDepartment);
        Put("Ownership:OperatingTeam", r.Ownership?.OperatingTeam); Put("Ownership:ResponsiblePerson:Name", r.Ownership?.ResponsiblePerson?.Name);
        Put("Ownership:ResponsiblePerson:Contact", r.Ownership?.ResponsiblePerson?.Contact); Put("Ownership:FilingNumber", r.Ownership?.FilingNumber);
        return d;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9-]{2,40}$")]
    private static partial System.Text.RegularExpressions.Regex IdPattern();

    public Task<Results<Ok<AccountsApi.AccountView>, ValidationProblem, ProblemHttpResult>> ChangeAsync(GatewayUser user, string id, AccountChangeRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        if (request.Name is null && request.Ownership is null && request.AllowedLinkDomains is null)
            errors.Add("body", "nothing to change: give name, ownership or allowedLinkDomains");
        if (request.Name is { } name && string.IsNullOrWhiteSpace(name)) errors.Add("name", "must not be empty");
        foreach (var (field, value) in new[]
                 {
                     ("ownership.openingUnit", request.Ownership?.OpeningUnit), ("ownership.supervisingDepartment", request.Ownership?.SupervisingDepartment),
                     ("ownership.operatingTeam", request.Ownership?.OperatingTeam),
                 })
        {
            if (!string.IsNullOrWhiteSpace(value) && !departments.Contains(value)) errors.Add(field, $"unknown department '{value}'");
        }

        if (request.AllowedLinkDomains?.Any(d => string.IsNullOrWhiteSpace(d) || d.Contains('/', StringComparison.Ordinal)) == true)
            errors.Add("allowedLinkDomains", "each entry is a bare domain such as www.example.gov.cn");

        return MoveAsync(user, id, request.Reason, errors, "changed", EventTypes.AccountChanged,
            state => state.Status == AccountStatus.Closed ? "账号已注销 / the account is closed" : null,
            state => state with
            {
                Name = request.Name?.Trim() ?? state.Name,
                Ownership = request.Ownership ?? state.Ownership,
                AllowedLinkDomains = request.AllowedLinkDomains ?? state.AllowedLinkDomains,
            });
    }

    public Task<Results<Ok<AccountsApi.AccountView>, ValidationProblem, ProblemHttpResult>> SuspendAsync(GatewayUser user, string id, AccountStatusRequest request) =>
        MoveAsync(user, id, request.Reason, [], "suspended", EventTypes.AccountSuspended,
            state => state.Status == AccountStatus.Active ? null : $"账号状态为 {state.Status} / only an active account is suspended (it is {state.Status})",
            state => state with { Status = AccountStatus.Suspended });

    public Task<Results<Ok<AccountsApi.AccountView>, ValidationProblem, ProblemHttpResult>> ResumeAsync(GatewayUser user, string id, AccountStatusRequest request) =>
        MoveAsync(user, id, request.Reason, [], "resumed", EventTypes.AccountResumed,
            state => state.Status == AccountStatus.Suspended ? null : $"only a suspended account is resumed (it is {state.Status})",
            state => state with { Status = AccountStatus.Active });

    public async Task<Results<Ok<AccountsApi.AccountView>, ValidationProblem, ProblemHttpResult>> CloseAsync(GatewayUser user, string id, AccountCloseRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(request.ClosureNoticeContentId))
            errors.Add("closureNoticeContentId", "required: the published closure notice (P2)");
        var noticePublished = false;
        if (!string.IsNullOrWhiteSpace(request.ClosureNoticeContentId) && (await contents.GetAsync(request.ClosureNoticeContentId))?.Value is { } notice)
        {
            var publication = await publications.GetAsync(Publication.IdFor(notice.Id, notice.Revision, id));
            noticePublished = notice.Category == ContentCategory.ClosureNotice && publication?.Value.State == PublicationState.Published;
        }

        return await MoveAsync(user, id, request.Reason, errors, "closed", EventTypes.AccountClosed,
            state => state.Status == AccountStatus.Closed ? "账号已注销 / the account is already closed"
                : noticePublished ? null
                : "注销前须先在该账号发布注销公告 / closing requires a closure notice (category ClosureNotice) published on this account first (P2)",
            state => state with { Status = AccountStatus.Closed });
    }

    private async Task<Results<Ok<AccountsApi.AccountView>, ValidationProblem, ProblemHttpResult>> MoveAsync(GatewayUser user, string id, string? reason,
        Dictionary<string, List<string>> errors, string change, string eventType, Func<AccountState, string?> whyNot, Func<AccountState, AccountState> apply)
    {
        if (!user.IsAdministrator) return Problems.Forbidden("只有管理员可以管理账号 / only administrators manage accounts");
        if (string.IsNullOrWhiteSpace(reason)) errors.Add("reason", "required: every change of an account is recorded with its reason (P2)");
        if (errors.Count > 0) return Problems.Invalid(errors);
        var account = registry.Find(id);
        var current = account is null ? null : await store.GetAsync(id);
        if (account is null || current is null) return Problems.NotFound($"no account '{id}'");
        if (whyNot(current.Value) is { } conflict) return Problems.Conflict(conflict);

        var now = time.GetUtcNow();
        var updated = apply(current.Value) with { History = [.. current.Value.History, new AccountChange(now, user.Id, change, reason!.Trim())] };
        var changed = account.WithState(updated);
        var e = events.ForAccount(eventType, changed, new JsonObject { ["change"] = change, ["reason"] = reason.Trim() }) with { Actor = user.Id };
        if (!await store.TryUpdateAsync(id, current, updated, e))
            return Problems.Conflict("账号刚被他人修改，请刷新后重试 / the account was changed at the same moment; try again");
        registry.Apply(id, updated);
        return TypedResults.Ok(AccountsApi.ToView(changed));
    }
}
