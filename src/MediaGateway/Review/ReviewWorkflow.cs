using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Publishing;
using MediaGateway.Rules;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Review;

/// <summary>
/// The three-level review (P3–P6): 初审 → 审核 → 审发, each by a different person who is not the author,
/// each attesting the secrecy check. The third approval creates one publication per target account and
/// queues it in the same Redis transaction that marks the item approved.
/// </summary>
internal sealed class ReviewWorkflow(ContentStore store, PublicationStore publications, AccountRegistry accounts, RuleSetProvider rules,
    EventFactory events, TimeProvider time)
{
    public async Task<Results<Ok<ContentView>, ValidationProblem, ProblemHttpResult>> DecideAsync(GatewayUser reviewer, string contentId, ReviewRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        if (request.Decision is null) errors.Add("decision", "required: approve or reject");
        if (request.Decision == ReviewDecision.Approve && !request.SecrecyAttested)
            errors.Add("secrecyAttested", "must be true to approve: attest that the secrecy review (保密审查) was done (P6)");
        if (request.Decision == ReviewDecision.Reject && string.IsNullOrWhiteSpace(request.Comment))
            errors.Add("comment", "required when rejecting: tell the author what to change");
        if (errors.Count > 0) return Problems.Invalid(errors);

        var current = await store.GetAsync(contentId);
        if (current is null) return Problems.NotFound($"no content item '{contentId}'");
        var item = current.Value;
        if (ContentActions.WhyCannotDecide(reviewer, item, accounts) is { } refusal) return refusal;
        var level = reviewer.ReviewLevel!.Value;

        if (request.Fingerprints is not null && !SameFingerprints(request.Fingerprints, item.Fingerprints))
            return Problems.Conflict("内容在你审阅后已变化，请重新审阅 / the item changed since you looked at it; review it again");
        if (request.Decision == ReviewDecision.Approve)
        {
            if (item.BlockingFindings.Any())
                return Problems.Conflict("存在阻断性审查发现 / blocking rule findings prevent approval");
            var flagged = item.Findings.Select((f, i) => (f, i)).Where(x => x.f.Severity == Severity.Flag).Select(x => x.i).ToList();
            var missing = flagged.Except(request.AcknowledgedFindings ?? []).ToList();
            if (missing.Count > 0)
            {
                errors.Add("acknowledgedFindings", $"同意前请逐条勾选须确认的提示（尚未勾选：{string.Join("、", missing.Select(i => $"#{i}"))}） / acknowledge every flagged finding before approving; missing: {string.Join(", ", missing)}");
                return Problems.Invalid(errors);
            }

            if (level == item.RequiredLevels && ContentActions.WhyNotReadyForRelease(item) is { } notReady)
                return notReady;
        }

        var now = time.GetUtcNow();
        var record = new ReviewRecord
        {
            Level = level, ReviewerId = reviewer.Id, ReviewerName = reviewer.Name, Decision = request.Decision!.Value,
            Comment = request.Comment, SecrecyAttested = request.SecrecyAttested, At = now, // bound to item.Fingerprints
            AcknowledgedFindings = request.Decision == ReviewDecision.Approve ? request.AcknowledgedFindings ?? [] : [],
            RulesVersion = rules.Current.Version,
        };
        var reviews = item.Reviews.Append(record).ToList();
        var decided = events.ForContent(EventTypes.ReviewDecided, item, reviewer.Id, new JsonObject
        {
            ["review"] = new JsonObject
            {
                ["level"] = level, ["decision"] = record.Decision.ToString(), ["reviewer"] = reviewer.Id, ["comment"] = record.Comment,
                ["secrecyAttested"] = record.SecrecyAttested,
            },
        });

        ContentItem updated;
        List<GatewayEvent> emitted = [decided];
        Action<StackExchange.Redis.ITransaction>? queue = null;
        if (record.Decision == ReviewDecision.Reject)
        {
            updated = item with { Reviews = reviews, Status = ContentStatus.Rejected };
            emitted.Add(events.ForContent(EventTypes.ContentRejected, updated, reviewer.Id));
        }
        else if (level < item.RequiredLevels)
        {
            updated = item with { Reviews = reviews };
            emitted.Add(events.ForContent(EventTypes.ReviewRequested, updated, reviewer.Id, new JsonObject { ["level"] = level + 1 }));
        }
        else
        {
            updated = item with { Reviews = reviews, Status = ContentStatus.Approved };
            emitted.Add(events.ForContent(EventTypes.ContentApproved, updated, reviewer.Id));
            var newPublications = updated.Targets.Select(t => NewPublication(updated, t, now)).ToList();
            queue = tx => newPublications.ForEach(p => publications.AddNew(tx, p));
        }

        if (!await store.TryUpdateAsync(current, updated, emitted, queue))
            return Problems.ChangedMeanwhile();

        var pubs = updated.Status == ContentStatus.Approved
            ? await publications.GetManyAsync(updated.Targets.Select(t => Publication.IdFor(updated.Id, updated.Revision, t)))
            : [];
        return TypedResults.Ok(ContentView.From(updated, pubs, time.GetUtcNow()));
    }

    /// <summary>P8: records that an involved agency confirmed the item (its liaison does this).</summary>
    public async Task<Results<Ok<ContentView>, ValidationProblem, ProblemHttpResult>> ConfirmAgencyAsync(GatewayUser user, string contentId, AgencyConfirmationRequest request)
    {
        var current = await store.GetAsync(contentId);
        if (current is null) return Problems.NotFound($"no content item '{contentId}'");
        var item = current.Value;
        if (ContentActions.WhyCannotConfirmAgency(user, item, accounts) is { } refusal) return refusal;
        var errors = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(request.Agency) || !item.Agencies.Contains(request.Agency.Trim()))
            errors.Add("agency", $"one of the item's agencies: {string.Join(", ", item.Agencies)}");
        if (errors.Count > 0) return Problems.Invalid(errors);
        var agency = request.Agency!.Trim();
        if (item.AgencyConfirmations.Any(c => c.Agency == agency))
            return Problems.Conflict($"{agency} 已确认 / {agency} has already confirmed");

        var confirmation = new AgencyConfirmation(agency, user.Id, request.Note, time.GetUtcNow());
        var updated = item with { AgencyConfirmations = [.. item.AgencyConfirmations, confirmation] };
        var recorded = events.ForContent(EventTypes.AgencyConfirmed, updated, user.Id, new JsonObject
        {
            ["confirmation"] = JsonNode.Parse(Storage.Json.Serialize(confirmation)),
        });
        return await store.TryUpdateAsync(current, updated, [recorded])
            ? TypedResults.Ok(ContentView.From(updated, [], time.GetUtcNow()))
            : Problems.ChangedMeanwhile();
    }

    /// <summary>
    /// P6: the secrecy reviewer clears the item's confidentiality-marker findings (they mark no classified content);
    /// when nothing else blocks, the item goes to 初审. A new revision is checked, and cleared, afresh.
    /// </summary>
    public async Task<Results<Ok<ContentView>, ValidationProblem, ProblemHttpResult>> ClearSecrecyAsync(GatewayUser user, string contentId, SecrecyClearanceRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Comment))
            return Problems.Invalid(new() { ["comment"] = ["required: why the markers found mark no classified content"] });
        var current = await store.GetAsync(contentId);
        if (current is null) return Problems.NotFound($"no content item '{contentId}'");
        var item = current.Value;
        if (ContentActions.WhyCannotClearSecrecy(user, item, accounts) is { } refusal) return refusal;

        var matches = item.Findings.Where(f => f.RuleId == ContentItem.ConfidentialityRuleId).Select(ContentItem.ClearanceKey).ToList();
        var cleared = item with { SecrecyClearance = new SecrecyClearance(user.Id, time.GetUtcNow(), request.Comment!.Trim(), matches) };
        var unblocked = cleared.Status == ContentStatus.ChangesRequired && !cleared.BlockingFindings.Any();
        var updated = unblocked ? cleared with { Status = ContentStatus.InReview } : cleared;
        List<GatewayEvent> emitted =
        [
            events.ForContent(EventTypes.SecrecyCleared, updated, user.Id, new JsonObject
            {
                ["comment"] = updated.SecrecyClearance!.Comment, ["matches"] = new JsonArray(matches.Select(m => (JsonNode)m!).ToArray()),
            }),
        ];
        if (unblocked) emitted.Add(events.ForContent(EventTypes.ReviewRequested, updated, user.Id, new JsonObject { ["level"] = 1 }));
        return await store.TryUpdateAsync(current, updated, emitted)
            ? TypedResults.Ok(ContentView.From(updated, [], time.GetUtcNow()))
            : Problems.ChangedMeanwhile();
    }

    /// <summary>P9: records the consultation with related units on a sensitive item.</summary>
    public async Task<Results<Ok<ContentView>, ValidationProblem, ProblemHttpResult>> RecordConsultationAsync(GatewayUser user, string contentId, ConsultationRequest request)
    {
        var current = await store.GetAsync(contentId);
        if (current is null) return Problems.NotFound($"no content item '{contentId}'");
        var item = current.Value;
        if (ContentActions.WhyCannotRecordConsultation(user, item, accounts) is { } refusal) return refusal;
        var errors = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(request.Units)) errors.Add("units", "required: the units consulted");
        if (string.IsNullOrWhiteSpace(request.Summary)) errors.Add("summary", "required: what was agreed");
        if (errors.Count > 0) return Problems.Invalid(errors);

        var consultation = new Consultation(request.Units!.Trim(), request.Summary!.Trim(), user.Id, time.GetUtcNow());
        var updated = item with { Consultation = consultation };
        var recorded = events.ForContent(EventTypes.ConsultationRecorded, updated, user.Id, new JsonObject
        {
            ["consultation"] = JsonNode.Parse(Storage.Json.Serialize(consultation)),
        });
        return await store.TryUpdateAsync(current, updated, [recorded])
            ? TypedResults.Ok(ContentView.From(updated, [], time.GetUtcNow()))
            : Problems.ChangedMeanwhile();
    }

    private Publication NewPublication(ContentItem item, string accountId, DateTimeOffset now)
    {
        var account = accounts.Find(accountId)!;
        var scheduled = item.ScheduledFor(accountId);
        var later = scheduled is { } at && at > now;
        return new Publication
        {
            Id = Publication.IdFor(item.Id, item.Revision, accountId),
            ContentId = item.Id,
            Revision = item.Revision,
            AccountId = accountId,
            Platform = account.Platform,
            ApprovedFingerprint = item.Fingerprints[accountId],
            State = later ? PublicationState.Scheduled : PublicationState.Queued,
            DueAt = later ? scheduled : null,
            ScheduledFor = later ? scheduled : null,
            Lane = item.Category == ContentCategory.Emergency ? PublishLane.Emergency : PublishLane.Routine,
            CreatedAt = now,
        }.With(now, (later ? $"scheduled for {scheduled:O}" : "queued after approval")
                    + (item.Category == ContentCategory.Emergency ? " in the emergency lane" : ""));
    }

    private static bool SameFingerprints(Dictionary<string, string> seen, IReadOnlyDictionary<string, string> current) =>
        seen.Count == current.Count && seen.All(kv => current.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
