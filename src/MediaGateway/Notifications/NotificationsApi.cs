using System.Globalization;
using MediaGateway.Auth;
using MediaGateway.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Notifications;

/// <summary>One notice as the API shows it: <see cref="Id"/> orders them (newer is larger) and is what <c>upTo</c> and <c>before</c> take.</summary>
internal sealed record NotificationView(string Id, DateTimeOffset At, string Kind, string? ContentId, string? Title,
    IReadOnlyList<string> AccountIds, int? Level, string? PublicationId, string Message, bool Read);

/// <summary>A page of the caller's notices, newest first; <see cref="NextBefore"/> pages on (null: nothing older).</summary>
internal sealed record NotificationsPage(IReadOnlyList<NotificationView> Items, int Unread, int Total, string? NextBefore);

/// <summary>Marks notices read: up to and including <see cref="UpTo"/> (a notice id), or all of them when absent.</summary>
internal sealed record MarkReadRequest(string? UpTo);

/// <summary>How many of the caller's notices are still unread.</summary>
internal sealed record UnreadCount(int Unread);

/// <summary>
/// GET /api/me/notifications and POST /api/me/notifications/read: the signed-in person's notices (what waits for them,
/// what became of their items, deadlines on accounts they may see), the newest 200 of the last 30 days.
/// </summary>
internal static class NotificationsApi
{
    public const int DefaultTake = 50, MaxTake = NoticeStore.PersonLimit;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/me/notifications").WithTags("Notifications").RequireAuthorization();

        group.MapGet("", async Task<Results<Ok<NotificationsPage>, ValidationProblem>> (NoticeStore store, GatewayUser user, TimeProvider time,
            int? take, string? before) =>
        {
            var errors = new Dictionary<string, List<string>>();
            var size = InputBounds.Take(take, DefaultTake, MaxTake, errors);
            var beforeSeq = Id(before, "before", errors);
            if (errors.Count > 0) return Problems.Invalid(errors);
            var (notices, readUpTo) = await store.PersonAsync(user.Id, time.GetUtcNow());
            var older = beforeSeq is { } b ? notices.Where(n => n.Seq < b).ToList() : notices;
            var page = older.Take(size).Select(n => new NotificationView(n.Seq.ToString(CultureInfo.InvariantCulture), n.At, n.Kind, n.ContentId,
                n.Title, n.AccountIds, n.Level, n.PublicationId, n.Message, n.Seq <= readUpTo)).ToList();
            return TypedResults.Ok(new NotificationsPage(page, notices.Count(n => n.Seq > readUpTo), notices.Count,
                older.Count > size ? page[^1].Id : null));
        }).WithSummary("Your notices, newest first: an item waits for your review level, your item was returned, approved, published, failed "
            + "or needs a decision, a deadline approaches or was missed on accounts you may see. take (1–200, default 50), before (a notice id) "
            + "pages on; unread counts all your notices not yet read. The newest 200 of the last 30 days are kept.");

        group.MapPost("/read", async Task<Results<Ok<UnreadCount>, ValidationProblem>> (MarkReadRequest request, NoticeStore store, GatewayUser user,
            TimeProvider time) =>
        {
            var errors = new Dictionary<string, List<string>>();
            var upTo = Id(request.UpTo, "upTo", errors);
            if (errors.Count > 0) return Problems.Invalid(errors);
            var (notices, _) = await store.PersonAsync(user.Id, time.GetUtcNow());
            // Never past the newest notice there is: "read up to" a later id would mark notices still to come.
            var newest = notices.Count > 0 ? notices.Max(n => n.Seq) : 0;
            var mark = Math.Min(upTo ?? newest, newest);
            if (mark > 0) await store.MarkReadAsync(user.Id, mark);
            var (after, readUpTo) = await store.PersonAsync(user.Id, time.GetUtcNow());
            return TypedResults.Ok(new UnreadCount(after.Count(n => n.Seq > readUpTo)));
        }).WithSummary("Mark your notices read: up to and including upTo (a notice id), or all of them when upTo is absent. Answers how many stay unread.");
        return routes;
    }

    /// <summary>A notice id (the digits the API gave), or an error naming the field.</summary>
    private static long? Id(string? text, string field, Dictionary<string, List<string>> errors)
    {
        if (text is null) return null;
        if (text.Length is > 0 and <= 18 && text.All(char.IsAsciiDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return id;
        }

        errors.Add(field, "not a notice id this API returned / 通知编号无效");
        return null;
    }
}
