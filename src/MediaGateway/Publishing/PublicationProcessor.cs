using MediaGateway.Accounts;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Platforms;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Platforms.Weibo;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Publishing;

/// <summary>
/// Moves one publication forward, one recorded step at a time. Each step's result is saved
/// (compare-and-set) before the next platform call, so a crash resumes at the step it stopped at.
/// The two calls without an idempotency key (freepublish/submit, statuses/share) are preceded by a
/// stored <see cref="Publication.SendStartedAt"/>: finding it set without a result means the outcome is
/// unknown, and the publication is failed visibly instead of being sent twice.
/// </summary>
public sealed partial class PublicationProcessor(
    PublicationStore store, ContentStore contents, AccountRegistry accounts, MediaStore media, ContentRenderer renderer,
    WeChatClient weChat, WeiboClient weibo, EventFactory events, IOptions<PublishingOptions> options,
    IOptions<PlatformsOptions> platforms, TimeProvider time, ILogger<PublicationProcessor> logger)
{
    /// <summary>How long WeChat's asynchronous outcome is asked for before the publication is failed as unknown.</summary>
    public static readonly TimeSpan OutcomeWaitLimit = TimeSpan.FromHours(24);

    private readonly PublishingOptions _options = options.Value;

    /// <summary>What the step loop does next.</summary>
    private sealed record Step(Publication Updated, bool Finished, DateTimeOffset? NextDue = null, GatewayEvent? Event = null);

    /// <summary>A referenced image is gone from the store: nothing can be sent.</summary>
    private sealed class MediaMissingException(string mediaId) : Exception($"media {mediaId} is missing")
    {
        public string MediaId { get; } = mediaId;
    }

    /// <summary>
    /// Works on the publication an entry names until it is final or waits; acknowledges the entry with the last save.
    /// <paramref name="renewLease"/> is called before every step (each step makes at most one platform call); when it
    /// answers false the lease is lost and the work stops unsaved.
    /// </summary>
    public async Task ProcessAsync(string publicationId, RedisValue entryId, Func<Task<bool>> renewLease, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(publicationId);
        if (current is null)
        {
            Log.Missing(logger, publicationId);
            await store.AcknowledgeAsync(entryId);
            return;
        }

        var firstLook = true;
        while (current is not null)
        {
            var p = current.Value;
            if (p.IsFinal)
            {
                await store.TrySaveAsync(current, p, ackEntry: entryId);
                return;
            }

            if (p.State == PublicationState.Scheduled && p.DueAt > time.GetUtcNow())
            {
                // A stray entry before its time: put it back in the due set, so it is not forgotten.
                await store.TrySaveAsync(current, p, nextDue: p.DueAt, ackEntry: entryId);
                return;
            }

            if (!await renewLease())
            {
                Log.LeaseLost(logger, publicationId);
                return;
            }

            var step = await NextStepAsync(p, firstLook, cancellationToken);
            firstLook = false;
            var saved = await store.TrySaveAsync(current, step.Updated, step.NextDue,
                step.Finished ? entryId : (RedisValue?)null, step.Event is null ? null : [step.Event]);
            if (!saved)
            {
                await OnConcurrentChangeAsync(p, step, entryId);
                return;
            }

            if (step.Finished)
            {
                return;
            }

            current = await store.GetAsync(publicationId);
        }
    }

    /// <summary>
    /// Gives up on a publication whose processing keeps failing outside the platforms (a bug, lost media):
    /// it is failed visibly rather than retried forever.
    /// </summary>
    public async Task GiveUpAsync(string publicationId, RedisValue entryId, string reason)
    {
        var current = await store.GetAsync(publicationId);
        if (current is null || current.Value.IsFinal)
        {
            await store.AcknowledgeAsync(entryId);
            return;
        }

        var item = (await contents.GetAsync(current.Value.ContentId))?.Value;
        var unknown = current.Value.SendStartedAt is not null;
        var step = Fail(current.Value, item, unknown ? "OutcomeUnknown" : "Internal", "internal", reason,
            $"网关内部错误，已多次重试仍失败 / the gateway failed repeatedly on this publication ({reason})"
            + (unknown ? "; a send may have happened: check the platform before re-driving" : ""));
        await store.TrySaveAsync(current, step.Updated, ackEntry: entryId, events: [step.Event!]);
    }

    /// <summary>
    /// Our save lost a race. If our step recorded a platform result (the post exists), that result must not be
    /// dropped: write it over whatever the other writer decided, unless that is already a success.
    /// </summary>
    private async Task OnConcurrentChangeAsync(Publication before, Step step, RedisValue entryId)
    {
        var sentNow = (step.Updated.PlatformId is not null && before.PlatformId is null)
                      || (step.Updated.PublishId is not null && before.PublishId is null);
        if (!sentNow)
        {
            // Nothing reached a platform in this step: leave the entry; it comes back with fresh state.
            Log.ConcurrentChange(logger, before.Id);
            return;
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var fresh = await store.GetAsync(before.Id);
            if (fresh is null || fresh.Value.State == PublicationState.Published || fresh.Value.PublishId == step.Updated.PublishId && step.Updated.PlatformId is null)
            {
                return;
            }

            var merged = step.Updated.With(time.GetUtcNow(), "platform result recorded after a concurrent change") with
            {
                History = [.. fresh.Value.History, .. step.Updated.History.Skip(before.History.Count)],
            };
            if (await store.TrySaveAsync(fresh, merged, step.NextDue, entryId, step.Event is null ? null : [step.Event]))
            {
                Log.ResultRecordedLate(logger, before.Id);
                return;
            }
        }
    }

    /// <param name="firstLook">True on the first step of this delivery: a send marker found now was left by an earlier, interrupted run.</param>
    private async Task<Step> NextStepAsync(Publication p, bool firstLook, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var account = accounts.Find(p.AccountId);
        var item = (await contents.GetAsync(p.ContentId))?.Value;

        // Once WeChat accepted the submission the article is on its way: only the platform decides its outcome now.
        if (p.State == PublicationState.Submitted)
        {
            return await WeChatOutcomeAsync(p, item, account!, now, ct);
        }

        if (Guard(p, account, item) is { } refusal)
        {
            return Fail(p, item, "Refused", "guard", refusal, refusal);
        }

        if (firstLook && p.SendStartedAt is not null && p.PublishId is null && p.PlatformId is null)
        {
            return Fail(p, item, "OutcomeUnknown", "unknown",
                "an earlier send was interrupted before its answer was recorded",
                "上次发送中断，结果未知，为避免重复发布已停止；请在平台核对后处理 / an earlier send was interrupted and its outcome is unknown; stopped to avoid a duplicate post — check the platform, then re-drive");
        }

        try
        {
            return p.Platform == Platform.WeChat
                ? await WeChatStepAsync(p, account!, item!, now, ct)
                : await WeiboStepAsync(p, account!, item!, now, ct);
        }
        catch (PlatformException e)
        {
            return OnPlatformError(p, item, e, now);
        }
        catch (MediaMissingException e)
        {
            return Fail(p, item, PlatformErrorClass.Content.ToString(), "media", e.Message,
                $"图片 {e.MediaId} 已不存在，无法发送 / image {e.MediaId} is missing from the store; nothing was sent");
        }
    }

    /// <summary>P1 + P3: the account may publish, the item is approved, and what would be sent is what was approved.</summary>
    private string? Guard(Publication p, Account? account, ContentItem? item)
    {
        if (account is null) return $"账号 {p.AccountId} 已不存在 / account '{p.AccountId}' no longer exists";
        if (account.WhyNotPublishable() is { } why) return why;
        if (item is null || item.Status != ContentStatus.Approved || item.Revision != p.Revision)
            return "内容未经完整审核 / the content is not approved at this revision (P3)";
        var fingerprint = renderer.FingerprintFor(item, account);
        return fingerprint == p.ApprovedFingerprint
            ? null
            : "待发送内容与审核通过的内容不一致 / what would be sent differs from what was approved (fingerprint mismatch); not sent (P3)";
    }

    private async Task<Step> WeChatStepAsync(Publication p, Account account, ContentItem item, DateTimeOffset now, CancellationToken ct)
    {
        var credentials = account.WeChatCredentials();
        var rendered = renderer.RenderWeChat(item, account);
        if (p.CoverMediaId is null)
        {
            var cover = await weChat.AddMaterialAsync(credentials, WeChatMaterialType.Image, await MediaFileAsync(rendered.CoverMediaId!), ct);
            return new Step(p.With(now, "cover uploaded (add_material)") with { CoverMediaId = cover.MediaId }, Finished: false);
        }

        if (rendered.BodyMediaIds.FirstOrDefault(id => !p.BodyImageUrls.ContainsKey(id)) is { } missing)
        {
            var url = await weChat.UploadArticleImageAsync(credentials, await MediaFileAsync(missing), ct);
            var urls = new Dictionary<string, string>(p.BodyImageUrls) { [missing] = url };
            return new Step(p.With(now, $"body image {missing} uploaded (uploadimg)") with { BodyImageUrls = urls }, Finished: false);
        }

        if (p.DraftMediaId is null)
        {
            var html = rendered.Html;
            foreach (var (id, url) in p.BodyImageUrls)
            {
                html = html.Replace($"\"{ContentRenderer.MediaReference(id)}\"", $"\"{url}\"", StringComparison.Ordinal);
            }

            var draft = await weChat.AddDraftAsync(credentials,
            [
                new WeChatArticle
                {
                    Title = rendered.Title, Author = rendered.Author, Digest = rendered.Digest, Content = html,
                    ContentSourceUrl = rendered.ContentSourceUrl, ThumbMediaId = p.CoverMediaId,
                },
            ], ct);
            return new Step(p.With(now, "draft created (draft/add)") with { DraftMediaId = draft }, Finished: false);
        }

        if (p.SendStartedAt is null)
        {
            return new Step(p with { SendStartedAt = now }, Finished: false);
        }

        var submitted = await weChat.SubmitPublishAsync(credentials, p.DraftMediaId, ct);
        var next = now.AddMilliseconds(_options.OutcomePollMilliseconds);
        return new Step(p.With(now, $"submitted (freepublish/submit, publish_id {submitted.PublishId})") with
        {
            PublishId = submitted.PublishId, State = PublicationState.Submitted, Attempts = p.Attempts + 1, DueAt = next,
        }, Finished: true, NextDue: next);
    }

    private async Task<Step> WeChatOutcomeAsync(Publication p, ContentItem? item, Account account, DateTimeOffset now, CancellationToken ct)
    {
        WeChatPublishOutcome outcome;
        try
        {
            outcome = await weChat.GetPublishAsync(account.WeChatCredentials(), p.PublishId!, ct);
        }
        catch (PlatformException e) when (e.ErrorClass != PlatformErrorClass.Permanent && now - (p.SendStartedAt ?? now) < OutcomeWaitLimit)
        {
            // Asking failed, not the publication: ask again later.
            Log.PlatformError(logger, p.Id, e.Platform, e.Code, e.ErrorClass);
            return PollAgain(p, now, e.RetryAfter);
        }
        catch (PlatformException e)
        {
            return Fail(p, item, "OutcomeUnknown", e.Code, e.PlatformMessage,
                $"无法查询发布结果（{e.Explanation}）；请在平台核对 / the publication's outcome could not be read ({e.Explanation}); check the platform");
        }

        switch (outcome.Status)
        {
            case WeChatPublishStatus.Success:
                var published = p.With(now, $"published (article_id {outcome.ArticleId})") with
                {
                    State = PublicationState.Published, PlatformId = outcome.ArticleId,
                    Url = outcome.Articles.Count > 0 ? outcome.Articles[0].ArticleUrl : null, PublishedAt = now, DueAt = null,
                };
                return new Step(published, Finished: true, Event: events.ForPublication(EventTypes.PublicationSucceeded, published, item));
            case WeChatPublishStatus.Publishing when now - (p.SendStartedAt ?? now) < OutcomeWaitLimit:
                return PollAgain(p, now, null);
            case WeChatPublishStatus.Publishing:
                return Fail(p, item, "OutcomeUnknown", "publish_status 1", "still publishing",
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
                return Fail(p, item, PlatformErrorClass.Content.ToString(), $"publish_status {(int)outcome.Status}", outcome.Status.ToString(), reason);
        }
    }

    private Step PollAgain(Publication p, DateTimeOffset now, TimeSpan? retryAfter)
    {
        var wait = retryAfter ?? TimeSpan.FromMilliseconds(Math.Min(_options.OutcomePollMilliseconds * Math.Pow(1.5, p.OutcomePolls), 60_000));
        var next = now + wait;
        return new Step(p with { OutcomePolls = p.OutcomePolls + 1, DueAt = next }, Finished: true, NextDue: next);
    }

    private async Task<Step> WeiboStepAsync(Publication p, Account account, ContentItem item, DateTimeOffset now, CancellationToken ct)
    {
        var rendered = renderer.RenderWeibo(item, account);
        // Everything the send needs is read before the marker is stored, so a marker always means "a send may have happened".
        var picture = rendered.PictureMediaId is null ? null : await MediaFileAsync(rendered.PictureMediaId);
        if (p.SendStartedAt is null)
        {
            return new Step(p with { SendStartedAt = now }, Finished: false);
        }

        var status = await weibo.ShareAsync(account.WeiboCredentials(), new WeiboShareRequest(rendered.Status, platforms.Value.Weibo.ClientIp, picture), ct);
        var url = status.IdStr is null ? null : new Uri(platforms.Value.Weibo.WebUrl, $"{account.WeiboUid}/{status.IdStr}").ToString();
        var published = p.With(now, status.AcceptedWithoutStatus ? "accepted, held by the platform for review" : $"posted (idstr {status.IdStr})") with
        {
            State = PublicationState.Published, PlatformId = status.IdStr, Url = url, PublishedAt = now, Attempts = p.Attempts + 1,
        };
        return new Step(published, Finished: true, Event: events.ForPublication(EventTypes.PublicationSucceeded, published, item));
    }

    private Step OnPlatformError(Publication p, ContentItem? item, PlatformException e, DateTimeOffset now)
    {
        Log.PlatformError(logger, p.Id, e.Platform, e.Code, e.ErrorClass);
        var sending = p.SendStartedAt is not null && p.PublishId is null && p.PlatformId is null;
        if (e.OutcomeUnknown && sending)
        {
            return Fail(p, item, "OutcomeUnknown", e.Code, e.PlatformMessage,
                $"发送结果未知（{e.Explanation}），为避免重复发布已停止 / the send's outcome is unknown ({e.Explanation}); stopped to avoid a duplicate post");
        }

        var retryable = e.ErrorClass is PlatformErrorClass.Transient or PlatformErrorClass.RateLimited or PlatformErrorClass.Quota;
        var attempts = p.Attempts + 1;
        if (!retryable || attempts >= _options.MaxAttempts)
        {
            return Fail(p with { Attempts = attempts }, item, e.ErrorClass.ToString(), e.Code, e.PlatformMessage,
                retryable ? $"{e.Explanation}（已重试 {attempts} 次 / after {attempts} attempts）" : e.Explanation);
        }

        var delay = e.RetryAfter ?? Backoff(attempts);
        var due = now + delay;
        // The failed call did not take effect (OutcomeUnknown is false), so sending again is safe.
        return new Step(p.With(now, $"{e.ErrorClass} error {e.Code}: retry {attempts} at {due:O}") with
        {
            Attempts = attempts, SendStartedAt = null, DueAt = due,
            Error = new PublicationError(e.ErrorClass.ToString(), e.Code, e.PlatformMessage, e.Explanation),
        }, Finished: true, NextDue: due);
    }

    private Step Fail(Publication p, ContentItem? item, string errorClass, string code, string platformMessage, string explanation)
    {
        var failed = p.With(time.GetUtcNow(), $"failed: {explanation}") with
        {
            State = PublicationState.Failed, DueAt = null,
            Error = new PublicationError(errorClass, code, platformMessage, explanation),
        };
        return new Step(failed, Finished: true, Event: events.ForPublication(EventTypes.PublicationFailed, failed, item));
    }

    /// <summary>Exponential back-off with ±20 % jitter, capped at an hour.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var seconds = Math.Min(_options.RetryBaseSeconds * Math.Pow(2, attempt - 1), 3600);
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private async Task<MediaFile> MediaFileAsync(string mediaId)
    {
        var info = await media.FindAsync(mediaId) ?? throw new MediaMissingException(mediaId);
        var bytes = await media.ReadBytesAsync(mediaId) ?? throw new MediaMissingException(mediaId);
        return new MediaFile(info.FileName, info.ContentType, bytes);
    }

    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Information, "Publication {PublicationId} changed concurrently; left for redelivery")]
        public static partial void ConcurrentChange(ILogger logger, string publicationId);

        [LoggerMessage(2002, LogLevel.Warning, "Publication {PublicationId}: {Platform} error {Code} ({ErrorClass})")]
        public static partial void PlatformError(ILogger logger, string publicationId, Platform platform, string code, PlatformErrorClass errorClass);

        [LoggerMessage(2003, LogLevel.Warning, "Publication {PublicationId}: lease lost before the next step; another worker has it")]
        public static partial void LeaseLost(ILogger logger, string publicationId);

        [LoggerMessage(2004, LogLevel.Warning, "Publication {PublicationId}: platform result recorded after a concurrent change")]
        public static partial void ResultRecordedLate(ILogger logger, string publicationId);

        [LoggerMessage(2005, LogLevel.Error, "Stream entry names publication {PublicationId}, which does not exist; acknowledged")]
        public static partial void Missing(ILogger logger, string publicationId);
    }
}
