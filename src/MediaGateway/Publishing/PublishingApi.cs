using MediaGateway.OpenApi;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Publishing;

internal sealed record GlobalPauseRequest(bool? Paused, [property: MultiLineText] string? Reason);

internal sealed record AccountPauseRequest([property: MultiLineText] string? Reason);

/// <summary>Publications, the dead-letter list with re-drive, and the pause switches (global and per account).</summary>
internal static class PublishingApi
{
    /// <summary>GET /api/publications/dead-letters: page size bounds.</summary>
    public const int DeadLettersDefault = 100, DeadLettersMax = 1000;

    public static IEndpointRouteBuilder MapPublishingApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Publishing").RequireAuthorization();

        group.MapGet("/publications/dead-letters", async Task<Results<Ok<List<PublicationView>>, ValidationProblem>> (
                DeadLetters deadLetters, GatewayUser user, TimeProvider time, [Range(1, DeadLettersMax)] int? take) =>
                InputBounds.TakeProblem(take, DeadLettersDefault, DeadLettersMax, out var count) is { } invalid
                    ? invalid
                    : TypedResults.Ok((await deadLetters.ListAsync(user, count)).Select(p => PublicationView.From(p, time.GetUtcNow())).ToList()))
            .WithSummary("Publications that failed in a way a person can fix (retries exhausted, credentials, configuration) — newest first, accounts you may see.");

        group.MapGet("/publications/{id}", async Task<Results<Ok<PublicationView>, ProblemHttpResult>> (
            string id, PublicationStore store, AccountRegistry accounts, GatewayUser user, TimeProvider time) =>
        {
            var p = (await store.GetAsync(id))?.Value;
            return p is not null && (user.IsAdministrator || accounts.Find(p.AccountId)?.IsVisibleTo(user.Department) == true)
                ? TypedResults.Ok(PublicationView.From(p, time.GetUtcNow()))
                : Problems.NotFound($"no publication '{id}'");
        }).WithSummary("One publication: state, lane, schedule, platform id and URL or the failure in plain words, its history.")
            .Refuses(StatusCodes.Status404NotFound);

        group.MapPost("/publications/{id}/redrive", (string id, RedriveRequest request, DeadLetters deadLetters, GatewayUser user) =>
                deadLetters.RedriveAsync(user, id, request))
            .WithSummary("Send a dead-lettered or missed publication through again (operators of the account's department, administrators; reason required).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        group.MapGet("/pauses", async (PublishingControl control, AccountRegistry accounts, GatewayUser user) =>
        {
            return TypedResults.Ok(await control.OverviewAsync(accounts.All.Where(a => user.IsAdministrator || a.IsVisibleTo(user.Department)).ToList()));
        }).WithSummary("What is paused now: the global switch, and each account paused by a person or held by the gateway until its platform window reopens.");

        group.MapPost("/pauses/global", async Task<Results<Ok<PauseOverview>, ValidationProblem, ProblemHttpResult>> (
            GlobalPauseRequest request, PublishingControl control, AccountRegistry accounts, GatewayUser user) =>
        {
            if (!user.IsAdministrator) return Problems.Forbidden("只有管理员可以暂停全部发布 / only administrators pause all publishing");
            if (Invalid(request.Reason, request.Paused is null ? "paused" : null) is { } invalid) return invalid;
            var changed = request.Paused!.Value
                ? await control.PauseAsync(null, user.Id, request.Reason!.Trim())
                : await control.ResumeAsync(null, user.Id, request.Reason!.Trim());
            if (!changed) return Problems.Conflict(request.Paused.Value ? "全部发布已处于暂停 / publishing is already paused" : "全部发布未暂停 / publishing is not paused");
            return TypedResults.Ok(await control.OverviewAsync(accounts.All.ToList()));
        }).WithSummary("Pause ({paused: true}) or resume all publishing at once (administrators; reason required; audited).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);

        group.MapPost("/accounts/{id}/pause", (string id, AccountPauseRequest request, PublishingControl control, AccountRegistry accounts, GatewayUser user) =>
                SwitchAsync(id, request, pause: true, control, accounts, user))
            .WithSummary("Pause publishing on one account (administrators, its department; reason required; audited).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/accounts/{id}/unpause", (string id, AccountPauseRequest request, PublishingControl control, AccountRegistry accounts, GatewayUser user) =>
                SwitchAsync(id, request, pause: false, control, accounts, user))
            .WithSummary("Lift an account's pause, or a hold the gateway put on it after a quota or rate error (try again now).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Results<Ok<PauseOverview>, ValidationProblem, ProblemHttpResult>> SwitchAsync(
        string id, AccountPauseRequest request, bool pause, PublishingControl control, AccountRegistry accounts, GatewayUser user)
    {
        var account = accounts.Find(id);
        if (account is null || !(user.IsAdministrator || account.IsVisibleTo(user.Department))) return Problems.NotFound($"no account '{id}'");
        if (!user.IsAdministrator && !user.Has(Role.Department) && !user.Has(Role.Operator))
            return Problems.Forbidden("只有管理员、账号所属部门或运营人员可以暂停账号发布 / only administrators, the account's department and its operators pause it");
        if (Invalid(request.Reason, null) is { } invalid) return invalid;
        var changed = pause
            ? await control.PauseAsync(account, user.Id, request.Reason!.Trim())
            : await control.ResumeAsync(account, user.Id, request.Reason!.Trim());
        if (!changed) return Problems.Conflict(pause ? $"账号 {id} 已暂停 / account '{id}' is already paused" : $"账号 {id} 未暂停 / account '{id}' is neither paused nor held");
        return TypedResults.Ok(await control.OverviewAsync([account]));
    }

    private static ValidationProblem? Invalid(string? reason, string? missingField)
    {
        var errors = new Dictionary<string, List<string>>();
        if (missingField is not null) errors.Add(missingField, "is required (true to pause, false to resume)");
        if (string.IsNullOrWhiteSpace(reason)) errors.Add("reason", "a reason is required: it is recorded in the audit log");
        else if (reason.Length > 500) errors.Add("reason", "at most 500 characters");
        return errors.Count > 0 ? Problems.Invalid(errors) : null;
    }
}
