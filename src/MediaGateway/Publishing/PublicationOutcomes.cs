using MediaGateway.Content;
using MediaGateway.Platforms;
using MediaGateway.Webhooks;
using MediaGateway.Storage;

namespace MediaGateway.Publishing;

/// <summary>What one step decided: the new state, whether this delivery's turn is over, when to look again, the events, extra writes.</summary>
internal sealed record Step(Publication Updated, bool Finished, DateTimeOffset? NextDue = null, GatewayEvent? Event = null,
    Action<ConditionalWrite>? Also = null, IReadOnlyList<GatewayEvent>? More = null)
{
    /// <summary>Platform posts this step records as the publication's (<see cref="PostOwnership.PostName"/>): claimed atomically with its save.</summary>
    public IReadOnlyList<string>? Claims { get; init; }

    /// <summary>Every event of the step, or null when there is none.</summary>
    public IReadOnlyList<GatewayEvent>? Events => Event is null && More is null ? null : [.. Event is null ? [] : new[] { Event }, .. More ?? []];
}

/// <summary>One step's inputs: the publication, its account and approved item, the time, and whether this is the delivery's first look.</summary>
internal sealed record StepContext(Publication Publication, Accounts.Account Account, ContentItem Item, ItemSnapshot Snapshot, DateTimeOffset Now, bool FirstLook);

/// <summary>
/// The endings and waits every platform's steps share, so a publication is published, failed or rescheduled the same way
/// everywhere. After a platform error, the move <see cref="PublishRetryPolicy"/> decided is turned into the step here.
/// </summary>
internal sealed class PublicationOutcomes(EventFactory events, PublishingControl control, Storage.RedisKeys keys, TimeProvider time)
{
    /// <summary>Goes on to the next step now: whatever it waited for is over.</summary>
    internal Step Continue(Publication p) => new(p with { Waiting = null }, Finished: false);

    internal Step WaitUntil(Publication p, DateTimeOffset due) => new(p with { DueAt = due }, Finished: true, NextDue: due);

    /// <summary>Waits until <paramref name="due"/>, showing why; the history gets the note once, not at every look.</summary>
    internal Step WaitFor(Publication p, WaitKind kind, string reason, DateTimeOffset due)
    {
        var note = $"waiting: {reason}";
        var updated = p.Waiting?.Kind == kind && p.History.Count > 0 && p.History[^1].Note == note ? p : p.With(time.GetUtcNow(), note);
        return WaitUntil(updated with { Waiting = new PublicationWait(kind, reason, due) }, due);
    }

    /// <param name="post">The post's name for its claim (<see cref="PostOwnership.PostName"/>); null when the platform gave no id.</param>
    internal Step Published(Publication p, ContentItem? item, string? platformId, string? url, string note, string? post = null)
    {
        var now = time.GetUtcNow();
        var published = p.With(now, note) with
        {
            State = PublicationState.Published, PlatformId = platformId, Url = url, PublishedAt = now, DueAt = null,
            // What is true now: an earlier attempt's error or wait no longer describes it.
            Error = null, Waiting = null, Decision = null,
        };
        var claims = post is null ? null : new[] { post };
        if (item?.Retraction?.Status == RetractionStatus.Approved && published.Retraction is null)
        {
            // It came out after its retraction was approved (it was already on its way): take it down too.
            published = published.With(now, "retraction already approved: queued for retraction") with { Retraction = RetractionState.Queued };
            return new Step(published, Finished: true, NextDue: now, Event: events.ForPublication(EventTypes.PublicationSucceeded, published, item)) { Claims = claims };
        }

        return new Step(published, Finished: true, Event: events.ForPublication(EventTypes.PublicationSucceeded, published, item)) { Claims = claims };
    }

    /// <summary>
    /// The gateway will not guess: the publication stops, asks a person with the evidence, and is listed with the dead
    /// letters, where the decision is taken (<see cref="DeadLetters.RedriveAsync"/>). Nothing is sent meanwhile.
    /// </summary>
    internal Step NeedsDecision(Publication p, ContentItem? item, DecisionKind kind, string reason, IReadOnlyList<PostCandidate> candidates)
    {
        var now = time.GetUtcNow();
        var stopped = p.With(now, $"needs a decision: {reason}") with
        {
            State = PublicationState.NeedsDecision, DueAt = null, Waiting = null, DeadLetteredAt = now,
            Decision = new PublicationDecision(kind, reason, now, candidates),
        };
        return new Step(stopped, Finished: true, Event: events.ForPublication(EventTypes.PublicationDeadLettered, stopped, item),
            Also: write => write.SortedSetAdd(keys.DeadLetters, p.Id, now.ToUnixTimeMilliseconds()));
    }

    internal Step Fail(Publication p, ContentItem? item, string errorClass, string code, string platformMessage, string explanation)
    {
        var failed = p.With(time.GetUtcNow(), $"failed: {explanation}") with
        {
            State = PublicationState.Failed, DueAt = null, Waiting = null,
            Error = new PublicationError(errorClass, code, platformMessage, explanation),
        };
        return new Step(failed, Finished: true, Event: events.ForPublication(EventTypes.PublicationFailed, failed, item));
    }

    /// <summary>
    /// A failure an operator can do something about (retries exhausted, credentials, configuration, an internal fault):
    /// failed visibly and put in the dead-letter list, from where it can be re-driven.
    /// </summary>
    internal Step DeadLetter(Publication p, ContentItem? item, string errorClass, string code, string platformMessage, string explanation)
    {
        var failed = Fail(p, item, errorClass, code, platformMessage, explanation);
        var now = time.GetUtcNow();
        var dead = failed.Updated.With(now, "moved to the dead-letter list; an operator can re-drive it") with { DeadLetteredAt = now };
        return failed with
        {
            Updated = dead,
            Event = events.ForPublication(EventTypes.PublicationFailed, dead, item),
            More = [events.ForPublication(EventTypes.PublicationDeadLettered, dead, item)],
            Also = write => write.SortedSetAdd(keys.DeadLetters, p.Id, now.ToUnixTimeMilliseconds()),
        };
    }

    /// <summary>A scheduled publication missed its window and the account does not publish late: failed as missed, the operator told.</summary>
    internal Step Missed(Publication p, ContentItem? item, DateTimeOffset scheduledFor, TimeSpan grace)
    {
        var now = time.GetUtcNow();
        var failed = Fail(p, item, Publication.MissedWindowClass, "missed-window", $"scheduled for {scheduledFor:O}",
            $"错过发布时间（计划 {scheduledFor:O}，宽限 {grace.TotalMinutes:0.##} 分钟），按账号规则不再补发；可重新发起 / "
            + $"missed its publishing window (scheduled {scheduledFor:O}, grace {grace.TotalMinutes:0.##} min); the account does not publish late — re-drive it to publish now");
        return failed with { More = [events.ForPublication(EventTypes.PublicationMissed, failed.Updated, item)] };
    }

    /// <summary>
    /// The account's platform window is closed (quota or rate limit, answered by the platform or counted by us):
    /// hold the whole account until it reopens, and let this publication wait for it without spending an attempt.
    /// </summary>
    internal Step HeldUntil(Publication p, Accounts.Account account, string reason, string code, DateTimeOffset until, PublicationError? error = null)
    {
        var now = time.GetUtcNow();
        var waiting = p.With(now, $"account held until {until:O}: {reason}") with
        {
            SendStartedAt = null, Error = error ?? p.Error, Waiting = new PublicationWait(WaitKind.Quota, reason, until),
        };
        return WaitUntil(waiting, until) with
        {
            Also = write =>
            {
                control.Hold(write, account.Id, reason, code, until);
                control.Park(write, account.Id, p.Id); // lifting the hold by hand brings it back at once
            },
            Event = control.HoldEvent(account, reason, code, until),
        };
    }

    /// <summary>Paused or held: wait without calling the platform, parked so lifting the pause brings it back at once.</summary>
    internal Step Waiting(Publication p, Holdup holdup)
    {
        var step = WaitFor(p, holdup.Kind, holdup.Reason, holdup.LookAgainAt);
        // Shown with when the wait ends, where that is known (a hold); a pause or suspension lasts until a person lifts it.
        var shown = step.Updated with { Waiting = new PublicationWait(holdup.Kind, holdup.Reason, holdup.Until) };
        return step with { Updated = shown, Also = write => control.Park(write, holdup.Scope, p.Id) };
    }

    /// <summary>
    /// The one post found could also have been made by another send of the same content whose outcome is unresolved too
    /// (<see cref="Reconciled.Shared"/>): look again until <paramref name="until"/>, as that send may resolve and claim
    /// it; then ask a person rather than guess.
    /// </summary>
    internal Step SharedPost(Publication p, ContentItem? item, PostCandidate post, DateTimeOffset until) =>
        LookAgain(p, until) ?? NeedsDecision(p, item, DecisionKind.SeveralCandidates,
            "找到的内容也可能是另一条相同内容的发布所发（其发送结果同样未知），网关不作猜测，请确认属于哪一条 / "
            + "the post found could also have been made by another publication of the same content whose send is unresolved too; the gateway does not guess",
            [post]);

    /// <summary>
    /// Looking on the platform for what became of a send failed (<see cref="PublishRetryPolicy.AfterLookupError"/>). The
    /// send marker stays: the send may still have happened, and nothing is sent before it is looked up. A passing fault
    /// looks again later; one a person must fix (credentials, configuration) puts it in the dead-letter list, and a
    /// re-drive looks first.
    /// </summary>
    internal Step LookupFailed(Publication p, ContentItem? item, PlatformException e) => PublishRetryPolicy.AfterLookupError(e, time.GetUtcNow()) switch
    {
        NextMove.CheckPlatform look => WaitFor(p, WaitKind.CheckingPlatform,
            $"核对发送结果时平台暂时出错（{e.Code}），稍后再查 / the platform failed ({e.Code}) while the gateway looked for the send's outcome; looking again", look.At),
        _ => DeadLetter(p, item, "OutcomeUnknown", e.Code, e.PlatformMessage,
            $"无法在平台核对发送结果（{e.Explanation}）；重新发起时会先核对 / the send's outcome could not be looked up on the platform ({e.Explanation}); a re-drive looks first"),
    };

    /// <summary>A publishing step's platform call failed: the move <see cref="PublishRetryPolicy.AfterStepError"/> decided, as the step to save.</summary>
    /// <param name="account">The publication's account (held when the move says so).</param>
    internal Step AfterStepError(Publication p, ContentItem? item, Accounts.Account? account, PlatformException e, NextMove move, DateTimeOffset now)
    {
        var error = new PublicationError(e.ErrorClass.ToString(), e.Code, e.PlatformMessage, e.Explanation);
        if (move is NextMove.CheckPlatform look)
        {
            // The send may have happened. Keep the marker: the next look searches the platform before any resend. Shown as
            // checking the platform (not merely queued), which a hold or pause of the account does not stop.
            return WaitUntil(p.With(now, $"outcome unknown ({e.Code}: {e.Explanation}); will look for it on the platform before sending again") with
            {
                Error = error,
                Waiting = new PublicationWait(WaitKind.CheckingPlatform,
                    $"发送结果未知（{e.Explanation}），正在平台核对，核对前不会重发 / the send's outcome is unknown ({e.Code}); looking for it on the platform before anything is sent again", look.At),
            }, look.At);
        }

        // The platform answered with a refusal: the call took no effect, so there is nothing to look for before the next send.
        p = p with { SendStartedAt = null };
        switch (move)
        {
            case NextMove.HoldAccount hold:
                // The account's quota or rate window is closed: hold the account, not just this publication, and do not count an attempt.
                return HeldUntil(p, account!, e.Explanation, e.Code, hold.Until, error);
            case NextMove.RetryAt retry:
                // Sending again is safe: either the call did not take effect, or it was an upload or a draft (not a send), which may
                // have left an orphan image or draft on the platform; those are harmless and never submitted (wechat-mp.md, Drafts).
                var note = e.OutcomeUnknown
                    ? $"{e.ErrorClass} error {e.Code} (it may have left an unused upload or draft on the platform; never submitted): retry {retry.Attempts} at {retry.At:O}"
                    : $"{e.ErrorClass} error {e.Code}: retry {retry.Attempts} at {retry.At:O}";
                return WaitUntil(p.With(now, note) with
                {
                    Attempts = retry.Attempts, Error = error,
                    Waiting = new PublicationWait(WaitKind.Retrying, $"平台暂时出错（{e.Code}），第 {retry.Attempts} 次重试 / platform error {e.Code}: retry {retry.Attempts}", retry.At),
                }, retry.At);
            case NextMove.DeadLetter dead:
                // Exhausted retries, credentials and configuration are things an operator or administrator can fix.
                return DeadLetter(p with { Attempts = dead.Attempts }, item, e.ErrorClass.ToString(), e.Code, e.PlatformMessage,
                    dead.Exhausted ? $"{e.Explanation}（已重试 {dead.Attempts} 次 / after {dead.Attempts} attempts）" : e.Explanation);
            case NextMove.Fail fail:
                // The content or request itself is refused: final; the operator changes the item instead.
                return Fail(p with { Attempts = fail.Attempts }, item, e.ErrorClass.ToString(), e.Code, e.PlatformMessage, e.Explanation);
            default:
                throw new ArgumentOutOfRangeException(nameof(move), move, "not a move after a publishing step's error");
        }
    }

    /// <summary>Deleting the post failed: the move <see cref="PublishRetryPolicy.AfterRetractError"/> decided, as the step to save.</summary>
    internal Step AfterRetractError(Publication p, ContentItem? item, PlatformException e, NextMove move, DateTimeOffset now) => move switch
    {
        NextMove.AlreadyDone => Retracted(p, item, $"already gone on the platform ({e.Code})"),
        NextMove.RetryAt retry => WaitUntil(p.With(now, $"retraction: {e.ErrorClass} error {e.Code}, retry {retry.Attempts}") with { RetractAttempts = retry.Attempts }, retry.At),
        NextMove.Fail fail => RetractionFailed(p with { RetractAttempts = fail.Attempts }, item, e),
        _ => throw new ArgumentOutOfRangeException(nameof(move), move, "not a move after a retraction error"),
    };

    internal Step Retracted(Publication p, ContentItem? item, string note)
    {
        var now = time.GetUtcNow();
        var retracted = p.With(now, note) with { Retraction = RetractionState.Retracted, RetractedAt = now, DueAt = null };
        return new Step(retracted, Finished: true, Event: events.ForPublication(EventTypes.PublicationRetracted, retracted, item));
    }

    internal Step RetractionFailed(Publication p, ContentItem? item, PlatformException e)
    {
        var failed = p.With(time.GetUtcNow(), $"retraction failed: {e.Explanation}") with
        {
            Retraction = RetractionState.Failed, DueAt = null,
            Error = new PublicationError(e.ErrorClass.ToString(), e.Code, e.PlatformMessage, $"撤销失败 / retraction failed: {e.Explanation}"),
        };
        return new Step(failed, Finished: true, Event: events.ForPublication(EventTypes.PublicationFailed, failed, item));
    }

    /// <summary>
    /// A send's outcome is unknown and the post was not found on the platform (yet): look again, visibly, until
    /// <paramref name="until"/>; null when that time is past (the caller then asks a person or, where the platform
    /// refuses repeats, sends again).
    /// </summary>
    internal Step? LookAgain(Publication p, DateTimeOffset until) =>
        PublishRetryPolicy.NextLook(p.SendStartedAt, until, time.GetUtcNow()) is { } next
            ? WaitFor(p, WaitKind.CheckingPlatform,
                $"正在平台核对发送结果，最晚至 {until.ToOffset(TimeSpan.FromHours(8)):HH:mm} / checking the platform for the send's outcome until {until:O}", next)
            : null;
}
