using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Publishing;
using MediaGateway.Rules;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Review;

/// <summary>
/// The three-level review (P3–P6): 初审 → 审核 → 审发, each by a different person who is not the author,
/// each attesting the secrecy check. The third approval creates one publication per target account and
/// queues it in the same Redis transaction that marks the item approved.
/// </summary>
public sealed class ReviewWorkflow(ContentStore store, PublicationStore publications, AccountRegistry accounts,
    EventFactory events, TimeProvider time)
{
    public async Task<Results<Ok<ContentView>, ValidationProblem, ProblemHttpResult>> DecideAsync(GatewayUser reviewer, string contentId, ReviewRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        if (request.Decision is null) errors.Add("decision", "required: approve or reject");
        if (request.Decision == ReviewDecision.Approve && !request.SecrecyAttested)
            errors.Add("secrecyAttested", "must be true to approve: attest that the secrecy review (保密审查) was done (P6)");
        if (request.Decision == ReviewDecision.Reject && string.IsNullOrWhiteSpace(request.Comment))
            errors.Add("comment", "required when rejecting: tell the author what to change");
        if (errors.Count > 0) return Problems.Invalid(errors);

        if (!reviewer.Has(Role.Reviewer) || reviewer.ReviewLevel is not { } level)
            return Problems.Forbidden("只有审核人员可以审核 / only reviewers decide on items");

        var current = await store.GetAsync(contentId);
        if (current is null) return Problems.NotFound($"no content item '{contentId}'");
        var item = current.Value;

        if (!item.Targets.All(t => accounts.Find(t)?.IsVisibleTo(reviewer.Department) == true))
            return Problems.Forbidden($"审核人所在部门 {reviewer.Department} 不负责该内容的账号 / reviewer's unit does not cover every target account of this item");
        if (item.CreatedBy == reviewer.Id)
            return Problems.Forbidden("作者不能审核自己的内容 / the author never reviews their own item (P5)");
        if (item.Status != ContentStatus.InReview)
            return Problems.Conflict(item.Status == ContentStatus.ChangesRequired
                ? "自动审查发现阻断性问题，须先修改 / automated rules found blocking issues; the item cannot be decided until changed"
                : $"内容状态为 {item.Status}，不能再审核 / the item is {item.Status.ToString().ToLowerInvariant()}; only items in review can be decided");
        if (item.Reviews.Any(r => r.ReviewerId == reviewer.Id))
            return Problems.Conflict("同一人不能审核同一内容的两个级别 / you already reviewed this item at another level; each level is a different person (P5)");
        if (item.NextReviewLevel != level)
            return Problems.Conflict($"该内容等待{ContentItem.LevelName(item.NextReviewLevel)}，你的审核级别是{ContentItem.LevelName(level)} / the item awaits level {item.NextReviewLevel}; you review at level {level}");
        if (request.Fingerprints is not null && !SameFingerprints(request.Fingerprints, item.Fingerprints))
            return Problems.Conflict("内容在你审阅后已变化，请重新审阅 / the item changed since you looked at it; review it again");
        if (request.Decision == ReviewDecision.Approve && item.Findings.Any(f => f.Severity == Severity.Block))
            return Problems.Conflict("存在阻断性审查发现 / blocking rule findings prevent approval");

        var now = time.GetUtcNow();
        var record = new ReviewRecord
        {
            Level = level, ReviewerId = reviewer.Id, ReviewerName = reviewer.Name, Decision = request.Decision!.Value,
            Comment = request.Comment, SecrecyAttested = request.SecrecyAttested, At = now, Fingerprints = item.Fingerprints,
        };
        var reviews = item.Reviews.Append(record).ToList();
        var decided = events.ForContent(EventTypes.ReviewDecided, item, reviewer.Id, new JsonObject
        {
            ["review"] = new JsonObject
            {
                ["level"] = level, ["decision"] = record.Decision.ToString(), ["reviewer"] = reviewer.Id, ["comment"] = record.Comment,
                ["secrecyAttested"] = record.SecrecyAttested,
            },
        });

        ContentItem updated;
        List<GatewayEvent> emitted = [decided];
        Action<StackExchange.Redis.ITransaction>? queue = null;
        if (record.Decision == ReviewDecision.Reject)
        {
            updated = item with { Reviews = reviews, Status = ContentStatus.Rejected };
            emitted.Add(events.ForContent(EventTypes.ContentRejected, updated, reviewer.Id));
        }
        else if (level < ContentItem.ReviewLevels)
        {
            updated = item with { Reviews = reviews };
            emitted.Add(events.ForContent(EventTypes.ReviewRequested, updated, reviewer.Id, new JsonObject { ["level"] = level + 1 }));
        }
        else
        {
            updated = item with { Reviews = reviews, Status = ContentStatus.Approved };
            emitted.Add(events.ForContent(EventTypes.ContentApproved, updated, reviewer.Id));
            var newPublications = updated.Targets.Select(t => NewPublication(updated, t, now)).ToList();
            queue = tx => newPublications.ForEach(p => publications.AddNew(tx, p));
        }

        if (!await store.TryUpdateAsync(current, updated, emitted, queue))
            return Problems.Conflict("该内容刚被他人修改，请刷新后重试 / the item was changed by someone else at the same moment; reload and decide again");

        var pubs = updated.Status == ContentStatus.Approved
            ? await publications.GetManyAsync(updated.Targets.Select(t => Publication.IdFor(updated.Id, updated.Revision, t)))
            : [];
        return TypedResults.Ok(ContentView.From(updated, pubs));
    }

    private Publication NewPublication(ContentItem item, string accountId, DateTimeOffset now)
    {
        var account = accounts.Find(accountId)!;
        var later = item.PublishAt is { } at && at > now;
        return new Publication
        {
            Id = Publication.IdFor(item.Id, item.Revision, accountId),
            ContentId = item.Id,
            Revision = item.Revision,
            AccountId = accountId,
            Platform = account.Platform,
            ApprovedFingerprint = item.Fingerprints[accountId],
            State = later ? PublicationState.Scheduled : PublicationState.Queued,
            DueAt = later ? item.PublishAt : null,
            CreatedAt = now,
        }.With(now, later ? $"scheduled for {item.PublishAt:O}" : "queued after approval");
    }

    private static bool SameFingerprints(Dictionary<string, string> seen, IReadOnlyDictionary<string, string> current) =>
        seen.Count == current.Count && seen.All(kv => current.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
