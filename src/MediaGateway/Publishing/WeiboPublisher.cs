using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Platforms;
using MediaGateway.Platforms.Weibo;
using Microsoft.Extensions.Options;

namespace MediaGateway.Publishing;

/// <summary>
/// The Weibo steps: read the picture, store the send marker, statuses/share. Weibo has no idempotency key but refuses
/// an identical text (20017/20019/20111), so after an unknown outcome the gateway looks for its own post once and, if
/// it is not there, posts again: a repeat refusal then means the platform already has the text, and a second look
/// decides whose post it is. A post counts as this publication's only if nobody else holds it, it was made after the
/// publication existed, and no other unresolved send of the text could have made it (<see cref="Reconciled.Choose"/>);
/// otherwise the gateway looks again for a while, then stops and asks a person.
/// </summary>
internal sealed class WeiboPublisher(WeiboClient client, ContentRenderer renderer, PublicationMedia media, PublicationOutcomes outcomes,
    PublishingControl control, PostOwnership ownership, IOptions<PlatformsOptions> platforms, IOptions<PublishingOptions> options)
    : IPlatformPublisher
{
    /// <summary>The error class recorded when Weibo refused the text as a repeat; the next step looks for whose post it is.</summary>
    internal const string RepeatClass = "RefusedAsRepeat";

    private const int TimelinePages = 3;

    public Platform Platform => Platform.Weibo;

    public async Task<Step> NextStepAsync(StepContext c, CancellationToken ct)
    {
        var (p, account, item, now) = (c.Publication, c.Account, c.Item, c.Now);
        var rendered = renderer.RenderWeibo(item, account);
        var credentials = account.WeiboCredentials();
        if (p.State == PublicationState.Submitted)
        {
            // Accepted without an id (20053 held for review, 20032 slow): find the post to learn its id.
            return await FindAcceptedAsync(c, rendered.Status, credentials, ct);
        }

        // Everything the send needs is read before the marker is stored, so a marker always means "a send may have happened".
        var picture = rendered.PictureMediaId is null ? null : await media.ReadAsync(rendered.PictureMediaId);
        if (p.SendStartedAt is null)
        {
            // The account's own hourly allowance (weibo.md: about 30 posts per user per hour) is kept before the platform refuses.
            if (await control.TryTakeSendAsync(account, new SendLimit("weibo-posts", options.Value.WeiboPostsPerHour, TimeSpan.FromHours(1))) is { } reopens)
            {
                return outcomes.HeldUntil(p, account, $"每小时发博上限 {options.Value.WeiboPostsPerHour} 条已用完 / the account's {options.Value.WeiboPostsPerHour} posts this hour are used",
                    "posts-per-hour", reopens);
            }

            return outcomes.Continue(p with { SendStartedAt = now }) with
            {
                Also = write => ownership.RecordSend(write, account, PostOwnership.ContentHash(rendered.Status), p.Id, now),
            };
        }

        WeiboStatus status;
        try
        {
            status = await client.ShareAsync(credentials, new WeiboShareRequest(rendered.Status, platforms.Value.Weibo.ClientIp, picture), ct);
        }
        catch (PlatformException e) when (e.RefusedAsRepeat)
        {
            // Nothing was posted now. Whose is the post the platform compares with? The next step looks.
            return outcomes.Continue(p.With(now, $"refused as a repeat ({e.Code}): looking for whose post it is") with
            {
                Attempts = p.Attempts + 1, Error = new PublicationError(RepeatClass, e.Code, e.PlatformMessage, e.Explanation),
            });
        }

        var sent = p with { Attempts = p.Attempts + 1 };
        if (status.IdStr is null)
        {
            // 20053/20032 with no status: the post exists; its id is learnt from the timeline.
            var due = now + TimeSpan.FromSeconds(Math.Clamp(options.Value.ReconcileWindowSeconds / 20.0, 1, 30));
            return outcomes.WaitFor(sent.With(now, "accepted by the platform without an id (20032/20053): looking it up") with
            {
                State = PublicationState.Submitted,
            }, WaitKind.CheckingPlatform, "平台已受理，正在查找微博编号 / accepted by the platform; looking up the post's id", due);
        }

        return outcomes.Published(sent, item, status.IdStr, UrlOf(account.WeiboUid, status.IdStr),
            status.AcceptedWithoutStatus ? $"accepted, held by the platform for review (20032/20053, idstr {status.IdStr})" : $"posted (idstr {status.IdStr})",
            PostOwnership.PostName(account, status.IdStr));
    }

    /// <summary>Retraction: statuses/destroy.</summary>
    public async Task RetractAsync(Publication p, Accounts.Account account, CancellationToken ct) =>
        await client.DestroyAsync(account.WeiboCredentials(), p.PlatformId!, ct);

    public Task<Step> ReconcileAsync(StepContext c, CancellationToken ct) =>
        ReconcileAsync(c, renderer.RenderWeibo(c.Item, c.Account).Status, c.Account.WeiboCredentials(),
            repeatRefused: c.Publication.Error?.Class == RepeatClass && c.Publication.SendStartedAt is not null, ct);

    /// <summary>
    /// A send may have happened (an unknown outcome, or a repeat refusal): which post on the timeline is this publication's?
    /// One: it is published. Several: a person decides. None after an unknown outcome: post again (a repeat refusal will
    /// tell if the platform has it after all). None after a repeat refusal: the platform refuses the text as a repeat of
    /// an earlier post that is not this publication's — a refusal, shown with the posts it may mean.
    /// </summary>
    private async Task<Step> ReconcileAsync(StepContext c, string text, WeiboCredentials credentials, bool repeatRefused, CancellationToken ct)
    {
        var (p, account, item, now) = (c.Publication, c.Account, c.Item, c.Now);
        // Read back further when refused, so the person deciding sees the earlier posts with this text.
        var readFrom = repeatRefused ? p.CreatedAt - TimeSpan.FromDays(30) : p.CreatedAt - Skew;
        List<PostCandidate> candidates;
        IReadOnlyList<DateTimeOffset> others;
        try
        {
            (candidates, others) = await LookAsync(account, text, credentials, readFrom, p.Id, ct);
        }
        catch (PlatformException e)
        {
            return outcomes.LookupFailed(p, item, e);
        }

        switch (Reconciled.Choose(p.Id, p.CreatedAt, Skew, candidates, others))
        {
            case Reconciled.Mine mine:
                return outcomes.Published(p, item, mine.Post.PlatformId, mine.Post.Url,
                    $"found on the platform after {(repeatRefused ? "a repeat refusal" : "an unknown outcome")} (idstr {mine.Post.PlatformId})",
                    PostOwnership.PostName(account, mine.Post.PlatformId));
            case Reconciled.Several several:
                return outcomes.NeedsDecision(p, item, DecisionKind.SeveralCandidates,
                    $"平台上有 {several.Candidates.Count} 条相同内容的微博都可能是本次发布，网关不作猜测，请确认哪一条属于本次发布 / "
                    + $"{several.Candidates.Count} posts with this text could be this publication's; the gateway does not pick one",
                    several.Candidates);
            case Reconciled.Shared shared:
                return outcomes.SharedPost(p, item, shared.Post, (p.SendStartedAt ?? now) + Window);
            case Reconciled.None when repeatRefused:
                return outcomes.NeedsDecision(p with { SendStartedAt = null }, item, DecisionKind.RepeatRefused,
                    "与本账号此前发布的内容重复，平台拒绝再次发布。请修改内容后重新提交，或确认以此前发布的内容为准 / "
                    + "the platform refuses the text as a repeat of an earlier post on this account; change the text, or confirm that the earlier post stands",
                    candidates);
            default:
                return outcomes.Continue(p.With(now, "not found on the platform after an unknown outcome: posting again (a repeat would be refused and looked up)") with
                {
                    SendStartedAt = null,
                });
        }
    }

    /// <summary>The platform accepted the post without giving its id: find it on the timeline, for a bounded time.</summary>
    private async Task<Step> FindAcceptedAsync(StepContext c, string text, WeiboCredentials credentials, CancellationToken ct)
    {
        var (p, account, item, now) = (c.Publication, c.Account, c.Item, c.Now);
        List<PostCandidate> candidates;
        IReadOnlyList<DateTimeOffset> others;
        try
        {
            (candidates, others) = await LookAsync(account, text, credentials, p.CreatedAt - Skew, p.Id, ct);
        }
        catch (PlatformException e)
        {
            return outcomes.LookupFailed(p, item, e);
        }

        var until = (p.SendStartedAt ?? now) + Window;
        switch (Reconciled.Choose(p.Id, p.CreatedAt, Skew, candidates, others))
        {
            case Reconciled.Mine mine:
                return outcomes.Published(p, item, mine.Post.PlatformId, mine.Post.Url, $"accepted earlier; found on the timeline (idstr {mine.Post.PlatformId})",
                    PostOwnership.PostName(account, mine.Post.PlatformId));
            case Reconciled.Several several:
                return outcomes.NeedsDecision(p, item, DecisionKind.SeveralCandidates,
                    $"平台已受理但未给出编号，且有 {several.Candidates.Count} 条相同内容的微博，请确认哪一条属于本次发布 / "
                    + "accepted without an id, and several posts with this text could be this publication's",
                    several.Candidates);
            default:
                return outcomes.LookAgain(p, until)
                    ?? outcomes.Published(p, item, null, null,
                        "accepted by the platform (20032/20053) but not found on the timeline: published without an id; take it down on the platform by hand if needed");
        }
    }

    /// <summary>The account's live posts with this text since <paramref name="readFrom"/>, who holds each, and the other unresolved sends of the text.</summary>
    private async Task<(List<PostCandidate> Candidates, IReadOnlyList<DateTimeOffset> Others)> LookAsync(Accounts.Account account, string text,
        WeiboCredentials credentials, DateTimeOffset readFrom, string publicationId, CancellationToken ct)
    {
        var found = await client.FindRecentPostsAsync(credentials, account.WeiboUid, text, readFrom, TimelinePages, ct);
        var holders = await ownership.HoldersAsync(account, found.Select(s => s.IdStr!).ToList());
        var candidates = found.Select((s, i) => new PostCandidate(s.IdStr!, UrlOf(account.WeiboUid, s.IdStr), s.CreatedAt, s.Text, holders[i])).ToList();
        return (candidates, await ownership.OtherUnresolvedSendsAsync(account, PostOwnership.ContentHash(text), publicationId));
    }

    private TimeSpan Skew => TimeSpan.FromSeconds(options.Value.ReconcileClockSkewSeconds);

    private TimeSpan Window => TimeSpan.FromSeconds(options.Value.ReconcileWindowSeconds);

    private string? UrlOf(string? uid, string? idStr) =>
        idStr is null ? null : new Uri(platforms.Value.Weibo.WebUrl, $"{uid}/{idStr}").ToString();
}
