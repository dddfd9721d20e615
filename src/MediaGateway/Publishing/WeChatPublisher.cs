using MediaGateway.Accounts;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Platforms;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Storage;
using Microsoft.Extensions.Options;

namespace MediaGateway.Publishing;

/// <summary>
/// The WeChat steps: cover (add_material) → body images (uploadimg) → draft (draft/add) → send marker →
/// freepublish/submit or mass/sendall → outcome (freepublish/get, mass/get, or a callback nudge).
/// After an unknown outcome, a freepublish is looked up with batchget before any resubmission; a mass
/// send is simply repeated with the same clientmsgid, which the platform de-duplicates (45065).
/// </summary>
internal sealed class WeChatPublisher(WeChatClient client, PublicationMedia media, PublicationOutcomes outcomes,
    PublishingControl control, RedisKeys keys, WeChatMassSlots massSlots, PostOwnership ownership, IOptions<PublishingOptions> options)
    : IPlatformPublisher
{
    private readonly PublishingOptions _options = options.Value;

    public Platform Platform => Platform.WeChat;

    public async Task<Step> NextStepAsync(StepContext c, CancellationToken ct)
    {
        var (p, account, item, now) = (c.Publication, c.Account, c.Item, c.Now);
        var credentials = account.WeChatCredentials();
        if (p.State == PublicationState.Submitted)
        {
            return account.PublishMode == PublishMode.MassSend
                ? await MassOutcomeAsync(p, account, item, credentials, now, ct)
                : await FreePublishOutcomeAsync(p, account, item, credentials, now, ct);
        }

        var rendered = c.Snapshot.WeChatArticle(account);
        if (p.CoverMediaId is null)
        {
            var cover = await client.AddMaterialAsync(credentials, WeChatMaterialType.Image, await media.ReadAsync(rendered.CoverMediaId!), ct);
            return outcomes.Continue(p.With(now, "cover uploaded (add_material)") with { CoverMediaId = cover.MediaId });
        }

        if (rendered.BodyMediaIds.FirstOrDefault(id => !p.BodyImageUrls.ContainsKey(id)) is { } missing)
        {
            var url = await client.UploadArticleImageAsync(credentials, await media.ReadAsync(missing), ct);
            var urls = new Dictionary<string, string>(p.BodyImageUrls) { [missing] = url };
            return outcomes.Continue(p.With(now, $"body image {missing} uploaded (uploadimg)") with { BodyImageUrls = urls });
        }

        if (p.DraftMediaId is null)
        {
            var html = rendered.Html;
            foreach (var (id, url) in p.BodyImageUrls)
            {
                html = html.Replace($"\"{ContentRenderer.MediaReference(id)}\"", $"\"{url}\"", StringComparison.Ordinal);
            }

            var draft = await client.AddDraftAsync(credentials,
            [
                new WeChatArticle
                {
                    Title = rendered.Title, Author = rendered.Author, Digest = rendered.Digest, Content = html,
                    ContentSourceUrl = rendered.ContentSourceUrl, ThumbMediaId = p.CoverMediaId,
                    NeedOpenComment = rendered.NeedOpenComment, OnlyFansCanComment = rendered.OnlyFansCanComment, // decision 45
                },
            ], ct);
            return outcomes.Continue(p.With(now, "draft created (draft/add)") with { DraftMediaId = draft });
        }

        if (p.SendStartedAt is null)
        {
            if (account.PublishMode == PublishMode.MassSend)
            {
                // Take one of the period's mass sends (subscription: 1 a day; service: 4 a month) atomically, so no two
                // publications both call sendall for the last one.
                if (!await massSlots.TryTakeAsync(credentials, p.Id, now))
                {
                    return MassQuotaUsed(p, credentials, now);
                }

                var perMinute = _options.WeChatMassSendsPerMinute;
                if (await control.TryTakeSendAsync(account, new SendLimit("wechat-mass", perMinute, TimeSpan.FromMinutes(1))) is { } minuteEnds)
                {
                    return outcomes.HeldUntil(p, account, $"每分钟群发调用上限 {perMinute} 次已用完 / the account's {perMinute} mass-send calls this minute are used",
                        "mass-per-minute", minuteEnds);
                }
            }

            var marked = outcomes.Continue(p with { SendStartedAt = now });
            return account.PublishMode == PublishMode.MassSend ? marked : marked with
            {
                Also = write => ownership.RecordSend(write, account, ContentHash(rendered), p.Id, now),
            };
        }

        var next = now.AddMilliseconds(_options.OutcomePollMilliseconds);
        if (account.PublishMode == PublishMode.MassSend)
        {
            // The slot is for the period the call is made in (the marker may have been stored before China midnight).
            if (!await massSlots.TryTakeAsync(credentials, p.Id, now))
            {
                return MassQuotaUsed(p with { SendStartedAt = null }, credentials, now);
            }

            // The idempotency key is derived from the publication id: a repeat after an unknown outcome is absorbed (45065).
            var sent = await client.SendMassAsync(credentials, p.DraftMediaId, WeChatClient.ClientMsgIdFor(p.Id), sendIgnoreReprint: false, ct);
            return new Step(p.With(now, sent.AlreadySent
                ? $"mass send already done for this clientmsgid (45065, msg_id {sent.MsgId})"
                : $"mass sent (message/mass/sendall, msg_id {sent.MsgId})") with
            {
                MassMsgId = sent.MsgId, State = PublicationState.Submitted, Attempts = p.Attempts + 1, DueAt = next, Waiting = null,
            }, Finished: true, NextDue: next,
                Also: write => write.StringSet(keys.WeChatPublishIndex(credentials.AppId, "mass-" + sent.MsgId), p.Id, TimeSpan.FromDays(30)))
            {
                // The clientmsgid is this publication's, so the msg_id (new, or the existing one of a 45065) is its own.
                Claims = sent.MsgId is null ? null : [PostOwnership.PostName(account, sent.MsgId)],
            };
        }

        WeChatPublishSubmitted submitted;
        try
        {
            submitted = await client.SubmitPublishAsync(credentials, p.DraftMediaId, ct);
        }
        catch (PlatformException e) when (e.RefusedAsRepeat)
        {
            // The draft has left the box: an earlier submit of it (whose answer or record was lost) took it. Never a failure
            // to show, never a second submit: look for the article.
            return outcomes.Continue(p.With(now, $"the draft was already submitted ({e.Code}): looking for its article") with
            {
                Error = new PublicationError(RepeatClass, e.Code, e.PlatformMessage, e.Explanation),
            });
        }

        return new Step(p.With(now, $"submitted (freepublish/submit, publish_id {submitted.PublishId})") with
        {
            PublishId = submitted.PublishId, State = PublicationState.Submitted, Attempts = p.Attempts + 1, DueAt = next, Waiting = null,
        }, Finished: true, NextDue: next,
            Also: write => write.StringSet(keys.WeChatPublishIndex(credentials.AppId, submitted.PublishId), p.Id, TimeSpan.FromDays(30)));
    }

    /// <summary>
    /// A send's answer was lost (or the draft was found taken). A mass send is simply repeated: its clientmsgid is this
    /// publication's, so the platform answers a repeat with the existing msg_id (45065). A freepublish is looked for.
    /// </summary>
    public Task<Step> ReconcileAsync(StepContext c, CancellationToken ct) =>
        c.Account.PublishMode == PublishMode.MassSend
            ? NextStepAsync(c, ct)
            : ReconcileFreePublishAsync(c, c.Account.WeChatCredentials(), c.Snapshot.WeChatArticle(c.Account), ct);

    /// <summary>Retraction: freepublish/delete (every article of the publication) or mass/delete.</summary>
    public Task RetractAsync(Publication p, Account account, CancellationToken ct) =>
        account.PublishMode == PublishMode.MassSend
            ? client.DeleteMassAsync(account.WeChatCredentials(), p.PlatformId!, 0, ct)
            : client.DeletePublishedAsync(account.WeChatCredentials(), p.PlatformId!, 0, ct);

    /// <summary>
    /// A submit was sent but its answer not recorded. freepublish/submit has no idempotency key, so the draft is never
    /// submitted again by the gateway: it looks for the article (title and link, created after the first submit attempt,
    /// held by no other publication) for <see cref="PublishingOptions.ReconcileWindowSeconds"/>, visibly; then it asks a
    /// person, saying whether the draft is still in the draft box (wechat-mp.md, "How to reconcile without guessing").
    /// </summary>
    private async Task<Step> ReconcileFreePublishAsync(StepContext c, WeChatCredentials credentials, WeChatRendering rendered, CancellationToken ct)
    {
        var (p, account, item, now) = (c.Publication, c.Account, c.Item, c.Now);
        var skew = TimeSpan.FromSeconds(_options.ReconcileClockSkewSeconds);
        IReadOnlyList<WeChatPublishedItem> found;
        try
        {
            found = await client.FindPublishedItemsAsync(credentials,
                i => i.Articles.Any(a => a.Title == rendered.Title && !a.IsDeleted
                    && (rendered.ContentSourceUrl is null || a.ContentSourceUrl is null || a.ContentSourceUrl == rendered.ContentSourceUrl)),
                p.CreatedAt - skew, maxPages: 5, ct);
        }
        catch (PlatformException e)
        {
            return outcomes.LookupFailed(p, item, e);
        }

        var others = await ownership.OtherUnresolvedSendsAsync(account, ContentHash(rendered), p.Id);
        var holders = await ownership.HoldersAsync(account, found.Select(f => f.ArticleId).ToList());
        var candidates = found.Select((f, i) => new PostCandidate(f.ArticleId, f.Articles.Count > 0 ? f.Articles[0].Url : null, f.UpdateTime,
            f.Articles.Count > 0 ? f.Articles[0].Title : null, holders[i])).ToList();
        var until = p.SendStartedAt!.Value + TimeSpan.FromSeconds(_options.ReconcileWindowSeconds);
        switch (Reconciled.Choose(p.Id, p.CreatedAt, skew, candidates, others))
        {
            case Reconciled.Mine mine:
                return outcomes.Published(p, item, mine.Post.PlatformId, mine.Post.Url,
                    $"found on the platform after an unknown outcome (freepublish/batchget, article_id {mine.Post.PlatformId})",
                    PostOwnership.PostName(account, mine.Post.PlatformId));
            case Reconciled.Several several:
                return outcomes.NeedsDecision(p, item, DecisionKind.SeveralCandidates,
                    $"平台上有 {several.Candidates.Count} 篇同标题同链接的文章都可能是本次发布，网关不作猜测，请确认 / "
                    + $"{several.Candidates.Count} published articles with this title and link could be this publication's; the gateway does not pick one",
                    several.Candidates);
            case Reconciled.Shared shared:
                return outcomes.SharedPost(p, item, shared.Post, until);
        }

        if (outcomes.LookAgain(p, until) is { } again)
        {
            return again;
        }

        bool draftKept;
        try
        {
            draftKept = await client.DraftExistsAsync(credentials, p.DraftMediaId!, ct);
        }
        catch (PlatformException e)
        {
            return outcomes.LookupFailed(p, item, e);
        }

        return outcomes.NeedsDecision(p, item, DecisionKind.OutcomeStillUnknown, draftKept
            ? "提交结果未知：草稿仍在草稿箱，可能未提交成功，也可能仍在发布任务中。网关不会重复提交，请在公众号后台核对后决定是否重新发送 / "
              + "the submit's outcome is unknown and the draft is still in the draft box: it may not have been submitted, or a publish job may still hold it. "
              + "The gateway never submits a draft twice; check the account's console, then decide whether to send again"
            : "提交结果未知：草稿已不在草稿箱，说明已提交，但在核对期限内未找到发布的文章（任务可能仍在进行或已失败）。请在公众号后台核对 / "
              + "the submit's outcome is unknown and the draft has left the draft box, so it was submitted, but no published article was found in time "
              + "(the job may still run, or it failed); check the account's console",
            []);
    }

    /// <summary>What identifies a freepublish on the platform when its answer is lost: the title and the "read original" link.</summary>
    private static string ContentHash(WeChatRendering rendered) => PostOwnership.ContentHash(rendered.Title + "\n" + rendered.ContentSourceUrl);

    /// <summary>The error class recorded when WeChat says the draft was already taken by a submit (40007 on freepublish/submit).</summary>
    internal const string RepeatClass = "DraftAlreadySubmitted";

    private Step MassQuotaUsed(Publication p, WeChatCredentials credentials, DateTimeOffset now)
    {
        var reopens = WeChatMassQuota.NextPeriodStart(credentials.AccountKind, now);
        var limit = WeChatMassQuota.Limit(credentials.AccountKind);
        return outcomes.WaitFor(p, WaitKind.Quota,
            $"本期群发次数（{limit} 次）已用完，{reopens.ToOffset(TimeSpan.FromHours(8)):M月d日 HH:mm} 后发送 / the period's {limit} mass send(s) are taken; it goes out after {reopens:O}",
            reopens);
    }

    private async Task<Step> FreePublishOutcomeAsync(Publication p, Account account, ContentItem item, WeChatCredentials credentials, DateTimeOffset now, CancellationToken ct)
    {
        WeChatPublishOutcome outcome;
        try
        {
            outcome = await client.GetPublishAsync(credentials, p.PublishId!, ct);
        }
        catch (PlatformException e) when (PublishRetryPolicy.AfterPollError(e, p.SendStartedAt, p.OutcomePolls, p.Attempts, _options, now) is NextMove.PollAt poll)
        {
            return PollAgain(p, poll.At); // asking failed, not the publication
        }
        catch (PlatformException e)
        {
            return outcomes.Fail(p, item, "OutcomeUnknown", e.Code, e.PlatformMessage,
                $"无法查询发布结果（{e.Explanation}）；请在平台核对 / the publication's outcome could not be read ({e.Explanation}); check the platform");
        }

        switch (outcome.Status)
        {
            case WeChatPublishStatus.Success:
                return outcomes.Published(p, item, outcome.ArticleId, outcome.Articles.Count > 0 ? outcome.Articles[0].ArticleUrl : null,
                    $"published (article_id {outcome.ArticleId})", outcome.ArticleId is null ? null : PostOwnership.PostName(account, outcome.ArticleId));
            case WeChatPublishStatus.Publishing when PublishRetryPolicy.StillWaiting(p.SendStartedAt, now):
                return PollAgain(p, PublishRetryPolicy.NextPoll(p.OutcomePolls, null, _options, now));
            case WeChatPublishStatus.Publishing:
                return outcomes.Fail(p, item, "OutcomeUnknown", "publish_status 1", "still publishing",
                    "平台超过 24 小时仍在发布中；请在平台核对 / the platform still reports 'publishing' after 24 hours; check the platform");
            default:
                var reason = outcome.Status switch
                {
                    WeChatPublishStatus.OriginalityCheckFailed => "原创校验未通过 / the originality check failed",
                    WeChatPublishStatus.RejectedByReview => "平台审核未通过 / the platform's review rejected the article",
                    WeChatPublishStatus.DeletedByUser => "已被用户删除 / deleted by a user after publishing",
                    WeChatPublishStatus.BannedBySystem => "已被系统封禁 / banned by the platform after publishing",
                    _ => "平台发布失败 / the platform reports a general publishing failure",
                };
                return outcomes.Fail(p, item, PlatformErrorClass.Content.ToString(), $"publish_status {(int)outcome.Status}", outcome.Status.ToString(), reason);
        }
    }

    private async Task<Step> MassOutcomeAsync(Publication p, Account account, ContentItem item, WeChatCredentials credentials, DateTimeOffset now, CancellationToken ct)
    {
        WeChatMassOutcome outcome;
        try
        {
            outcome = await client.GetMassAsync(credentials, p.MassMsgId!, ct);
        }
        catch (PlatformException e) when (PublishRetryPolicy.AfterPollError(e, p.SendStartedAt, p.OutcomePolls, p.Attempts, _options, now) is NextMove.PollAt poll)
        {
            return PollAgain(p, poll.At);
        }

        // Any other failure to ask is the step's error (thrown on to the processor's PublishRetryPolicy.AfterStepError).

        return outcome.Status switch
        {
            WeChatMassStatus.SendSuccess => outcomes.Published(p, item, p.MassMsgId, null, $"mass send delivered (msg_id {p.MassMsgId})",
                PostOwnership.PostName(account, p.MassMsgId!)),
            WeChatMassStatus.Sending when PublishRetryPolicy.StillWaiting(p.SendStartedAt, now) => PollAgain(p, PublishRetryPolicy.NextPoll(p.OutcomePolls, null, _options, now)),
            WeChatMassStatus.Deleted => outcomes.Fail(p, item, PlatformErrorClass.Content.ToString(), "DELETE", outcome.RawStatus ?? "DELETE",
                "群发消息已被删除 / the mass-sent message was deleted"),
            _ => outcomes.Fail(p, item, PlatformErrorClass.Content.ToString(), outcome.RawStatus ?? "SEND_FAIL", outcome.RawStatus ?? "SEND_FAIL",
                "群发失败 / the platform reports the mass send failed"),
        };
    }

    private Step PollAgain(Publication p, DateTimeOffset at) => outcomes.WaitUntil(p with { OutcomePolls = p.OutcomePolls + 1 }, at);
}
