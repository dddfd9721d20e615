using MediaGateway.Auth;
using MediaGateway.Hosting;
using MediaGateway.Publishing;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace MediaGateway.Content;

/// <summary>A withdrawal request: why the item is taken back.</summary>
internal sealed record WithdrawRequest([property: MultiLineText] string? Reason);

/// <summary>
/// Withdraws an item before it reaches any platform: the item and every publication (none of which may have
/// touched a platform yet) change in one transaction, conditional on all of them being as read. If a worker
/// moved a publication in between, the transaction fails and the caller is told to retract instead.
/// </summary>
internal sealed class ContentWithdrawal(ContentStore store, PublicationStore publications, RedisKeys keys,
    EventFactory events, TimeProvider time)
{
    public async Task<Results<Ok<ContentView>, ValidationProblem, ProblemHttpResult>> WithdrawAsync(GatewayUser user, string id, WithdrawRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Problems.Invalid(new() { ["reason"] = ["required: why the item is withdrawn"] });
        }

        var current = await store.GetAsync(id);
        if (current is null) return Problems.NotFound($"no content item '{id}'");
        var item = current.Value;
        var pubIds = item.Targets.Select(t => Publication.IdFor(item.Id, item.Revision, t)).ToList();
        var pubs = new List<Versioned<Publication>>();
        foreach (var pubId in pubIds)
        {
            if (await publications.GetAsync(pubId) is { } pub) pubs.Add(pub);
        }

        if (ContentActions.WhyCannotWithdraw(user, item, pubs.Select(p => p.Value).ToList()) is { } refusal) return refusal;

        var now = time.GetUtcNow();
        var updated = item with { Status = ContentStatus.Withdrawn, WithdrawnBy = user.Id, WithdrawReason = request.Reason!.Trim() };
        var cancelled = pubs.Select(p => p.Value.With(now, $"cancelled: item withdrawn by {user.Id}") with { State = PublicationState.Cancelled, DueAt = null }).ToList();
        var saved = await store.TryUpdateAsync(current, updated, [events.ForContent(EventTypes.ContentWithdrawn, updated, user.Id,
            new() { ["reason"] = updated.WithdrawReason })], tx =>
        {
            foreach (var (before, after) in pubs.Zip(cancelled))
            {
                tx.AddCondition(Condition.StringEqual(keys.Publication(after.Id), before.Stored));
                _ = tx.StringSetAsync(keys.Publication(after.Id), Json.SerializeUtf8(after));
                _ = tx.SortedSetRemoveAsync(keys.PublishDueOf(after.Lane), after.Id);
            }
        });
        return saved
            ? TypedResults.Ok(ContentView.From(updated, cancelled, time.GetUtcNow()))
            : Problems.Conflict("撤回时内容或发布状态已变化（可能已开始发布），请刷新 / the item or a publication changed meanwhile (publishing may have started); reload, and retract if it was published");
    }
}
