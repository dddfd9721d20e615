using MediaGateway.Content;
using MediaGateway.Webhooks;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>What one step decided: the new state, whether this delivery's turn is over, when to look again, the event, extra writes.</summary>
internal sealed record Step(Publication Updated, bool Finished, DateTimeOffset? NextDue = null, GatewayEvent? Event = null,
    Action<ITransaction>? Also = null);

/// <summary>One step's inputs: the publication, its account and approved item, the time, and whether this is the delivery's first look.</summary>
internal sealed record StepContext(Publication Publication, Accounts.Account Account, ContentItem Item, DateTimeOffset Now, bool FirstLook);

/// <summary>The endings and waits every platform's steps share, so a publication is published, failed or rescheduled the same way everywhere.</summary>
public sealed class PublicationOutcomes(EventFactory events, TimeProvider time)
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
