using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <param name="Reason">Why; recorded in the history and the audit log.</param>
/// <param name="Decision">
/// For a publication that needs a decision (and optionally a failed one): <c>thisPost</c> (with <paramref name="PlatformId"/>:
/// that post on the platform is this publication's), <c>sendAgain</c> (nothing of it is on the platform: send it again),
/// <c>earlierPostStands</c> (the platform refused a repeat; the earlier post stands and nothing more is sent), or
/// <c>abandon</c> (stop: nothing more is sent).
/// </param>
internal sealed record RedriveRequest([property: MultiLineText] string? Reason, string? Decision = null, string? PlatformId = null);

/// <summary>
/// The dead-letter list: publications that failed in a way a person can fix (retries exhausted, credentials,
/// configuration, an internal fault) or that missed their window. A re-drive sends one through again — after the
/// same checks as ever: the item must still be approved at that revision (the worker's guard runs again too), and a
/// send whose outcome was unknown is first looked for on the platform, so a re-drive never doubles a post.
/// </summary>
internal sealed class DeadLetters(
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
            return Problems.Invalid(new() { ["reason"] = ["请填写原因：它会记入发布记录和审计日志 / a reason is required: it is recorded in the publication's history and the audit log"] });
        }

        var p = current.Value;
        if (!p.CanRedrive)
        {
            return Problems.Conflict($"发布记录 {id} 不在死信列表中（状态 {p.State}）/ publication '{id}' is {p.State.ToString().ToLowerInvariant()}"
                                     + (p.State == PublicationState.Failed ? $" with a final error ({p.Error?.Class}); change the item and submit it again instead" : "")
                                     + "; only dead-lettered or missed publications can be re-driven");
        }

        var decision = request.Decision?.Trim();
        if (decision is not (null or ThisPost or SendAgain or EarlierPostStands or Abandon))
        {
            return Problems.Invalid(new() { ["decision"] = [$"unknown decision '{decision}': one of {ThisPost}, {SendAgain}, {EarlierPostStands}, {Abandon}"] });
        }

        if (p.State == PublicationState.NeedsDecision && decision is null)
        {
            return Problems.Invalid(new() { ["decision"] = [$"发布记录等待人工决定，须说明决定 / this publication waits for a decision ({p.Decision?.Kind}): one of {ThisPost}, {SendAgain}, {EarlierPostStands}, {Abandon}"] });
        }

        if (decision is ThisPost && string.IsNullOrWhiteSpace(request.PlatformId))
        {
            return Problems.Invalid(new() { ["platformId"] = ["required with the decision thisPost: the id of the post on the platform (Weibo idstr, WeChat article_id)"] });
        }

        if (decision is Abandon or EarlierPostStands)
        {
            return await CloseAsync(user, current, decision, request.Reason.Trim());
        }

        var item = (await contents.GetAsync(p.ContentId))?.Value;
        if (decision is ThisPost)
        {
            return await TakePostAsync(user, current, account!, item, request.PlatformId!.Trim(), request.Reason.Trim());
        }

        if (p.State == PublicationState.NeedsDecision && p.Decision?.Kind != DecisionKind.OutcomeStillUnknown)
        {
            return Problems.Conflict(p.Decision?.Kind == DecisionKind.RepeatRefused
                ? "平台拒绝重复内容，再次发送也会被拒绝：请修改内容后重新提交，或确认以此前发布的内容为准 / the platform refuses the text as a repeat; sending again would be refused too: change the item, or decide earlierPostStands"
                : "有多条可能属于本次发布的内容，再次发送可能重复发布：请指明哪一条（thisPost）或放弃（abandon）/ several posts could be this publication's; sending again could post twice: name the one (thisPost) or abandon");
        }

        if (item is null || item.Status != ContentStatus.Approved || item.Revision != p.Revision || item.Retraction is not null)
        {
            return Problems.Conflict($"内容 {p.ContentId} 已不是第 {p.Revision} 版的已批准状态 / item '{p.ContentId}' is no longer approved at revision {p.Revision} "
                                     + "(revised, withdrawn or being retracted); nothing is re-driven");
        }

        var now = time.GetUtcNow();
        var confirmedUnsent = p.State == PublicationState.NeedsDecision;
        var redriven = p.With(now, $"re-driven by {user.Id}: {request.Reason.Trim()}"
                                   + (confirmedUnsent ? " (a person confirmed that nothing of it is on the platform: sent again, with a new draft)"
                                      : p.SendStartedAt is not null ? " (an earlier send's outcome is unknown: the platform is searched first)" : "")) with
        {
            State = PublicationState.Queued, Attempts = 0, DeadLetteredAt = null, Error = null, DueAt = null, Waiting = null, Decision = null,
            // Publishing now is what the operator asked for: the schedule no longer applies.
            ScheduledFor = null,
        };
        if (confirmedUnsent)
        {
            // The old draft may still be in a publish job: never submit it again; a new one is made.
            redriven = redriven with { SendStartedAt = null, DraftMediaId = null };
        }
        var db = redis.GetDatabase();
        var tx = db.CreateTransaction();
        tx.AddCondition(Condition.StringEqual(keys.Publication(id), current.Stored));
        _ = tx.StringSetAsync(keys.Publication(id), Json.SerializeUtf8(redriven));
        _ = tx.SortedSetRemoveAsync(keys.DeadLetters, id);
        publications.Enqueue(tx, redriven);
        EventStream.Append(tx, keys, [events.ForPublication(EventTypes.PublicationRedriven, redriven, item) with { Actor = user.Id }]);
        return await tx.ExecuteAsync() ? TypedResults.Ok(PublicationView.From(redriven, time.GetUtcNow())) : Problems.ChangedMeanwhile();
    }

    public const string ThisPost = "thisPost";
    public const string SendAgain = "sendAgain";
    public const string EarlierPostStands = "earlierPostStands";
    public const string Abandon = "abandon";

    /// <summary>A person names the post that is this publication's: it is claimed for it (never one another publication holds) and the publication is published.</summary>
    private async Task<Results<Ok<PublicationView>, ValidationProblem, ProblemHttpResult>> TakePostAsync(GatewayUser user, Versioned<Publication> current,
        Account account, ContentItem? item, string platformId, string reason)
    {
        var p = current.Value;
        if (p.State != PublicationState.NeedsDecision)
        {
            return Problems.Conflict($"只有等待人工决定的发布记录可以指定平台内容 / only a publication that needs a decision takes a post by hand (it is {p.State})");
        }

        var candidate = p.Decision?.Candidates.FirstOrDefault(c => c.PlatformId == platformId);
        if (p.Decision?.Kind != DecisionKind.OutcomeStillUnknown && candidate is null)
        {
            return Problems.Invalid(new() { ["platformId"] = [$"'{platformId}' is not one of the posts shown with this decision"] });
        }

        var now = time.GetUtcNow();
        var published = p.With(now, $"{user.Id} decided that post {platformId} is this publication's: {reason}") with
        {
            State = PublicationState.Published, PlatformId = platformId, Url = candidate?.Url, PublishedAt = now, DueAt = null,
            DeadLetteredAt = null, Error = null, Waiting = null, Decision = null, SendStartedAt = null,
        };
        var write = new ConditionalWrite(keys.Publication(p.Id), current.Stored);
        write.Claim(keys.PostClaim(PostOwnership.PostName(account, platformId)), p.Id);
        write.StringSet(keys.Publication(p.Id), Json.SerializeUtf8(published));
        write.SortedSetRemove(keys.DeadLetters, p.Id);
        EventStream.Append(write, keys, [events.ForPublication(EventTypes.PublicationSucceeded, published, item) with { Actor = user.Id }]);
        return await write.ExecuteAsync(redis.GetDatabase()) switch
        {
            WriteOutcome.Written => TypedResults.Ok(PublicationView.From(published, time.GetUtcNow())),
            WriteOutcome.ClaimHeld => Problems.Conflict($"平台内容 {platformId} 已属于另一条发布记录 / post {platformId} is already held by another publication; it cannot be this one's too"),
            _ => Problems.ChangedMeanwhile(),
        };
    }

    /// <summary>A person ends it: the earlier post stands (a repeat refusal), or it is abandoned. Nothing more is sent; nothing is claimed.</summary>
    private async Task<Results<Ok<PublicationView>, ValidationProblem, ProblemHttpResult>> CloseAsync(GatewayUser user, Versioned<Publication> current,
        string decision, string reason)
    {
        var p = current.Value;
        if (decision == EarlierPostStands && p.Decision?.Kind != DecisionKind.RepeatRefused)
        {
            return Problems.Conflict("只有被平台判为重复内容的发布记录可以确认以此前内容为准 / earlierPostStands answers a repeat refusal only");
        }

        var now = time.GetUtcNow();
        var closed = decision == EarlierPostStands
            ? p.With(now, $"{user.Id} decided that the earlier post stands; nothing is sent: {reason}") with
            {
                State = PublicationState.Cancelled, DueAt = null, DeadLetteredAt = null, Waiting = null, SendStartedAt = null,
            }
            : p.With(now, $"abandoned by {user.Id}; nothing more is sent: {reason}") with
            {
                State = PublicationState.Failed, DueAt = null, DeadLetteredAt = null, Waiting = null, SendStartedAt = null,
                Error = new PublicationError("Abandoned", "abandoned", reason, $"已由 {user.Name} 放弃，不再发送 / abandoned by {user.Id}; nothing more is sent"),
            };
        var item = (await contents.GetAsync(p.ContentId))?.Value;
        var tx = redis.GetDatabase().CreateTransaction();
        tx.AddCondition(Condition.StringEqual(keys.Publication(p.Id), current.Stored));
        _ = tx.StringSetAsync(keys.Publication(p.Id), Json.SerializeUtf8(closed));
        _ = tx.SortedSetRemoveAsync(keys.DeadLetters, p.Id);
        EventStream.Append(tx, keys, [events.ForPublication(decision == Abandon ? EventTypes.PublicationFailed : EventTypes.PublicationRedriven, closed, item) with { Actor = user.Id }]);
        return await tx.ExecuteAsync() ? TypedResults.Ok(PublicationView.From(closed, time.GetUtcNow())) : Problems.ChangedMeanwhile();
    }
}
