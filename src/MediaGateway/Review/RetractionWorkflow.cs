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

internal sealed record RetractionRequest([property: MultiLineText] string? Reason);

internal sealed record RetractionDecisionRequest(ReviewDecision? Decision, [property: MultiLineText] string? Comment);

/// <summary>
/// Retraction after publishing: the item's department asks, with a reason; a reviewer at the sign-off level (审发)
/// who did not ask decides; on approval every published post is queued for deletion on its platform, in the same
/// transaction that records the decision.
/// </summary>
internal sealed class RetractionWorkflow(ContentStore store, PublicationStore publications, AccountRegistry accounts, RedisKeys keys,
    EventFactory events, TimeProvider time)
{
    public async Task<Results<Ok<ContentView>, ValidationProblem, ProblemHttpResult>> RequestAsync(GatewayUser user, string id, RetractionRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Reason)) return Problems.Invalid(new() { ["reason"] = ["required: why the published item is taken down"] });
        var current = await store.GetAsync(id);
        if (current is null) return Problems.NotFound($"no content item '{id}'");
        var item = current.Value;
        var published = await PublishedAsync(item);
        if (ContentActions.WhyCannotRequestRetraction(user, item, published.Select(p => p.Value).ToList()) is { } refusal) return refusal;

        var updated = item with { Retraction = new Retraction { Reason = request.Reason!.Trim(), RequestedBy = user.Id, RequestedAt = time.GetUtcNow() } };
        var requested = events.ForContent(EventTypes.RetractionRequested, updated, user.Id, new JsonObject { ["reason"] = updated.Retraction.Reason });
        return await store.TryUpdateAsync(current, updated, [requested])
            ? TypedResults.Ok(ContentView.From(updated, published.Select(p => p.Value).ToList(), time.GetUtcNow()))
            : Problems.ChangedMeanwhile();
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
        if (ContentActions.WhyCannotDecideRetraction(reviewer, item, accounts) is { } refusal) return refusal;
        var asked = item.Retraction!;

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
                tx.AddCondition(Condition.StringEqual(keys.Publication(after.Id), before.Stored));
                _ = tx.StringSetAsync(keys.Publication(after.Id), Json.SerializeUtf8(after));
                _ = tx.StreamAddAsync(keys.PublishStreamOf(after.Lane), "pub", after.Id);
            }
        });
        return saved
            ? TypedResults.Ok(ContentView.From(updated, queued, time.GetUtcNow()))
            : Problems.Conflict("该内容或发布状态刚有变化，请刷新后重试 / the item or a publication changed at the same moment; try again");
    }

    private async Task<List<Versioned<Publication>>> PublishedAsync(ContentItem item)
    {
        var result = new List<Versioned<Publication>>();
        foreach (var target in item.Targets)
        {
            if (await publications.GetAsync(Publication.IdFor(item.Id, item.Revision, target)) is { } pub && ContentActions.IsLive(pub.Value))
            {
                result.Add(pub);
            }
        }

        return result;
    }
}
