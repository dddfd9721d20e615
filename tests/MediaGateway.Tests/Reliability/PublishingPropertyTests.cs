using CsCheck;

namespace MediaGateway.Tests.Reliability;

/// <summary>
/// Issue 18 and reliability promise 3a: under random sequences of items with identical texts, approvals, platform faults and
/// retractions, every post belongs to exactly one publication and the record is the platform's truth. See
/// docs/reliability-tests.md ("The record is the truth: a property test").
/// </summary>
public sealed class PublishingPropertyTests
{
    /// <summary>Cases per run: each is a fresh world of a few seconds; sixteen fit the CI budget on two cores.</summary>
    private const int Cases = 16;

    [Fact]
    public Task RandomSequences_KeepEveryPostWithOnePublication_AndTheRecordTrue() =>
        PublishingProperty.Sequences.SampleAsync(PublishingProperty.RunAsync, iter: Cases, threads: 1, print: PublishingProperty.Describe);

    /// <summary>Cases with a clock jump to just before China midnight: fewer, since each is as long as the others.</summary>
    private const int MidnightCases = 8;

    [Fact]
    public Task RandomSequencesAcrossChinaMidnight_KeepEveryPostWithOnePublication_AndTheRecordTrue() =>
        PublishingProperty.SequencesAcrossMidnight.SampleAsync(PublishingProperty.RunAsync, iter: MidnightCases, threads: 1, print: PublishingProperty.Describe);

    // Seeds the random test found failing (on main at d6d547b); each replays the same sequence. After merging main at
    // 03916a5 the double submit, the batchget takeover, the 20019 loop and the mass-quota hold pass; they stay as regressions.

    /// <summary>
    /// Found: Weibo answers 20019 to the second of two approved items with the same text; the gateway looks for "its" post
    /// in the timeline, finds the first item's and records it as the second's: one idstr held by two publications
    /// (invariants 1, 2). WeiboPublisher.NextAsync → WeiboClient.FindRecentPostAsync matches by text alone, within 5 min
    /// before the send, and nothing checks that the id is held already.
    /// </summary>
    /// <remarks>
    /// After the ownership fix it failed differently: #0 and #2 share a text and both shares time out after the effect (#0's
    /// posted, #2's refused as a repeat); #2 reconciled first and took #0's post, made after #2's first attempt and held by
    /// nobody yet. Fixed by counting the other unresolved sends of the same content (Reconciled.Shared): such a post is
    /// looked at again until they resolve, and only then, or at the window's end, is it taken or shown to a person.
    /// </remarks>
    [Fact]
    public Task Seed_bGCh9xd_57X4_Weibo20019_TakesTheFirstItemsPost() => Replay("bGCh9xd_57X4");

    /// <summary>
    /// Found: with several items of one title and link, an unknown freepublish/submit is "found" by freepublish/batchget on
    /// another item's article (and the 20019 case above on Weibo, in the same run): WeChatPublisher.ReconcileFreePublishAsync
    /// matches title + link, from 2 min before the send, and does not check that the article_id is held already (1, 2).
    /// </summary>
    [Fact]
    public Task Seed_0000piND6oq2_WeChatBatchGet_TakesAnotherItemsArticle() => Replay("0000piND6oq2");

    /// <summary>
    /// Found: a slow freepublish job (publish_status 1) whose submit answer is lost: batchget cannot see it, and after the
    /// reconcile window the gateway submits the same draft media_id again, so the article is published twice (3).
    /// PublicationOutcomes.NotFoundYet clears SendStartedAt after the window and WeChatPublisher.NextAsync submits again,
    /// although the draft was still in the box (the sheet: look again, then ask a person; never re-submit).
    /// </summary>
    [Fact]
    public Task Seed_eVBs9V_h_T_1_SlowJobWithLostSubmit_IsSubmittedTwice() => Replay("eVBs9V-h_T_1");

    /// <summary>
    /// Found: Weibo keeps refusing the text as a repeat (20019) with no post of this publication: the gateway looks, finds
    /// nothing, posts again after the window, gets 20019 again, for ever (5: never rests). WeiboErrors marks 20019
    /// ReconcileFirst/OutcomeUnknown; PublicationProcessor.OnPlatformError keeps the marker and NotFoundYet re-sends.
    /// </summary>
    [Fact]
    public Task Seed_0000pqpigC_6_Weibo20019WithNoPost_LoopsForever() => Replay("0000pqpigC-6");

    /// <summary>
    /// Found: after an approved retraction the post is deleted on the platform but the publication's state stays
    /// "published" (5): PublicationOutcomes.Retracted sets Retraction = Retracted and leaves State.
    /// </summary>
    [Fact]
    public Task Seed_0000pL5eaGJ7_Retraction_LeavesStatePublished() => Replay("0000pL5eaGJ7");

    /// <summary>
    /// Found after the ownership fixes: a mass send takes effect but its answer is lost (503), and the account is then held
    /// for the month by another send's 45028. The hold stopped every step of the account, so the delivered message's
    /// publication stayed "queued" until the month's end (2, 5). Fixed: a send whose answer was lost is looked up (for a
    /// mass send: sent again with its clientmsgid, answered 45065) whatever holds or pauses the account.
    /// </summary>
    [Fact]
    public Task Seed_3toHZ4_OUSI4_HoldHidesADeliveredMassSendWhoseAnswerWasLost() => Replay("3toHZ4-OUSI4");

    // The same findings as explicit sequences (the shortest that show them), and one the random runs meet more rarely.

    /// <summary>
    /// The mass-quota race at China midnight: one send of the month is left; of three queued mass sends the first is
    /// accepted, the next gets 45028 and the account is held until the month ends. The hold also stops mass/get polling of the
    /// delivered one (PublicationProcessor.NextStepAsync checks read.Holdup before a Submitted publication's outcome step),
    /// so the record says "submitted" with no id while the platform shows SEND_SUCCESS (2, 5).
    /// </summary>
    [Fact]
    public Task Case_MassQuotaRace_HoldStopsPollingTheDeliveredSend() => PublishingProperty.RunAsync(
    [
        new SubmitOp(0, [PropertyTarget.WxMass]), new SubmitOp(0, [PropertyTarget.WxMass]), new SubmitOp(1, [PropertyTarget.WxMass]),
        new FaultOp(PropertyFault.WeChatMassQuotaUsedElsewhere, 2), new ApproveOp(0), new ApproveOp(0), new ApproveOp(0),
    ]);

    /// <summary>Two approved items with one Weibo text: the second must not take the first's post (1, 2).</summary>
    [Fact]
    public Task Case_TwoItemsOneWeiboText_SecondDoesNotTakeTheFirstsPost() => PublishingProperty.RunAsync(
    [
        new SubmitOp(0, [PropertyTarget.WbCity]), new SubmitOp(0, [PropertyTarget.WbCity]), new ApproveOp(0), new WaitOp(1000), new ApproveOp(0),
    ]);

    /// <summary>Weibo refusing the text as a repeat with no post of this publication: a refusal for a person, not a loop (5).</summary>
    [Fact]
    public Task Case_Weibo20019WithNoPost_ComesToRest() => PublishingProperty.RunAsync(
    [
        new SubmitOp(0, [PropertyTarget.WbCity]), new FaultOp(PropertyFault.Weibo20019, 2), new ApproveOp(0),
    ]);

    private static Task Replay(string seed) =>
        PublishingProperty.Sequences.SampleAsync(PublishingProperty.RunAsync, seed: seed, iter: 1, threads: 1, print: PublishingProperty.Describe);
}
