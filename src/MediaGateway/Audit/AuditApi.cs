using MediaGateway.OpenApi;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Publishing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Audit;

/// <summary>The registration record (P7): verify the chain, read an item's entries, print its sign-off sheet.</summary>
internal static class AuditApi
{
    internal sealed record AuditEntryView(long Seq, DateTimeOffset At, string Type, string Actor, string? ContentId,
        IReadOnlyList<string> AccountIds, string EventId, System.Text.Json.Nodes.JsonObject Details, string PreviousHash, string Hash);

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Audit").RequireAuthorization();

        group.MapGet("/audit/verify", async Task<Results<Ok<AuditVerification>, ProblemHttpResult>> (AuditLog audit, GatewayUser user, CancellationToken ct) =>
                user.IsAdministrator
                    ? TypedResults.Ok(await audit.VerifyAsync(cancellationToken: ct))
                    : Problems.Forbidden("只有管理员可以校验审计链 / only administrators verify the audit chain"))
            .WithSummary("Verify the audit chain (hashes, signatures, the checkpoints outside Redis) and the items' review records against it; every problem located.")
            .Refuses(StatusCodes.Status403Forbidden);

        group.MapGet("/content/{id}/audit", async Task<Results<Ok<List<AuditEntryView>>, ProblemHttpResult>> (
            string id, ContentStore contents, Accounts.AccountRegistry accounts, AuditLog audit, GatewayUser user) =>
        {
            var item = (await contents.GetAsync(id))?.Value;
            if (item is null || !ContentAccess.CanSee(user, item, accounts)) return Problems.NotFound($"no content item '{id}'");
            return TypedResults.Ok((await audit.ForContentAsync(id)).Select(e => new AuditEntryView(e.Entry.Seq, e.Entry.At, e.Entry.Type,
                e.Entry.Actor, e.Entry.ContentId, e.Entry.AccountIds, e.Entry.EventId, e.Entry.Details, e.Entry.PreviousHash, e.Hash)).ToList());
        }).WithSummary("The item's audit entries, oldest first.")
            .Refuses(StatusCodes.Status404NotFound);

        group.MapGet("/content/{id}/signoff-sheet", async Task<Results<ContentHttpResult, ProblemHttpResult>> (
            string id, ContentStore contents, PublicationStore publications, AuditLog audit, SignOffSheet sheet, Accounts.AccountRegistry accounts, GatewayUser user, CancellationToken ct) =>
        {
            var item = (await contents.GetAsync(id))?.Value;
            if (item is null || !ContentAccess.CanSee(user, item, accounts)) return Problems.NotFound($"no content item '{id}'");
            var pubs = await publications.GetManyAsync(item.Targets.Select(t => Publication.IdFor(item.Id, item.Revision, t)));
            var html = sheet.Render(item, pubs, await audit.ForContentAsync(id), await audit.VerifyAsync(crossCheckItems: false, ct));
            return TypedResults.Content(html, "text/html; charset=utf-8");
        }).WithSummary("The printable sign-off sheet (审签单) as HTML.").Produces<string>(StatusCodes.Status200OK, "text/html")
            .Refuses(StatusCodes.Status404NotFound);
        return routes;
    }
}
