using MediaGateway.OpenApi;
using MediaGateway.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Accounts;

/// <summary>Read access to the accounts a caller's department may see, with their ownership records (never credentials).</summary>
internal static class AccountsApi
{
    internal sealed record AccountView(string Id, string Platform, string Kind, string? PublishMode, int ReviewLevels, string Name, string Status,
        OwnershipRecord Ownership, string? SafeDomain, IReadOnlyList<string> AllowedLinkDomains, string? NotPublishableBecause)
    {
        /// <summary>The dormancy watch: last publication, days silent, stage active / warning (10 days) / closure (3 months).</summary>
        public Deadlines.AccountActivityView? Activity { get; init; }

        /// <summary>Weibo: #话题# may be posted (Accounts:{id}:AllowTopics, decision 45); the compose page says so.</summary>
        public bool AllowsTopics { get; init; }
    }

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/accounts").WithTags("Accounts").RequireAuthorization();
        group.MapGet("/", async (AccountRegistry registry, Deadlines.AccountActivity activity, GatewayUser user) =>
        {
            var visible = registry.All
                .Where(a => user.IsAdministrator || a.IsVisibleTo(user.Department))
                .OrderBy(a => a.Id, StringComparer.Ordinal)
                .ToList();
            var silence = await activity.GetAsync(visible);
            return TypedResults.Ok(visible.Select(a => ToView(a) with { Activity = silence[a.Id] }).ToList());
        });
        group.MapGet("/{id}/history", async Task<Results<Ok<IReadOnlyList<AccountChange>>, ProblemHttpResult>> (
            string id, AccountRegistry registry, AccountStore store, GatewayUser user) =>
        {
            var account = registry.Find(id);
            if (account is null || !(user.IsAdministrator || account.IsVisibleTo(user.Department))) return Hosting.Problems.NotFound($"no account '{id}'");
            return TypedResults.Ok((await store.GetAsync(id))?.Value.History ?? []);
        }).WithSummary("The account's recorded changes (P2): opened, changed, suspended, resumed, closed — who, when, why.")
            .Refuses(StatusCodes.Status404NotFound);
        group.MapPost("/", (OpenAccountRequest request, AccountLifecycle lifecycle, GatewayUser user) =>
            lifecycle.OpenAsync(user, request))
            .WithSummary("Open an account (administrators): the configuration fields, credentials as env:/file: references, full ownership record; one per unit per platform.")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        group.MapPatch("/{id}", (string id, AccountChangeRequest request, AccountLifecycle lifecycle, GatewayUser user) =>
            lifecycle.ChangeAsync(user, id, request)).WithSummary("Change name, ownership record or link allow-list (administrators; reason required).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id}/suspend", (string id, AccountStatusRequest request, AccountLifecycle lifecycle, GatewayUser user) =>
            lifecycle.SuspendAsync(user, id, request)).WithSummary("Suspend: nothing publishes until resumed (administrators; reason required).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id}/resume", (string id, AccountStatusRequest request, AccountLifecycle lifecycle, GatewayUser user) =>
            lifecycle.ResumeAsync(user, id, request)).WithSummary("Resume a suspended account.")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id}/close", (string id, AccountCloseRequest request, AccountLifecycle lifecycle, GatewayUser user) =>
            lifecycle.CloseAsync(user, id, request)).WithSummary("Close, after a closure notice was published on the account (P2).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return routes;
    }

    public static AccountView ToView(Account a) => new(a.Id, a.Platform.ToString(), a.Kind.ToString(),
        a.Platform == MediaGateway.Platforms.Platform.WeChat ? a.PublishMode.ToString() : null, a.ReviewLevels, a.Name,
        a.Status.ToString(), a.Ownership, a.SafeDomain, a.AllowedLinkDomains, a.WhyNotPublishable()) { AllowsTopics = a.AllowsTopics };
}
