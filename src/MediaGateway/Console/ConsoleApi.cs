using MediaGateway.OpenApi;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.WebConsole;

/// <summary>
/// The few read and preview routes the console needs beside the rest of the API. They are ordinary API routes
/// (bearer token, same scope checks): the console has no route of its own that the API lacks.
/// </summary>
internal static class ConsoleApi
{
    /// <summary>Who the caller is, as configured (never the credential).</summary>
    internal sealed record MeView(string Id, string Name, string Department, IReadOnlyList<string> Roles, int? ReviewLevel)
    {
        /// <summary>The department's name (the console shows names, the id only on hover).</summary>
        public string? DepartmentName { get; init; }
    }

    /// <summary>
    /// The names behind the ids other answers carry (decision 39): people and units of the organisation, and the
    /// accounts the caller may see, each id → its display name. The console shows names and keeps ids for tooltips.
    /// </summary>
    internal sealed record NamesView(IReadOnlyDictionary<string, string> People, IReadOnlyDictionary<string, string> Units,
        IReadOnlyDictionary<string, AccountName> Accounts);

    /// <summary>An account's name and platform (WeChat, Weibo).</summary>
    internal sealed record AccountName(string Name, string Platform);

    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Console").RequireAuthorization();

        group.MapGet("/me", (GatewayUser user, Accounts.DepartmentDirectory departments) =>
        {
            return TypedResults.Ok(new MeView(user.Id, user.Name, user.Department,
                user.Roles.Select(r => r.ToString()).Order(StringComparer.Ordinal).ToList(), user.ReviewLevel)
            {
                DepartmentName = departments.NameOf(user.Department),
            });
        }).WithSummary("The signed-in user: id, name, department (id and name), roles and review level.");

        group.MapGet("/names", (GatewayUser user, UserDirectory users, Accounts.DepartmentDirectory departments, Accounts.AccountRegistry accounts) =>
            TypedResults.Ok(new NamesView(
                users.All.ToDictionary(u => u.Id, u => u.Name, StringComparer.Ordinal),
                departments.All,
                accounts.All.Where(a => user.IsAdministrator || a.IsVisibleTo(user.Department))
                    .ToDictionary(a => a.Id, a => new AccountName(a.Name, a.Platform.ToString()), StringComparer.Ordinal))))
            .WithSummary("Display names for the ids in other answers: people, units, and the accounts the caller may see (id → name).");

        group.MapPost("/drafts/render", (SubmitContentRequest request, ContentPreview preview, GatewayUser user) =>
                preview.Preview(user, request))
            .WithSummary("Render a draft for its target accounts (WeChat article, Weibo post) and run the rules; nothing is stored.")
            .Refuses(StatusCodes.Status403Forbidden);

        group.MapGet("/content/{id}/revisions/{revision:int}", async Task<Results<Ok<ContentView>, ProblemHttpResult>> (
            string id, int revision, ContentStore store, Accounts.AccountRegistry accounts, GatewayUser user, TimeProvider time) =>
        {
            var current = (await store.GetAsync(id))?.Value;
            if (current is null || !ContentAccess.CanSee(user, current, accounts))
            {
                return Problems.NotFound($"no content item '{id}'");
            }

            var item = revision == current.Revision ? current : await store.GetRevisionAsync(id, revision);
            return item is null
                ? Problems.NotFound($"no revision {revision} of '{id}' is kept (revisions are kept from the first edit on)")
                : TypedResults.Ok(ContentView.From(item, [], time.GetUtcNow()));
        }).WithSummary("An earlier revision of an item as it was when it was replaced (for the reviewer's diff).")
            .Refuses(StatusCodes.Status404NotFound);

        group.MapGet("/content/{id}/preview", async Task<Results<Ok<ItemPreviewView>, ProblemHttpResult>> (
            string id, int? revision, ContentStore store, Accounts.AccountRegistry accounts, ContentPreview preview, GatewayUser user) =>
        {
            var current = (await store.GetAsync(id))?.Value;
            if (current is null || !ContentAccess.CanSee(user, current, accounts))
            {
                return Problems.NotFound($"no content item '{id}'");
            }

            var item = revision is null || revision == current.Revision ? current : await store.GetRevisionAsync(id, revision.Value);
            return item is null
                ? Problems.NotFound($"no revision {revision} of '{id}' is kept (revisions are kept from the first edit on)")
                : TypedResults.Ok(preview.ForItem(item));
        }).WithSummary("What each account will receive for an item (or a kept revision): the WeChat article with the length a follower reads, the Weibo post with the length Weibo counts.")
            .Refuses(StatusCodes.Status404NotFound);

        group.MapGet("/content/{id}/media/{mediaId}", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (
            string id, string mediaId, ContentStore store, MediaStore media, Accounts.AccountRegistry accounts, GatewayUser user) =>
        {
            // Only an image the item shows (cover or body), only to someone who may see the item.
            var item = (await store.GetAsync(id))?.Value;
            if (item is null || !ContentAccess.CanSee(user, item, accounts) || !ContentPreview.Shows(item, mediaId)
                || await media.ReadAsync(mediaId) is not { } stored)
            {
                return Problems.NotFound($"no image '{mediaId}' in content item '{id}'");
            }

            return TypedResults.File(stored.Bytes, stored.Info.ContentType);
        }).WithSummary("An image the item shows (its cover or a body image), for the reviewer's preview.")
            .Refuses(StatusCodes.Status404NotFound);
        return routes;
    }
}
