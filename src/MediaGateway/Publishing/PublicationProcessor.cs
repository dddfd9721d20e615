using MediaGateway.Accounts;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Platforms;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Publishing;

/// <summary>
/// Moves one publication forward, one recorded step at a time. Each step reads: inputs and guard here → the platform's
/// <see cref="IPlatformPublisher"/> (at most one platform call) → on a platform error, <see cref="PublishRetryPolicy"/>
/// decides the next move → <see cref="PublicationOutcomes"/> makes it the step that is saved (decision 33). Each step's
/// result is saved (compare-and-set) before the next platform call, so a crash resumes at the step it stopped at. The
/// calls without an idempotency key (freepublish/submit, statuses/share) are preceded by a stored
/// <see cref="Publication.SendStartedAt"/>: finding it set without a result means the outcome is unknown
/// (<see cref="SendState"/>), and the platform is searched for the post before anything is sent again.
/// </summary>
internal sealed partial class PublicationProcessor(
    PublicationStore store, ContentStore contents, AccountRegistry accounts, StepInputReader inputs,
    IEnumerable<IPlatformPublisher> publishers, PublicationOutcomes outcomes, PostOwnership ownership, IOptions<PublishingOptions> options,
    TimeProvider time, ILogger<PublicationProcessor> logger)
{
    private readonly PublishingOptions _options = options.Value;
    private readonly Dictionary<Platform, IPlatformPublisher> _publishers = publishers.ToDictionary(p => p.Platform);

    /// <summary>
    /// Works on the publication an entry names until it is final or waits; acknowledges the entry with the last save.
    /// Each step makes at most one platform call. The lease was taken just before the first step; a save that is followed
    /// by another step renews it in the same script once a tenth of it has passed, so at least nine tenths of it are left
    /// whenever a platform call starts, and the last save releases it. When
    /// that renewal finds the lease gone, or <paramref name="stopping"/> says the worker is stopping, the work stops
    /// before the next step.
    /// </summary>
    /// <param name="current">The publication as read right after the lease was taken.</param>
    public async Task ProcessAsync(PublicationLease lease, Storage.Versioned<Publication>? current, Func<bool> stopping,
        CancellationToken cancellationToken)
    {
        var (publicationId, entryId) = (lease.PublicationId, lease.Entry);
        if (current is null)
        {
            Log.Missing(logger, publicationId);
            await store.AcknowledgeAsync(entryId);
            return;
        }

        var firstLook = true;
        StepInputs? next = null;
        while (current is not null)
        {
            var p = current.Value;
            if (!p.NeedsWork)
            {
                await store.TrySaveAsync(current, p, ackEntry: entryId);
                return;
            }

            if (p.State == PublicationState.Scheduled && (p.ScheduledFor ?? p.DueAt) is { } at && at > time.GetUtcNow())
            {
                // A stray entry before its time: put it back in the due set, so it is not forgotten.
                await store.TrySaveAsync(current, p, nextDue: at, ackEntry: entryId);
                return;
            }

            if (stopping())
            {
                // Not saved further: the entry is handed back or reclaimed, and resumes at the step recorded last.
                return;
            }

            // One round trip (after the first step, none: read with the previous save): the item, the account's state (P1/P2:
            // as it is now in Redis), and any pause or hold on it.
            var read = next ?? await inputs.ReadAsync(p.ContentId, p.AccountId);
            var step = await NextStepAsync(p, read, firstLook, cancellationToken);
            firstLook = false;
            StackExchange.Redis.RedisValue updatedJson = Storage.Json.SerializeUtf8(step.Updated);
            // A step that continues gets the next step's inputs back with its save (same command as the document).
            var (saved, nextValues) = await store.SaveStepAndReadAsync(current, step.Updated, updatedJson, step.NextDue,
                step.Finished ? entryId : null, step.Events, step.Also, renew: lease, step.Claims,
                readNext: step.Finished ? [] : inputs.KeysFor(p.ContentId, p.AccountId));
            if (saved == Storage.WriteOutcome.ClaimHeld)
            {
                // The post this step would record is held by another publication: never take it; a person decides.
                Log.ClaimHeld(logger, publicationId, string.Join(", ", step.Claims ?? []));
                var stop = outcomes.NeedsDecision(p, read.Item, DecisionKind.SeveralCandidates,
                    "平台返回或找到的内容已属于另一条发布记录，网关不会占用，请核对 / the post found or answered by the platform is already held by another publication; "
                    + "the gateway does not take it",
                    [.. (step.Claims ?? []).Select(c => new PostCandidate(c, null, null, null, "another publication"))]);
                await store.TrySaveAsync(current, stop.Updated, ackEntry: entryId, events: stop.Events, also: stop.Also);
                return;
            }

            if (saved == Storage.WriteOutcome.Stale)
            {
                await OnConcurrentChangeAsync(p, step, entryId);
                return;
            }

            if (step.Finished)
            {
                return;
            }

            if (saved == Storage.WriteOutcome.WrittenLeaseLost)
            {
                Log.LeaseLost(logger, publicationId);
                return;
            }

            // Go on from what was just written (the same serialisation the save used): no read back.
            current = new Storage.Versioned<Publication>(step.Updated, updatedJson);
            next = await inputs.FromValuesAsync(p.ContentId, p.AccountId, nextValues);
        }
    }

    /// <summary>
    /// Gives up on a publication whose processing keeps failing outside the platforms (a bug, a Redis fault):
    /// it is failed visibly rather than retried forever.
    /// </summary>
    public async Task GiveUpAsync(string publicationId, QueueEntry entryId, string reason)
    {
        var current = await store.GetAsync(publicationId);
        if (current is null || !current.Value.NeedsWork)
        {
            await store.AcknowledgeAsync(entryId);
            return;
        }

        var item = (await contents.GetAsync(current.Value.ContentId))?.Value;
        if (current.Value.Retraction == RetractionState.Queued)
        {
            var failed = outcomes.RetractionFailed(current.Value, item, new PlatformException(current.Value.Platform, "internal", reason,
                PlatformErrorClass.Permanent, $"网关多次撤销失败，请在平台核对 / the gateway failed repeatedly to retract ({reason}); check the platform"));
            await store.TrySaveAsync(current, failed.Updated, ackEntry: entryId, events: [failed.Event!]);
            return;
        }

        var unknown = current.Value.SendStartedAt is not null;
        var step = outcomes.DeadLetter(current.Value, item, unknown ? "OutcomeUnknown" : "Internal", "internal", reason,
            $"网关内部错误，已多次重试仍失败 / the gateway failed repeatedly on this publication ({reason})"
            + (unknown ? "; a send may have happened: a re-drive looks for it on the platform first" : ""));
        await store.TrySaveAsync(current, step.Updated, ackEntry: entryId, events: step.Events, also: step.Also);
    }

    /// <summary>
    /// Our save lost a race. If our step recorded a platform result (the post exists), that result must not be
    /// dropped: write it over whatever the other writer decided, unless that is already a success.
    /// </summary>
    private async Task OnConcurrentChangeAsync(Publication before, Step step, QueueEntry entryId)
    {
        var sentNow = (step.Updated.PlatformId is not null && before.PlatformId is null)
                      || (step.Updated.PublishId is not null && before.PublishId is null)
                      || (step.Updated.MassMsgId is not null && before.MassMsgId is null);
        if (!sentNow)
        {
            // Nothing reached a platform in this step: leave the entry; it comes back with fresh state.
            Log.ConcurrentChange(logger, before.Id);
            return;
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var fresh = await store.GetAsync(before.Id);
            if (fresh is null || fresh.Value.State == PublicationState.Published
                || (fresh.Value.State == PublicationState.Submitted && step.Updated.PlatformId is null))
            {
                return;
            }

            var merged = step.Updated.With(time.GetUtcNow(), "platform result recorded after a concurrent change") with
            {
                History = [.. fresh.Value.History, .. step.Updated.History.Skip(before.History.Count)],
            };
            if (await store.TrySaveAsync(fresh, merged, step.NextDue, entryId, step.Events, step.Also, step.Claims))
            {
                Log.ResultRecordedLate(logger, before.Id);
                return;
            }
        }
    }

    /// <param name="firstLook">True on the first step of this delivery: a send marker found now was left by an earlier, interrupted run.</param>
    private async Task<Step> NextStepAsync(Publication p, StepInputs read, bool firstLook, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (account, item) = (read.Account, read.Item);

        if (p.Retraction == RetractionState.Queued)
        {
            return await RetractAsync(p, account, item, now, ct);
        }

        // A pause or hold stops every new platform call of publishing (retractions above stay possible). Finding out what
        // became of a send already made (a submitted job's outcome, or a send whose answer was lost) is not a new call:
        // it goes on, so the record keeps telling the truth (issue 18: a hold must never hide a delivered send).
        var sendUnresolved = SendState.Unresolved(p);
        var sent = p.State == PublicationState.Submitted || sendUnresolved;
        if (read.Holdup is { } holdup && !sent)
        {
            return outcomes.Waiting(p, holdup);
        }

        // A suspended account publishes nothing, but what was approved for it waits, visibly, and goes out when it is resumed.
        if (account?.Status == AccountStatus.Suspended && !sent)
        {
            return outcomes.Waiting(p, new Holdup(account.Id, $"账号已停用，恢复后发布 / account '{account.Name}' is suspended; it goes out when the account is resumed",
                now + TimeSpan.FromMilliseconds(_options.PauseRecheckMilliseconds), WaitKind.AccountSuspended));
        }

        // Once WeChat accepted the submission the article is on its way: only the platform decides its outcome now.
        // Likewise a send whose outcome is unknown is looked up first; the guard applies again before any resend.
        if (!sent && Guard(p, account, item, read.Snapshot) is { } refusal)
        {
            return outcomes.Fail(p, item, "Refused", "guard", refusal, refusal);
        }

        if (p.Untouched && p.ScheduledFor is { } scheduledFor && now - scheduledFor > account!.MissedWindow.Grace)
        {
            if (account.MissedWindow.Policy == LatePolicy.MarkMissed)
            {
                return outcomes.Missed(p, item, scheduledFor, account.MissedWindow.Grace);
            }

            if (!p.History.Any(h => h.Note.StartsWith(LateNote, StringComparison.Ordinal)))
            {
                return outcomes.Continue(p.With(now, $"{LateNote}: scheduled for {scheduledFor:O}, {(now - scheduledFor).TotalMinutes:0} min late (account policy: publish late)"));
            }
        }

        try
        {
            var context = new StepContext(p, account!, item!, read.Snapshot!, now, firstLook);
            var publisher = _publishers[p.Platform];
            return SendState.MustLookUp(p, firstLook) ? await publisher.ReconcileAsync(context, ct) : await publisher.NextStepAsync(context, ct);
        }
        catch (PlatformException e)
        {
            Log.PlatformError(logger, p.Id, e.Platform, e.Code, e.ErrorClass);
            var registered = accounts.Find(p.AccountId);
            var move = PublishRetryPolicy.AfterStepError(e, sendUnresolved, p.Attempts, registered is not null, _options, now, Random.Shared.NextDouble());
            return outcomes.AfterStepError(p, item, registered, e, move, now);
        }
        catch (MediaMissingException e)
        {
            return outcomes.Fail(p, item, PlatformErrorClass.Content.ToString(), "media", e.Message,
                $"图片 {e.MediaId} 已不存在，无法发送 / image {e.MediaId} is missing from the store; nothing was sent");
        }
    }

    /// <summary>Takes a published post down. Deleting is idempotent: a post the platform no longer has counts as retracted.</summary>
    private async Task<Step> RetractAsync(Publication p, Account? account, ContentItem? item, DateTimeOffset now, CancellationToken ct)
    {
        if (account is null || p.PlatformId is null)
        {
            return outcomes.RetractionFailed(p, item, new PlatformException(p.Platform, "no-id", "no platform id recorded", PlatformErrorClass.Permanent,
                account is null
                    ? $"账号 {p.AccountId} 已不存在，请在平台手动撤销 / account '{p.AccountId}' no longer exists; take the post down on the platform by hand"
                    : "平台未返回编号（如 20053 待审），请在平台手动撤销 / the platform gave no id for this post (e.g. held for review); take it down on the platform by hand"));
        }

        // Only a post this publication holds is ever deleted (a record from before claims existed has none: it is its own).
        if (await ownership.HolderAsync(account, p.PlatformId) is { } holder && holder != p.Id)
        {
            return outcomes.RetractionFailed(p, item, new PlatformException(p.Platform, "held-by-another", $"post held by {holder}", PlatformErrorClass.Permanent,
                $"该平台内容属于另一条发布记录（{holder}），网关不会删除，请核对 / the post {p.PlatformId} is held by another publication ({holder}); the gateway does not delete it"));
        }

        try
        {
            await _publishers[p.Platform].RetractAsync(p, account, ct);
            return outcomes.Retracted(p, item, "retracted on the platform");
        }
        catch (PlatformException e)
        {
            var move = PublishRetryPolicy.AfterRetractError(e, p.RetractAttempts, _options, now, Random.Shared.NextDouble());
            if (move is not NextMove.AlreadyDone)
            {
                Log.PlatformError(logger, p.Id, e.Platform, e.Code, e.ErrorClass);
            }

            return outcomes.AfterRetractError(p, item, e, move, now);
        }
    }

    /// <summary>P1 + P3: the account may publish, the item is approved, and what would be sent is what was approved.</summary>
    private string? Guard(Publication p, Account? account, ContentItem? item, ItemSnapshot? snapshot)
    {
        if (account is null) return $"账号 {p.AccountId} 已不存在 / account '{p.AccountId}' no longer exists";
        if (account.WhyNotPublishable() is { } why) return why;
        if (item is null || item.Status != ContentStatus.Approved || item.Revision != p.Revision)
            return "内容未经完整审核 / the content is not approved at this revision (P3)";
        if (item.Retraction?.Status == RetractionStatus.Approved)
            return "该内容已批准撤销，不再发布 / a retraction of this item was approved; nothing more is published";
        // What would be sent, and the rules over it as the lists are now (they may have changed since approval). Both are
        // worked out once per stored item version, account state and rule lists (StepInputReader), and checked at every step.
        var prepared = inputs.Prepare(snapshot!, account);
        if (prepared.Fingerprint != p.ApprovedFingerprint)
            return "待发送内容与审核通过的内容不一致 / what would be sent differs from what was approved (fingerprint mismatch); not sent (P3)";

        return prepared.Blocking is not { } blocking
            ? null
            : $"发布前复查发现阻断性问题：{blocking.Message}（规则版本 {prepared.Rules.Version}）/ the check right before publishing found a blocking issue: \"{blocking.Matched}\" ({blocking.RuleId}, lists {prepared.Rules.Version})";
    }

    private const string LateNote = "published late";

    private static partial class Log
    {
        [LoggerMessage(EventIds.PublicationChangedConcurrently, LogLevel.Information, "Publication {PublicationId} changed concurrently; left for redelivery")]
        public static partial void ConcurrentChange(ILogger logger, string publicationId);

        [LoggerMessage(EventIds.PublicationPlatformError, LogLevel.Warning, "Publication {PublicationId}: {Platform} error {Code} ({ErrorClass})")]
        public static partial void PlatformError(ILogger logger, string publicationId, Platform platform, string code, PlatformErrorClass errorClass);

        [LoggerMessage(EventIds.PublicationLeaseLost, LogLevel.Warning, "Publication {PublicationId}: lease lost before the next step; another worker has it")]
        public static partial void LeaseLost(ILogger logger, string publicationId);

        [LoggerMessage(EventIds.PublicationResultRecordedLate, LogLevel.Warning, "Publication {PublicationId}: platform result recorded after a concurrent change")]
        public static partial void ResultRecordedLate(ILogger logger, string publicationId);

        [LoggerMessage(EventIds.PublicationPostHeldElsewhere, LogLevel.Warning, "Publication {PublicationId}: post {Posts} is held by another publication; stopped for a decision")]
        public static partial void ClaimHeld(ILogger logger, string publicationId, string posts);

        [LoggerMessage(EventIds.PublicationMissing, LogLevel.Error, "Stream entry names publication {PublicationId}, which does not exist; acknowledged")]
        public static partial void Missing(ILogger logger, string publicationId);
    }
}
