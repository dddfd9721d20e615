using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

public sealed record RedriveRequest(string? Reason);

/// <summary>
/// The dead-letter list: publications that failed in a way a person can fix (retries exhausted, credentials,
/// configuration, an internal fault) or that missed their window. A re-drive sends one through again — after the
/// same checks as ever: the item must still be approved at that revision (the worker's guard runs again too), and a
/// send whose outcome was unknown is first looked for on the platform, so a re-drive never doubles a post.
/// </summary>
public sealed class DeadLetters(
    IConnectionMultiplexer redis, RedisKeys keys, PublicationStore publications, ContentStore contents, AccountRegistry accounts,
    EventFactory events, TimeProvider time)
{
    /// <summary>Dead-lettered publications of accounts the caller may see, newest first.</summary>
    public async Task<IReadOnlyList<Publication>> ListAsync(GatewayUser user, int take)
    {
        var ids = await redis.GetDatabase().SortedSetRangeByRankAsync(keys.DeadLetters, 0, -1, Order.Descending);
        var all = await publications.GetManyAsync(ids.Select(i => (string)i!));
        return all.Where(p => user.IsAdministrator || accounts.Find(p.AccountId)?.IsVisibleTo(user.Department) == true).Take(take).ToList();
    }

    public async Task<Results<Ok<PublicationView>, ValidationProblem, ProblemHttpResult>> RedriveAsync(GatewayUser user, string id, RedriveRequest request)
    {
        var current = await publications.GetAsync(id);
        var account = current is null ? null : accounts.Find(current.Value.AccountId);
        if (current is null || !(user.IsAdministrator || account?.IsVisibleTo(user.Department) == true))
        {
            return Problems.NotFound($"no publication '{id}'");
        }

        if (!user.IsAdministrator && !user.Has(Auth.Role.Operator))
        {
            return Problems.Forbidden("只有运营人员或管理员可以重新发起 / only operators of the account's department and administrators re-drive publications");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Problems.Invalid(new() { ["reason"] = ["a reason is required: it is recorded in the publication's history and the audit log"] });
        }

        var p = current.Value;
        if (!p.CanRedrive)
        {
            return Problems.Conflict($"发布记录 {id} 不在死信列表中（状态 {p.State}）/ publication '{id}' is {p.State.ToString().ToLowerInvariant()}"
                                     + (p.State == PublicationState.Failed ? $" with a final error ({p.Error?.Class}); change the item and submit it again instead" : "")
                                     + "; only dead-lettered or missed publications can be re-driven");
        }

        var item = (await contents.GetAsync(p.ContentId))?.Value;
        if (item is null || item.Status != ContentStatus.Approved || item.Revision != p.Revision || item.Retraction is not null)
        {
            return Problems.Conflict($"内容 {p.ContentId} 已不是第 {p.Revision} 版的已批准状态 / item '{p.ContentId}' is no longer approved at revision {p.Revision} "
                                     + "(revised, withdrawn or being retracted); nothing is re-driven");
        }

        var now = time.GetUtcNow();
        var redriven = p.With(now, $"re-driven by {user.Id}: {request.Reason.Trim()}"
                                   + (p.SendStartedAt is not null ? " (an earlier send's outcome is unknown: the platform is searched first)" : "")) with
        {
            State = PublicationState.Queued, Attempts = 0, DeadLetteredAt = null, Error = null, DueAt = null,
            // Publishing now is what the operator asked for: the schedule no longer applies.
            ScheduledFor = null,
        };
        var db = redis.GetDatabase();
        var tx = db.CreateTransaction();
        tx.AddCondition(Condition.StringEqual(keys.Publication(id), current.Stored));
        _ = tx.StringSetAsync(keys.Publication(id), Json.SerializeUtf8(redriven));
        _ = tx.SortedSetRemoveAsync(keys.DeadLetters, id);
        publications.Enqueue(tx, redriven);
        EventStream.Append(tx, keys, [events.ForPublication(EventTypes.PublicationRedriven, redriven, item) with { Actor = user.Id }]);
        return await tx.ExecuteAsync() ? TypedResults.Ok(PublicationView.From(redriven)) : Problems.ChangedMeanwhile();
    }
}
