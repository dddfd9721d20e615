using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Hosting;
using MediaGateway.Publishing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Content;

/// <summary>
/// Who may do what next on an item, with the reason when not. The workflows ask these questions before acting,
/// and the API lists the answers as an item's <c>allowedActions</c>, so the two can never disagree.
/// </summary>
internal static class ContentActions
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Revise = "revise";
    public const string Withdraw = "withdraw";
    public const string ConfirmAgency = "confirm-agency";
    public const string RecordConsultation = "record-consultation";
    public const string ClearSecrecy = "clear-secrecy";
    public const string RequestRetraction = "request-retraction";

    /// <summary>P6: the secrecy reviewer of a unit covering the item clears its confidentiality findings, if any are in force.</summary>
    public static ProblemHttpResult? WhyCannotClearSecrecy(GatewayUser user, ContentItem item, AccountRegistry accounts) =>
        !user.Has(Role.SecrecyReviewer) ? Problems.Forbidden("只有保密审查员可以解除密级标志 / only secrecy reviewers clear confidentiality findings")
        : WhyOutOfScope(user, item, accounts) is { } outOfScope ? outOfScope
        : item.Status is not (ContentStatus.ChangesRequired or ContentStatus.InReview) ? Problems.Conflict($"the item is {Name(item.Status)}; clearances are given before approval")
        : !item.Findings.Any(f => f.RuleId == ContentItem.ConfidentialityRuleId && !item.IsCleared(f))
            ? Problems.Conflict("没有待审查的密级标志 / the item has no confidentiality finding to clear")
            : null;
    public const string DecideRetraction = "decide-retraction";

    /// <summary>Retraction is asked by the item's department, of an item with a live post, once at a time.</summary>
    public static ProblemHttpResult? WhyCannotRequestRetraction(GatewayUser user, ContentItem item, IReadOnlyList<Publication> publications)
    {
        if (WhyNotItsOperator(user, item) is { } notOperator) return notOperator;
        if (!publications.Any(IsLive)) return Problems.Conflict("没有已发布的内容可撤销 / nothing of this item is published; withdraw it instead");
        return item.Retraction?.Status == RetractionStatus.Requested
            ? Problems.Conflict("撤销申请已在审核中 / a retraction request is already waiting for sign-off")
            : null;
    }

    /// <summary>Retraction is decided at the item's sign-off level by someone who did not ask.</summary>
    public static ProblemHttpResult? WhyCannotDecideRetraction(GatewayUser reviewer, ContentItem item, AccountRegistry accounts)
    {
        if (!reviewer.Has(Role.Reviewer) || reviewer.ReviewLevel != item.RequiredLevels)
            return Problems.Forbidden($"撤销须经审发级审核 / a retraction is decided at the sign-off level (审发, level {item.RequiredLevels})");
        if (!accounts.AllVisibleTo(item.Targets, reviewer.Department))
            return Problems.Forbidden("审核人所在部门不负责该内容的账号 / reviewer's unit does not cover every target account of this item");
        if (item.Retraction is not { Status: RetractionStatus.Requested } asked)
            return Problems.Conflict("没有待审核的撤销申请 / there is no retraction request waiting");
        return asked.RequestedBy == reviewer.Id
            ? Problems.Forbidden("申请人不能审核自己的撤销申请 / the person who asked does not decide")
            : null;
    }

    /// <summary>A post that is on the platform and not (being) taken down.</summary>
    public static bool IsLive(Publication p) => p.State == PublicationState.Published && p.Retraction is null or RetractionState.Failed;

    public static ProblemHttpResult? WhyCannotRevise(GatewayUser user, ContentItem item)
    {
        if (WhyNotItsOperator(user, item) is { } notOperator) return notOperator;
        return item.Status is ContentStatus.InReview or ContentStatus.ChangesRequired or ContentStatus.Rejected
            ? null
            : Problems.Conflict($"内容状态为 {item.Status}，不能再修改 / the item is {Name(item.Status)}: only items not yet approved are edited (withdraw or retract it instead)");
    }

    public static ProblemHttpResult? WhyCannotWithdraw(GatewayUser user, ContentItem item, IReadOnlyList<Publication> publications)
    {
        if (WhyNotItsOperator(user, item) is { } notOperator) return notOperator;
        if (item.Status == ContentStatus.Withdrawn) return Problems.Conflict("内容已撤回 / the item is already withdrawn");
        return publications.All(p => p.Untouched)
            ? null
            : Problems.Conflict("已开始向平台发布，不能撤回，请改为撤销发布 / publishing has already started on a platform; it cannot be withdrawn, only retracted");
    }

    /// <summary>The checks of P4–P6 that do not depend on what the reviewer sends.</summary>
    public static ProblemHttpResult? WhyCannotDecide(GatewayUser reviewer, ContentItem item, AccountRegistry accounts)
    {
        if (!reviewer.Has(Role.Reviewer) || reviewer.ReviewLevel is not { } level)
            return Problems.Forbidden("只有审核人员可以审核 / only reviewers decide on items");
        if (!accounts.AllVisibleTo(item.Targets, reviewer.Department))
            return Problems.Forbidden($"审核人所在部门 {reviewer.Department} 不负责该内容的账号 / reviewer's unit does not cover every target account of this item");
        if (item.WasEditedBy(reviewer.Id))
            return Problems.Forbidden("作者不能审核自己的内容 / the author never reviews their own item (P5)");
        if (item.Status != ContentStatus.InReview)
            return Problems.Conflict(item.Status == ContentStatus.ChangesRequired
                ? "自动审查发现阻断性问题，须先修改 / automated rules found blocking issues; the item cannot be decided until changed"
                : $"内容状态为 {item.Status}，不能再审核 / the item is {Name(item.Status)}; only items in review can be decided");
        if (item.Reviews.Any(r => r.ReviewerId == reviewer.Id))
            return Problems.Conflict("同一人不能审核同一内容的两个级别 / you already reviewed this item at another level; each level is a different person (P5)");
        if (item.NextReviewLevel != level)
            return Problems.Conflict($"该内容等待{ContentItem.LevelName(item.NextReviewLevel, item.RequiredLevels)}，你的审核级别是{ContentItem.LevelName(level, item.RequiredLevels)} / the item awaits level {item.NextReviewLevel}; you review at level {level}");
        return null;
    }

    /// <summary>P8 and P9 before the release sign-off: every involved agency confirmed, a sensitive item consulted on.</summary>
    public static ProblemHttpResult? WhyNotReadyForRelease(ContentItem item)
    {
        var unconfirmed = item.Agencies.Where(a => item.AgencyConfirmations.All(c => c.Agency != a)).ToList();
        if (unconfirmed.Count > 0)
            return Problems.Conflict($"尚待相关机关确认：{string.Join("、", unconfirmed)} / awaiting confirmation from {string.Join(", ", unconfirmed)} before release (P8)");
        return item.Sensitive && item.Consultation is null
            ? Problems.Conflict("涉及重大敏感事项，须先记录与相关单位的会商 / a sensitive item needs a recorded consultation with related units before release (P9)")
            : null;
    }

    public static ProblemHttpResult? WhyCannotConfirmAgency(GatewayUser user, ContentItem item, AccountRegistry accounts) =>
        !user.Has(Role.AgencyLiaison) ? Problems.Forbidden("只有机关联络人可以登记确认 / only agency liaisons record confirmations")
        : WhyOutOfScope(user, item, accounts) is { } outOfScope ? outOfScope
        : item.Status is not (ContentStatus.InReview or ContentStatus.ChangesRequired) ? Problems.Conflict($"the item is {Name(item.Status)}; confirmations are recorded while it is in review")
        : item.Agencies.Count == 0 ? Problems.Conflict("该内容不涉及其他机关 / the item names no other agencies")
        : null;

    public static ProblemHttpResult? WhyCannotRecordConsultation(GatewayUser user, ContentItem item, AccountRegistry accounts) =>
        !(user.Has(Role.AgencyLiaison) || user.Has(Role.Reviewer)) ? Problems.Forbidden("only agency liaisons and reviewers record consultations")
        : WhyOutOfScope(user, item, accounts) is { } outOfScope ? outOfScope
        : item.Consultation is not null ? Problems.Conflict("会商已登记 / a consultation is already recorded for this item")
        : item.Status is not (ContentStatus.InReview or ContentStatus.ChangesRequired) ? Problems.Conflict($"the item is {Name(item.Status)}; consultations are recorded while it is in review")
        : !item.Sensitive ? Problems.Conflict("该内容未标记为敏感事项 / the item is not marked sensitive")
        : null;

    /// <summary>What this user may do next on the item (the API's <c>allowedActions</c>).</summary>
    public static IReadOnlyList<string> For(GatewayUser user, ContentItem item, AccountRegistry accounts, IReadOnlyList<Publication> publications)
    {
        var actions = new List<string>();
        if (WhyCannotDecide(user, item, accounts) is null)
        {
            if (!item.BlockingFindings.Any()
                && (user.ReviewLevel < item.RequiredLevels || WhyNotReadyForRelease(item) is null))
            {
                actions.Add(Approve);
            }

            actions.Add(Reject);
        }

        if (WhyCannotRevise(user, item) is null) actions.Add(Revise);
        if (WhyCannotWithdraw(user, item, publications) is null) actions.Add(Withdraw);
        if (WhyCannotConfirmAgency(user, item, accounts) is null && item.Agencies.Count > item.AgencyConfirmations.Count) actions.Add(ConfirmAgency);
        if (WhyCannotRecordConsultation(user, item, accounts) is null) actions.Add(RecordConsultation);
        if (WhyCannotClearSecrecy(user, item, accounts) is null) actions.Add(ClearSecrecy);
        if (WhyCannotRequestRetraction(user, item, publications) is null) actions.Add(RequestRetraction);
        if (WhyCannotDecideRetraction(user, item, accounts) is null) actions.Add(DecideRetraction);
        return actions;
    }

    /// <summary>Confirmations and consultations come from people whose unit covers every target account, never from an author.</summary>
    private static ProblemHttpResult? WhyOutOfScope(GatewayUser user, ContentItem item, AccountRegistry accounts) =>
        item.WasEditedBy(user.Id) ? Problems.Forbidden("作者不能为自己的内容登记确认或会商 / an author does not record confirmations or consultations on their own item")
        : accounts.AllVisibleTo(item.Targets, user.Department) ? null
        : Problems.Forbidden("你的部门不负责该内容的账号 / your unit does not cover every target account of this item");

    private static ProblemHttpResult? WhyNotItsOperator(GatewayUser user, ContentItem item) =>
        (user.Has(Role.Operator) && user.Department == item.Department) || user.IsAdministrator
            ? null
            : Problems.Forbidden("只有该内容所属部门的运营人员可以操作 / only operators of the item's department do this");

    private static string Name(ContentStatus status) => status.ToString().ToLowerInvariant();
}
