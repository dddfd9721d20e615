using System.Text.Json.Nodes;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Publishing;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Accounts;

/// <summary>An administrator's change to an account's record: a reason, and the fields that change.</summary>
public sealed record AccountChangeRequest
{
    public string? Reason { get; init; }
    public string? Name { get; init; }
    public OwnershipRecord? Ownership { get; init; }
    public List<string>? AllowedLinkDomains { get; init; }
}

public sealed record AccountStatusRequest(string? Reason);

/// <summary>Closing an account (P2): a reason and the published closure notice.</summary>
public sealed record AccountCloseRequest(string? Reason, string? ClosureNoticeContentId);

/// <summary>
/// P2 lifecycle, by administrators: opened (from configuration) → changed → suspended ⇄ resumed → closed. Each change
/// is recorded in the account's history and as an event (so in the audit chain and to the departments that see it);
/// closing requires a closure notice published on that account first. Nothing publishes to an account not active.
/// </summary>
public sealed class AccountLifecycle(AccountRegistry registry, AccountStore store, ContentStore contents, PublicationStore publications,
    DepartmentDirectory departments, EventFactory events, TimeProvider time)
{
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
