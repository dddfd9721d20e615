using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Publishing;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Condition = StackExchange.Redis.Condition;

namespace MediaGateway.Review;

public sealed record RetractionRequest(string? Reason);

public sealed record RetractionDecisionRequest(ReviewDecision? Decision, string? Comment);

/// <summary>
/// Retraction after publishing: the item's department asks, with a reason; a reviewer at the sign-off level (审发)
/// who did not ask decides; on approval every published post is queued for deletion on its platform, in the same
/// transaction that records the decision.
/// </summary>
public sealed class RetractionWorkflow(ContentStore store, PublicationStore publications, AccountRegistry accounts, RedisKeys keys,
    EventFactory events, TimeProvider time)
{
    public async Task<Results<Ok<ContentView>, ValidationProblem, ProblemHttpResult>> RequestAsync(GatewayUser user, string id, RetractionRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Reason)) return Problems.Invalid(new() { ["reason"] = ["required: why the published item is taken down"] });
        var current = await store.GetAsync(id);
        if (current is null) return Problems.NotFound($"no content item '{id}'");
        var item = current.Value;
        if (!((user.Has(Role.Operator) && user.Department == item.Department) || user.IsAdministrator))
            return Problems.Forbidden("只有该内容所属部门的运营人员可以申请撤销 / only operators of the item's department ask for a retraction");
        var published = await PublishedAsync(item);
        if (published.Count == 0) return Problems.Conflict("没有已发布的内容可撤销 / nothing of this item is published; withdraw it instead");
        if (item.Retraction?.Status == RetractionStatus.Requested) return Problems.Conflict("撤销申请已在审核中 / a retraction request is already waiting for sign-off");

        var updated = item with { Retraction = new Retraction { Reason = request.Reason!.Trim(), RequestedBy = user.Id, RequestedAt = time.GetUtcNow() } };
        var requested = events.ForContent(EventTypes.RetractionRequested, updated, user.Id, new JsonObject { ["reason"] = updated.Retraction.Reason });
        return await store.TryUpdateAsync(current, updated, [requested])
            ? TypedResults.Ok(ContentView.From(updated, published.Select(p => p.Value).ToList()))
            : Problems.Conflict("该内容刚被他人修改，请刷新后重试 / the item was changed at the same moment; try again");
    }

    public async Task<Results<Ok<ContentView>, ValidationProblem, ProblemHttpResult>> DecideAsync(GatewayUser reviewer, string id, RetractionDecisionRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        if (request.Decision is null) errors.Add("decision", "required: approve or reject");
        if (request.Decision == ReviewDecision.Reject && string.IsNullOrWhiteSpace(request.Comment)) errors.Add("comment", "required when rejecting");
        if (errors.Count > 0) return Problems.Invalid(errors);

        var current = await store.GetAsync(id);
        if (current is null) return Problems.NotFound($"no content item '{id}'");
        var item = current.Value;
        if (!reviewer.Has(Role.Reviewer) || reviewer.ReviewLevel != item.RequiredLevels)
            return Problems.Forbidden($"撤销须经审发级审核 / a retraction is decided at the sign-off level (审发, level {item.RequiredLevels})");
        if (!item.Targets.All(t => accounts.Find(t)?.IsVisibleTo(reviewer.Department) == true))
            return Problems.Forbidden("审核人所在部门不负责该内容的账号 / reviewer's unit does not cover every target account of this item");
        if (item.Retraction is not { Status: RetractionStatus.Requested } asked)
            return Problems.Conflict("没有待审核的撤销申请 / there is no retraction request waiting");
        if (asked.RequestedBy == reviewer.Id)
            return Problems.Forbidden("申请人不能审核自己的撤销申请 / the person who asked does not decide");

        var now = time.GetUtcNow();
        var approve = request.Decision == ReviewDecision.Approve;
        var updated = item with
        {
            Retraction = asked with
            {
                Status = approve ? RetractionStatus.Approved : RetractionStatus.Rejected, DecidedBy = reviewer.Id, DecidedAt = now, Comment = request.Comment,
            },
        };
        var published = approve ? await PublishedAsync(item) : [];
        var queued = published.Select(p => p.Value.With(now, $"retraction approved by {reviewer.Id}") with { Retraction = RetractionState.Queued, RetractAttempts = 0 }).ToList();
        var decided = events.ForContent(EventTypes.RetractionDecided, updated, reviewer.Id, new JsonObject
        {
            ["decision"] = request.Decision.ToString(), ["comment"] = request.Comment,
        });
        var saved = await store.TryUpdateAsync(current, updated, [decided], tx =>
        {
            foreach (var (before, after) in published.Zip(queued))
            {
                tx.AddCondition(Condition.StringEqual(keys.Publication(after.Id), before.StoredJson));
                _ = tx.StringSetAsync(keys.Publication(after.Id), Json.Serialize(after));
                _ = tx.StreamAddAsync(keys.PublishStream, "pub", after.Id);
            }
        });
        return saved
            ? TypedResults.Ok(ContentView.From(updated, queued))
            : Problems.Conflict("该内容或发布状态刚有变化，请刷新后重试 / the item or a publication changed at the same moment; try again");
    }

    private async Task<List<Versioned<Publication>>> PublishedAsync(ContentItem item)
    {
        var result = new List<Versioned<Publication>>();
        foreach (var target in item.Targets)
        {
            if (await publications.GetAsync(Publication.IdFor(item.Id, item.Revision, target)) is { Value: { State: PublicationState.Published, Retraction: null or RetractionState.Failed } } pub)
            {
                result.Add(pub);
            }
        }

        return result;
    }
}
