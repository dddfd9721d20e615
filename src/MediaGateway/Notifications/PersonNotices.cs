using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Webhooks;

namespace MediaGateway.Notifications;

/// <summary>
/// One notice in a person's list (GET /api/me/notifications). <see cref="Seq"/> is the audit entry that caused it (its id
/// in the API, and its order); <see cref="Kind"/> says what happened, <see cref="Message"/> says it in Chinese for API
/// clients (the console words it from the kind and shows names). Titles and ids only: no secret, no personal data.
/// </summary>
internal sealed record PersonNotice(long Seq, DateTimeOffset At, string Kind, string? ContentId, string? Title,
    IReadOnlyList<string> AccountIds, string Message)
{
    /// <summary>The review level that waits (kind reviewRequested).</summary>
    public int? Level { get; init; }

    /// <summary>The publication concerned (kinds published, failed, needsDecision, missed).</summary>
    public string? PublicationId { get; init; }
}

/// <summary>
/// Who is told what in the console, from an audit entry (the same events the robots follow):
/// <list type="bullet">
/// <item>reviewRequested — reviewers at the level that waits whose department may see every account of the item (not its author);</item>
/// <item>returned, approved, published, failed, needsDecision, missed — the item's author;</item>
/// <item>deadlineApproaching, deadlineMissed — the author, and operators, reviewers and departments who may see every account of the item.</item>
/// </list>
/// Pure: the users and accounts in force are passed in.
/// </summary>
internal static class PersonNotices
{
    public const string ReviewRequested = "reviewRequested", Returned = "returned", Approved = "approved", Published = "published",
        Failed = "failed", NeedsDecision = "needsDecision", Missed = "missed", DeadlineApproaching = "deadlineApproaching", DeadlineMissed = "deadlineMissed";

    public static readonly IReadOnlyList<string> Kinds =
        [ReviewRequested, Returned, Approved, Published, Failed, NeedsDecision, Missed, DeadlineApproaching, DeadlineMissed];

    public static IReadOnlyList<(string User, PersonNotice Notice)> For(Audit.AuditEntry entry, IEnumerable<GatewayUser> users, AccountRegistry accounts)
    {
        var data = entry.Details;
        var kind = KindOf(entry.Type, data);
        if (kind is null) return [];
        var author = Text(data["content"]?["createdBy"]);
        var title = Text(data["content"]?["title"]) ?? Text(data["title"]);
        var level = data["level"] is JsonValue l && l.TryGetValue<int>(out var n) ? n : (int?)null;
        var publication = data["publication"] as JsonObject;
        var notice = new PersonNotice(entry.Seq, entry.At, kind, entry.ContentId ?? Text(data["content"]?["id"]), title, entry.AccountIds,
            MessageFor(kind, title, level))
        {
            Level = kind == ReviewRequested ? level : null,
            PublicationId = Text(publication?["id"]),
        };

        bool SeesAll(GatewayUser u) => entry.AccountIds.Count > 0 && accounts.AllVisibleTo(entry.AccountIds, u.Department);
        var recipients = kind switch
        {
            ReviewRequested => users.Where(u => u.Has(Role.Reviewer) && u.ReviewLevel == level && u.Id != author && SeesAll(u)).Select(u => u.Id),
            DeadlineApproaching or DeadlineMissed => users
                .Where(u => u.Id == author || (u.Has(Role.Operator) || u.Has(Role.Reviewer) || u.Has(Role.Department)) && SeesAll(u))
                .Select(u => u.Id),
            _ => author is null ? [] : (IEnumerable<string>)[author],
        };
        return [.. recipients.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(u => (u, notice))];
    }

    /// <summary>The kind of notice an event is, or null for events nobody is told about in the list.</summary>
    private static string? KindOf(string type, JsonObject data) => type switch
    {
        EventTypes.ReviewRequested => ReviewRequested,
        EventTypes.ContentRejected => Returned,
        EventTypes.ContentApproved => Approved,
        EventTypes.PublicationSucceeded => Published,
        EventTypes.PublicationFailed => Failed,
        // A dead letter that failed was already told as failed; one that stopped to ask a person is told here.
        EventTypes.PublicationDeadLettered when Text(data["publication"]?["status"]) == "needsDecision"
            || Text(data["publication"]?["state"]) == "needsDecision" => NeedsDecision,
        EventTypes.PublicationMissed => Missed,
        EventTypes.DeadlineApproaching => DeadlineApproaching,
        EventTypes.DeadlineMissed => DeadlineMissed,
        _ => null,
    };

    private static string MessageFor(string kind, string? title, int? level)
    {
        var t = title is { Length: > 0 } ? $"《{title}》" : "稿件";
        return kind switch
        {
            ReviewRequested => $"{t}等待你审核（第 {level} 级）",
            Returned => $"{t}被退回，请修改后重新提交",
            Approved => $"{t}已通过审核",
            Published => $"{t}已发布",
            Failed => $"{t}发布失败，需要处理",
            NeedsDecision => $"{t}待人工确认",
            Missed => $"{t}错过定时发布，需要决定是否补发",
            DeadlineApproaching => $"{t}即将到期，请尽快处理",
            _ => $"{t}已超过发布时限",
        };
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
