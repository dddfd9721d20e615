using MediaGateway.OpenApi;
using MediaGateway.Auth;
using MediaGateway.Hosting;
using MediaGateway.Publishing;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Content;

/// <summary>Operators submit and track items; everyone in scope reads them.</summary>
internal static class ContentApi
{
    internal sealed record MediaView(string Id, string FileName, string ContentType, string Sha256, long Size, string Reference);

    /// <summary>GET /api/content: page size bounds.</summary>
    public const int ListDefault = 50, ListMax = 500;

    public static IEndpointRouteBuilder MapContentApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Content").RequireAuthorization();

        group.MapPost("/media", UploadMediaAsync).DisableAntiforgery()
            .WithSummary("Upload an image (multipart field 'file'); reference it as media:ID in the body or as coverMediaId.")
            .Refuses(StatusCodes.Status403Forbidden);

        group.MapPost("/content", (SubmitContentRequest request, ContentSubmission submission, GatewayUser user) =>
                submission.SubmitAsync(user, request))
            .WithSummary("Submit an item for review. Rules run at once; the item waits for 初审 (level 1).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);

        group.MapGet("/content", async Task<Results<Ok<List<ContentView>>, ValidationProblem>> (ContentStore store, PublicationStore publications,
            Accounts.AccountRegistry accounts, Deadlines.DeadlineViews deadlines, TimeProvider time, GatewayUser user, [Range(1, ListMax)] int? take) =>
        {
            if (InputBounds.TakeProblem(take, ListDefault, ListMax, out var count) is { } invalid) return invalid;
            var items = await store.ListAsync(count);
            var now = time.GetUtcNow();
            var views = new List<ContentView>();
            foreach (var i in items.Where(i => ContentAccess.CanSee(user, i, accounts)))
            {
                // Only approved items have publications (a withdrawn one may have cancelled ones): read them for the roll-up.
                var pubs = i.Status is ContentStatus.Approved or ContentStatus.Withdrawn
                    ? await publications.GetManyAsync(i.Targets.Select(t => Publication.IdFor(i.Id, i.Revision, t)))
                    : [];
                views.Add(ContentView.From(i, [], pubs, now) with { Deadline = deadlines.For(i, pubs) });
            }

            return TypedResults.Ok(views);
        }).WithSummary("Recent items the caller may see (without publications, with their roll-up publicationStatus).");

        group.MapGet("/content/search", async Task<Results<Ok<ContentSearchPage>, ValidationProblem>> (ContentSearch search, GatewayUser user,
            string? q, string? state, string? account, string? unit, string? category, string? deadline, string? from, string? to, int? take, string? cursor, string? createdBy) =>
        {
            var dayErrors = new Dictionary<string, List<string>>();
            var query = new ContentSearchQuery(q, state, account, unit, category, deadline,
                ContentSearch.Day(from, "from", dayErrors), ContentSearch.Day(to, "to", dayErrors), take, cursor, createdBy);
            var errors = ContentSearch.Validate(query);
            foreach (var (field, reasons) in dayErrors) errors.TryAdd(field, reasons);
            return errors.Count > 0 ? Problems.Invalid(errors) : TypedResults.Ok(await search.SearchAsync(user, query));
        }).WithSummary("Search the items the caller may see, newest first: q (substring of title, summary or body, Chinese included), "
            + "createdBy (a user id), state (review status or publication status), account, unit (the author's department), category, deadline (a deadline state, open or none), "
            + "from/to (creation day, China time), take; nextCursor pages on. One request looks at most at "
            + "2000 index entries (partial: true when that bound ended it before the page was full).");

        group.MapGet("/me/waiting", (ContentSearch search, GatewayUser user) => search.WaitingAsync(user))
            .WithSummary("What waits for the caller, for the console's badges: review (items at your review level you may decide), "
                + "decisions (failed publications and publications needing a decision, on your unit's items), deadlines (items you hold whose "
                + "deadline is approaching or missed); counted over the newest 2000 items (partial: true when there are more).");

        group.MapGet("/content/{id}", GetAsync).WithSummary("An item with its findings, reviews, publications and what you may do next (allowedActions).")
            .Refuses(StatusCodes.Status404NotFound);

        group.MapPut("/content/{id}", (string id, SubmitContentRequest request, ContentSubmission submission, GatewayUser user) =>
                submission.ReviseAsync(user, id, request))
            .WithSummary("Edit an item not yet approved: a new revision, rules run again, earlier approvals void, review starts over (P3).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        group.MapPost("/content/{id}/withdraw", (string id, WithdrawRequest request, ContentWithdrawal withdrawal, GatewayUser user) =>
                withdrawal.WithdrawAsync(user, id, request))
            .WithSummary("Withdraw an item before anything reached a platform (reason required).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Results<Ok<ContentView>, ProblemHttpResult>> GetAsync(string id, ContentStore store,
        PublicationStore publications, Accounts.AccountRegistry accounts, Deadlines.DeadlineViews deadlines, TimeProvider time, GatewayUser user)
    {
        var item = (await store.GetAsync(id))?.Value;
        if (item is null || !ContentAccess.CanSee(user, item, accounts))
        {
            return Problems.NotFound($"no content item '{id}'");
        }

        var pubs = await publications.GetManyAsync(item.Targets.Select(t => Publication.IdFor(item.Id, item.Revision, t)));
        var actions = ContentActions.For(user, item, accounts, pubs);
        var deadline = deadlines.For(item, pubs);
        return TypedResults.Ok(ContentView.From(item, pubs, time.GetUtcNow()) with { AllowedActions = actions, Deadline = deadline });
    }

    private static async Task<Results<Created<MediaView>, ValidationProblem, ProblemHttpResult>> UploadMediaAsync(IFormFile? file, MediaStore media, GatewayUser user)
    {
        if (!user.Has(Role.Operator) && !user.IsAdministrator)
        {
            return Problems.Forbidden("只有运营人员可以上传图片 / only operators upload images");
        }

        var errors = new Dictionary<string, List<string>>();
        if (file is null || file.Length == 0)
        {
            errors.Add("file", "a non-empty multipart field 'file' is required");
            return Problems.Invalid(errors);
        }

        if (file.Length > MediaStore.MaxBytes)
        {
            errors.Add("file", $"at most {MediaStore.MaxBytes / 1024 / 1024} MB");
            return Problems.Invalid(errors);
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        var type = MediaStore.SniffImageType(bytes);
        if (type is not (Platforms.ImageTypes.Jpeg or Platforms.ImageTypes.Png or Platforms.ImageTypes.Gif))
        {
            errors.Add("file", "not a JPEG, PNG or GIF image");
            return Problems.Invalid(errors);
        }

        var stored = await media.SaveAsync(Path.GetFileName(file.FileName), type, bytes);
        return TypedResults.Created($"/api/media/{stored.Id}",
            new MediaView(stored.Id, stored.FileName, stored.ContentType, stored.Sha256, stored.Size, ContentRenderer.MediaReference(stored.Id)));
    }
}

/// <summary>Who may see an item: its author's department, and departments that may see every target account.</summary>
internal static class ContentAccess
{
    public static bool CanSee(GatewayUser user, ContentItem item, Accounts.AccountRegistry accounts)
    {
        if (user.IsAdministrator || user.Department == item.Department)
        {
            return true;
        }

        return accounts.AllVisibleTo(item.Targets, user.Department);
    }
}
