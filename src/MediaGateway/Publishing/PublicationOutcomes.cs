using MediaGateway.Content;
using MediaGateway.Webhooks;
using MediaGateway.Storage;

namespace MediaGateway.Publishing;

/// <summary>What one step decided: the new state, whether this delivery's turn is over, when to look again, the events, extra writes.</summary>
internal sealed record Step(Publication Updated, bool Finished, DateTimeOffset? NextDue = null, GatewayEvent? Event = null,
    Action<ConditionalWrite>? Also = null, IReadOnlyList<GatewayEvent>? More = null)
{
    /// <summary>Every event of the step, or null when there is none.</summary>
    public IReadOnlyList<GatewayEvent>? Events => Event is null && More is null ? null : [.. Event is null ? [] : new[] { Event }, .. More ?? []];
}

/// <summary>One step's inputs: the publication, its account and approved item, the time, and whether this is the delivery's first look.</summary>
internal sealed record StepContext(Publication Publication, Accounts.Account Account, ContentItem Item, ItemSnapshot Snapshot, DateTimeOffset Now, bool FirstLook);

/// <summary>The endings and waits every platform's steps share, so a publication is published, failed or rescheduled the same way everywhere.</summary>
public sealed class PublicationOutcomes(EventFactory events, PublishingControl control, Storage.RedisKeys keys, TimeProvider time)
{
    internal Step Continue(Publication p) => new(p, Finished: false);

    internal Step WaitUntil(Publication p, DateTimeOffset due) => new(p with { DueAt = due }, Finished: true, NextDue: due);

    internal Step Published(Publication p, ContentItem? item, string? platformId, string? url, string note)
    {
        var now = time.GetUtcNow();
        var published = p.With(now, note) with
        {
            State = PublicationState.Published, PlatformId = platformId, Url = url, PublishedAt = now, DueAt = null,
        };
        if (item?.Retraction?.Status == RetractionStatus.Approved && published.Retraction is null)
        {
            // It came out after its retraction was approved (it was already on its way): take it down too.
            published = published.With(now, "retraction already approved: queued for retraction") with { Retraction = RetractionState.Queued };
            return new Step(published, Finished: true, NextDue: now, Event: events.ForPublication(EventTypes.PublicationSucceeded, published, item));
        }

        return new Step(published, Finished: true, Event: events.ForPublication(EventTypes.PublicationSucceeded, published, item));
    }

    internal Step Fail(Publication p, ContentItem? item, string errorClass, string code, string platformMessage, string explanation)
    {
        var failed = p.With(time.GetUtcNow(), $"failed: {explanation}") with
        {
            State = PublicationState.Failed, DueAt = null,
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
        var waiting = p.With(now, $"account held until {until:O}: {reason}") with { SendStartedAt = null, Error = error ?? p.Error };
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
        var note = $"waiting: {holdup.Reason}";
        var updated = p.History.Count > 0 && p.History[^1].Note == note ? p : p.With(time.GetUtcNow(), note);
        return WaitUntil(updated, holdup.LookAgainAt) with { Also = write => control.Park(write, holdup.Scope, p.Id) };
    }

    internal Step Retracted(Publication p, ContentItem? item, string note)
    {
        var now = time.GetUtcNow();
        var retracted = p.With(now, note) with { Retraction = RetractionState.Retracted, RetractedAt = now, DueAt = null };
        return new Step(retracted, Finished: true, Event: events.ForPublication(EventTypes.PublicationRetracted, retracted, item));
    }

    internal Step RetractionFailed(Publication p, ContentItem? item, Platforms.PlatformException e)
    {
        var failed = p.With(time.GetUtcNow(), $"retraction failed: {e.Explanation}") with
        {
            Retraction = RetractionState.Failed, DueAt = null,
            Error = new PublicationError(e.ErrorClass.ToString(), e.Code, e.PlatformMessage, $"撤销失败 / retraction failed: {e.Explanation}"),
        };
        return new Step(failed, Finished: true, Event: events.ForPublication(EventTypes.PublicationFailed, failed, item));
    }

    /// <summary>
    /// A send's outcome is unknown and the post was not found on the platform (yet): look again within the window,
    /// and only after it clear the marker so the next step sends again.
    /// </summary>
    internal Step NotFoundYet(Publication p, TimeSpan window)
    {
        var now = time.GetUtcNow();
        var since = p.SendStartedAt ?? now;
        if (now - since < window)
        {
            var next = now + TimeSpan.FromSeconds(Math.Clamp(window.TotalSeconds / 4, 1, 30));
            return WaitUntil(p.With(now, "outcome unknown: not found on the platform yet; looking again"), next);
        }

        return Continue(p.With(now, $"not found on the platform {window.TotalSeconds:0} s after the send: sending again") with { SendStartedAt = null });
    }
}
