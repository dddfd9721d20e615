using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content.Rendering;
using MediaGateway.Hosting;
using MediaGateway.Platforms;
using MediaGateway.Rules;
using MediaGateway.Rules.Text;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Content;

/// <summary>
/// Turns an operator's request into a stored item in review, or a new revision of one: everything is
/// checked first (fields, scope, accounts, media, platform limits), rules run, and only then one Redis
/// transaction writes the item and its events — a refused request leaves nothing behind.
/// </summary>
internal sealed class ContentSubmission(
    AccountRegistry accounts, MediaStore media, ContentStore store, ContentRenderer renderer,
    RuleSetProvider rules, EventFactory events, TimeProvider time, Scheduling.SlotBook slots, Scheduling.ScheduleStore schedule)
{
    private const int WeChatTitleMax = WeChatLimits.TitleMax;
    private const int WeChatAuthorMax = WeChatLimits.AuthorMax;
    private const int WeChatDigestMax = WeChatLimits.DigestMax;

    /// <summary>What preparing a request gives: an item ready to store (with notices for the operator), or the answer refusing it.</summary>
    private sealed record Prepared(ContentItem? Item, IReadOnlyList<string> Notices, ValidationProblem? Invalid = null, ProblemHttpResult? Problem = null)
    {
        /// <summary>The slots the item was given ("next free slot"), as read.</summary>
        public IReadOnlyList<(string Account, Scheduling.SlotState Slot)> Slots { get; init; } = [];
    }

    public async Task<Results<Created<ContentView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(GatewayUser user, SubmitContentRequest request)
    {
        if (!user.Has(Role.Operator))
        {
            return Problems.Forbidden("只有运营人员可以提交内容 / only operators submit content");
        }

        // A slot found free can be taken by a simultaneous submission: the write checks it is still as read, and on a
        // clash the request is prepared again and gets the next free slot (decision 44).
        for (var attempt = 1; ; attempt++)
        {
            var prepared = await PrepareAsync(user, request, NewId(time.GetUtcNow()), revision: 1);
            if (prepared.Invalid is { } invalid) return invalid;
            if (prepared.Problem is { } problem) return problem;
            var item = prepared.Item!;

            // The rule results and the list versions go into the record (P7).
            var submitted = events.ForContent(EventTypes.ContentSubmitted, item, user.Id, RulesRecord(item));
            var stored = await store.TryCreateAsync(item, item.Status == ContentStatus.InReview
                ? [submitted, events.ForContent(EventTypes.ReviewRequested, item, user.Id, new() { ["level"] = 1 })]
                : [submitted], tx => Schedule(tx, null, item, prepared.Slots));
            if (stored)
                return TypedResults.Created($"/api/content/{item.Id}", ContentView.From(item, [], time.GetUtcNow()) with { Notices = prepared.Notices });
            if (attempt == MaxSlotAttempts)
                return Problems.Conflict("所选时段刚被其他稿件占用，未保存，请重试 / the slot was taken by another item at the same moment; nothing was saved — try again");
        }
    }

    /// <summary>How often a submission asking for the next free slot is prepared again after losing its slot to another.</summary>
    private const int MaxSlotAttempts = 10;

    /// <summary>The item's schedule index entries, and for each slot it was given, the check that the slot is still as it was read.</summary>
    private void Schedule(StackExchange.Redis.ITransaction tx, ContentItem? previous, ContentItem item, IReadOnlyList<(string Account, Scheduling.SlotState Slot)> slots)
    {
        schedule.Index(tx, previous, item);
        foreach (var (account, slot) in slots) schedule.RequireUnchanged(tx, account, slot.Slot.At, slot.IndexEntries);
    }


    /// <summary>
    /// A new revision of an item not yet approved (in review, blocked by rules, or rejected). Approvals given to the
    /// older revision are void (P3): the new revision's fingerprints start the review over at 初审.
    /// </summary>
    public async Task<Results<Ok<ContentView>, ValidationProblem, ProblemHttpResult>> ReviseAsync(GatewayUser user, string id, SubmitContentRequest request)
    {
        var current = await store.GetAsync(id);
        if (current is null) return Problems.NotFound($"no content item '{id}'");
        if (ContentActions.WhyCannotRevise(user, current.Value) is { } refusal) return refusal;

        var prepared = await PrepareAsync(user, request, id, current.Value.Revision + 1, current.Value);
        if (prepared.Invalid is { } invalid) return invalid;
        if (prepared.Problem is { } problem) return problem;
        var item = prepared.Item!;

        var revised = events.ForContent(EventTypes.ContentRevised, item, user.Id, RulesRecord(item));
        GatewayEvent[] emitted = item.Status == ContentStatus.InReview
            ? [revised, events.ForContent(EventTypes.ReviewRequested, item, user.Id, new() { ["level"] = 1 })]
            : [revised];
        if (!await store.TryUpdateAsync(current, item, emitted, tx =>
            {
                store.ArchiveRevision(tx, current);
                Schedule(tx, current.Value, item, prepared.Slots);
            }))
        {
            return Problems.ChangedMeanwhile();
        }

        return TypedResults.Ok(ContentView.From(item, [], time.GetUtcNow()) with { Notices = prepared.Notices });
    }

    private static System.Text.Json.Nodes.JsonObject RulesRecord(ContentItem item) => new()
    {
        ["rules"] = new System.Text.Json.Nodes.JsonObject
        {
            ["version"] = item.RulesVersion,
            ["findings"] = System.Text.Json.Nodes.JsonNode.Parse(Storage.Json.Serialize(item.Findings)),
        },
    };

    private async Task<Prepared> PrepareAsync(GatewayUser user, SubmitContentRequest request, string id, int revision, ContentItem? previous = null)
    {
        var errors = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(request.Title)) errors.Add("title", "必填 / required");
        if (string.IsNullOrWhiteSpace(request.Body)) errors.Add("body", "必填 / required");
        if (request.Category is null) errors.Add("category", $"必填 / required: one of {string.Join(", ", Enum.GetNames<ContentCategory>())}");
        // What each category's deadline (P10–P12) is counted from.
        if (request.Category == ContentCategory.NormativeDocument)
        {
            if (string.IsNullOrWhiteSpace(request.DocumentNumber)) errors.Add("documentNumber", "规范性文件须填写文号 / required for a normative document (文号)");
            if (request.IssuedOn is null) errors.Add("issuedOn", "规范性文件须填写印发日期 / required for a normative document: its issuance date (P10)");
        }

        if (request.Category == ContentCategory.PolicyInterpretation)
        {
            if (string.IsNullOrWhiteSpace(request.InterpretedDocument)) errors.Add("interpretedDocument", "政策解读须填写所解读文件 / required for a policy interpretation: the document interpreted");
            if (request.IssuedOn is null) errors.Add("issuedOn", "政策解读须填写所解读文件的印发日期 / required for a policy interpretation: the interpreted document's issuance date (P12)");
        }

        if (request.Category == ContentCategory.LivelihoodActivity && request.ActivityEndsAt is null)
            errors.Add("activityEndsAt", "民生活动须填写活动结束时间 / required for a livelihood activity: when it ends (P11)");
        if (request.Summary is { Length: > WeChatDigestMax }) errors.Add("summary", $"最多 {WeChatDigestMax} 个字 / at most {WeChatDigestMax} characters");
        if (request.Author is { Length: > WeChatAuthorMax }) errors.Add("author", $"最多 {WeChatAuthorMax} 个字 / at most {WeChatAuthorMax} characters");
        Uri? link = null;
        if (request.Link is not null && (!Uri.TryCreate(request.Link, UriKind.Absolute, out link) || link.Scheme is not ("https" or "http")))
        {
            errors.Add("link", "须为以 http(s):// 开头的完整网址 / must be an absolute http(s) URL");
            link = null;
        }

        // Dates inside their documented bounds (InputBounds): 0001-01-01 or 9999-12-31 is a typing mistake, not a schedule.
        var now = time.GetUtcNow();
        InputBounds.Instant(request.PublishAt, "publishAt", now, errors, notBefore: now.AddHours(-InputBounds.PublishAtHoursBack));
        InputBounds.Instant(request.ActivityEndsAt, "activityEndsAt", now, errors);
        InputBounds.CalendarDay(request.IssuedOn, "issuedOn", errors);

        var targets = new List<Account>();
        var targetIds = request.Targets ?? [];
        if (targetIds.Count == 0) errors.Add("targets", "请至少选择一个发布账号 / at least one account is required");
        if (targetIds.Distinct(StringComparer.Ordinal).Count() != targetIds.Count) errors.Add("targets", "同一账号选了两次 / an account appears twice");
        for (var i = 0; i < targetIds.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(targetIds[i]))
            {
                errors.Add($"targets[{i}]", "an account id is required");
                continue;
            }

            var account = accounts.Find(targetIds[i]);
            if (account is null)
            {
                errors.Add($"targets[{i}]", $"unknown account '{targetIds[i]}'");
                continue;
            }

            targets.Add(account);
            if (account.Platform == Platform.WeChat && request.Title is { Length: > WeChatTitleMax })
                errors.Add("title", $"公众号「{account.Name}」的标题最多 {WeChatTitleMax} 个字 / at most {WeChatTitleMax} characters for WeChat account '{account.Id}'");
            if (account.Platform == Platform.WeChat && string.IsNullOrEmpty(request.CoverMediaId))
                errors.Add("coverMediaId", $"公众号「{account.Name}」须有封面图片 / a cover image is required for WeChat account '{account.Id}'");
            if (account.Platform == Platform.Weibo && link is null && request.Link is null)
                errors.Add("link", $"微博「{account.Name}」须附原文链接，且在安全域名 {account.SafeDomain} 下 / required for Weibo account '{account.Id}': a post must link to its safe domain {account.SafeDomain}");
            if (link is not null && !LinkAllowed(link, account.AllowedLinkDomains))
                errors.Add("link", $"「{link.Host}」不在账号「{account.Name}」允许的链接域名内（{string.Join("、", account.AllowedLinkDomains)}） / '{link.Host}' is not on the allow-list of account '{account.Id}' ({string.Join(", ", account.AllowedLinkDomains)})");
        }

        // The images as stored (name, type sniffed from the bytes, size): the platforms' image limits are rule findings below.
        var storedMedia = new Dictionary<string, StoredMedia>(StringComparer.Ordinal);
        if (request.CoverMediaId is { } cover)
        {
            if (!string.IsNullOrWhiteSpace(cover) && await media.FindAsync(cover) is { } found) storedMedia[cover] = found;
            else errors.Add("coverMediaId", $"封面图片未上传或已失效，请重新上传 / no uploaded image '{cover}' (omit the field for no cover)");
        }

        var bodyMediaIds = request.Body is null ? [] : ContentRenderer.BodyMediaIds(request.Body, request.BodyFormat ?? BodyFormats.Detect(request.Body));
        foreach (var mediaId in bodyMediaIds)
        {
            if (storedMedia.ContainsKey(mediaId)) continue;
            if (await media.FindAsync(mediaId) is { } found) storedMedia[mediaId] = found;
            else errors.Add("body", $"正文中的图片 media:{mediaId} 未上传，请重新插入 / image reference media:{mediaId} was never uploaded");
        }

        var weibo = Variants.Normalize(request.Weibo);
        var weChat = Variants.Normalize(request.WeChat);
        await Variants.CheckAsync(weibo, weChat, targets, media, storedMedia, errors);

        var agencies = (request.Agencies ?? []).Select(a => a?.Trim() ?? "").ToList();
        for (var i = 0; i < agencies.Count; i++)
        {
            if (agencies[i].Length == 0) errors.Add($"agencies[{i}]", "an agency name is required");
        }

        if (agencies.Distinct(StringComparer.Ordinal).Count() != agencies.Count) errors.Add("agencies", "同一机关填了两次 / an agency appears twice");
        CheckSlotChoice(request, targets, errors);

        if (errors.Count > 0)
        {
            return new Prepared(null, [], Invalid: Problems.Invalid(errors));
        }

        // Scope and account state are checked once the request itself is sound.
        foreach (var account in targets)
        {
            if (!user.IsAdministrator && account.Ownership.OperatingTeam != user.Department)
                return new Prepared(null, [], Problem: Problems.Forbidden($"账号 {account.Id} 不由你的部门运营 / account '{account.Id}' is not operated by your department ({user.Department})"));
            if (account.WhyNotPublishable() is { } why)
                return new Prepared(null, [], Problem: Problems.Conflict(why));
        }

        // "Next free slot": each target's own, resolved now; the item keeps the times it got (decision 44).
        var slotTimes = await ResolveSlotsAsync(request, targets, now, previous?.Id);
        if (slotTimes is { Problem: { } noSlot }) return new Prepared(null, [], Problem: noSlot);

        var ruleSet = rules.Current;
        var draft = new ContentItem
        {
            Id = id,
            Revision = revision,
            Title = request.Title!.Trim(),
            // CRLF and LF read the same; stored (and fingerprinted) as LF (decision 25).
            Summary = request.Summary is null ? null : TextHygiene.NormalizeLineBreaks(request.Summary.Trim()),
            Author = request.Author?.Trim(),
            Body = TextHygiene.NormalizeLineBreaks(request.Body!),
            BodyFormat = request.BodyFormat,
            Link = request.Link,
            CoverMediaId = request.CoverMediaId,
            Weibo = weibo,
            WeChat = weChat,
            Targets = targetIds,
            Category = request.Category!.Value,
            DocumentNumber = request.DocumentNumber?.Trim(),
            IssuedOn = request.IssuedOn,
            InterpretedDocument = request.InterpretedDocument?.Trim(),
            ActivityEndsAt = request.ActivityEndsAt,
            PublishAt = request.PublishAt,
            SlotTimes = slotTimes?.Times,
            RequiredLevels = targets.Max(a => a.ReviewLevels),
            Agencies = agencies,
            Sensitive = request.Sensitive,
            CreatedBy = previous?.CreatedBy ?? user.Id,
            Department = previous?.Department ?? user.Department,
            CreatedAt = previous?.CreatedAt ?? now,
            RevisedAt = previous is null ? null : now,
            RevisedBy = previous is null ? null : user.Id,
            Editors = [.. (previous?.Editors ?? []).Union([previous?.CreatedBy ?? user.Id, user.Id]).Distinct(StringComparer.Ordinal)],
            Status = ContentStatus.InReview,
            Fingerprints = new Dictionary<string, string>(),
            Findings = [],
            RulesVersion = ruleSet.Version,
        };

        // Render for every target: what exceeds a platform's limits is a 400 naming the field; what the renderer
        // changed on the way (removed markup, a shortened summary) is told back as notices.
        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        var notices = new List<string>();
        // The article body is the same for every WeChat target: rendered once, then put in each account's template.
        var weChatArticle = renderer.WeChatArticles(draft);
        foreach (var account in targets)
        {
            IReadOnlyList<RenderingIssue> issues;
            if (account.Platform == Platform.WeChat)
            {
                var article = weChatArticle(account);
                fingerprints[account.Id] = article.Fingerprint;
                issues = article.Issues;
            }
            else
            {
                var post = renderer.RenderWeibo(draft, account);
                fingerprints[account.Id] = post.Fingerprint;
                issues = post.Issues;
            }

            foreach (var issue in issues)
            {
                if (issue.Blocking) errors.Add(issue.Field, $"{account.Id}: {issue.Message}");
                else notices.Add($"{account.Id}: {issue.Message}");
            }
        }

        if (errors.Count > 0)
        {
            return new Prepared(null, [], Invalid: Problems.Invalid(errors));
        }

        // Links in the text must be allowed for every target: each target's allow-list is checked.
        // So are the images: what a platform would refuse about one (type, size) blocks here, not at publishing.
        var findings = ContentRuleInputs.Evaluate(ruleSet, draft, targets, renderer, new ItemMedia(storedMedia, bodyMediaIds));
        var item = draft with
        {
            Fingerprints = fingerprints,
            Findings = findings,
            Status = findings.Any(f => f.Severity == Severity.Block) ? ContentStatus.ChangesRequired : ContentStatus.InReview,
        };
        return new Prepared(item, notices) { Slots = slotTimes?.Claims ?? [] };
    }

    /// <summary><c>slot</c> asks for a posting slot: not together with publishAt, and only on accounts that have slots.</summary>
    private static void CheckSlotChoice(SubmitContentRequest request, List<Account> targets, Dictionary<string, List<string>> errors)
    {
        if (request.Slot is null) return;
        if (request.PublishAt is not null)
            errors.Add("slot", "请选择“下一个空闲时段”或填写发布时间，二者只能选一 / ask for a slot or give publishAt, not both");
        foreach (var account in targets.Where(a => a.Slots is null))
            errors.Add("slot", $"账号「{account.Name}」未设置发布时段，请填写发布时间 / account '{account.Id}' has no posting slots (Accounts:{account.Id}:Slots): give publishAt instead");
    }

    private sealed record ResolvedSlots(IReadOnlyDictionary<string, DateTimeOffset>? Times, ProblemHttpResult? Problem = null)
    {
        public IReadOnlyList<(string Account, Scheduling.SlotState Slot)> Claims { get; init; } = [];
    }

    /// <summary>Each target's next free slot from now (the item's own current slots count as free for it), or a 409 when an account has none within a year.</summary>
    private async Task<ResolvedSlots?> ResolveSlotsAsync(SubmitContentRequest request, List<Account> targets, DateTimeOffset now, string? itemId)
    {
        if (request.Slot != Scheduling.SlotChoice.NextFree) return null;
        var times = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var claims = new List<(string, Scheduling.SlotState)>();
        foreach (var account in targets)
        {
            if (await slots.NextFreeAsync(account, now, itemId) is not { } slot)
                return new ResolvedSlots(null, Problems.Conflict($"账号「{account.Name}」一年内没有空闲的发布时段，请填写发布时间 / account '{account.Id}' has no free posting slot within a year: give publishAt instead"));
            times[account.Id] = slot.Slot.At;
            claims.Add((account.Id, slot));
        }

        return new ResolvedSlots(times) { Claims = claims };
    }

    /// <summary>A host matches an allowed domain if equal to it or a subdomain on a label boundary (evilgov.cn is not gov.cn).</summary>
    public static bool LinkAllowed(Uri link, IEnumerable<string> allowedDomains) =>
        allowedDomains.Any(d => link.Host.Equals(d, StringComparison.OrdinalIgnoreCase)
                                || link.Host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));

    private static string NewId(DateTimeOffset now) => "c" + Guid.CreateVersion7(now).ToString("N");
}
