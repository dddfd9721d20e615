using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Content.Rendering;
using MediaGateway.Hosting;
using MediaGateway.Platforms;
using MediaGateway.Rules;
using MediaGateway.Rules.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.WebConsole;

/// <summary>
/// The WeChat article as it would be sent to one account (body images still <c>media:ID</c>). <c>ReaderLength</c> is what a
/// follower reads (the body's characters, decision 37); <c>EstimatedLength</c> is the HTML's length, which WeChat's 20,000 limit
/// counts (<c>ContentMax</c>).
/// </summary>
internal sealed record WeChatPreview(string AccountId, string AccountName, string Title, string? Author, string? Digest,
    string Html, int EstimatedLength, IReadOnlyList<RenderingIssue> Issues)
{
    public string? CoverMediaId { get; init; }

    public string ReaderText { get; init; } = "";

    public int ReaderLength { get; init; }

    /// <summary>The "阅读原文" link as sent (content_source_url): the WeChat option, else the item's link (decision 45).</summary>
    public string? ContentSourceUrl { get; init; }

    /// <summary>Who may comment: closed, open or fansOnly (decision 45).</summary>
    public WeChatComments Comments { get; init; }

    public int ContentMax => WeChatLimits.ContentMaxExclusive - 1;

    public static WeChatPreview From(Account account, WeChatRendering article) =>
        new(account.Id, account.Name, article.Title, article.Author, article.Digest, article.Html, article.EstimatedContentLength, article.Issues)
        {
            CoverMediaId = article.CoverMediaId,
            ReaderText = article.ReaderText,
            ReaderLength = article.ReaderLength,
            ContentSourceUrl = article.ContentSourceUrl,
            Comments = article.Comments,
        };
}

/// <summary>The Weibo post as it would be sent to one account, with its length as Weibo counts it (<see cref="WeiboText.Length"/>).</summary>
internal sealed record WeiboPreview(string AccountId, string AccountName, string Status, int Length, IReadOnlyList<RenderingIssue> Issues)
{
    public string? PictureMediaId { get; init; }

    public int MaxLength => WeiboText.MaxLength;

    /// <summary>True when the post is the item's own Weibo text (decision 45), not "【title】summary link".</summary>
    public bool FromVariant { get; init; }

    public static WeiboPreview From(Account account, WeiboRendering post) =>
        new(account.Id, account.Name, post.Status, post.Length, post.Issues) { PictureMediaId = post.PictureMediaId, FromVariant = post.FromVariant };
}

/// <summary>A stored item's revision as each of its accounts will receive it: what the reviewer approves.</summary>
internal sealed record ItemPreviewView(int Revision, IReadOnlyList<WeChatPreview> WeChat, IReadOnlyList<WeiboPreview> Weibo);

/// <summary>What a draft would become: each platform's rendering and every rule finding. Nothing is stored.</summary>
internal sealed record PreviewView(IReadOnlyList<WeChatPreview> WeChat, IReadOnlyList<WeiboPreview> Weibo,
    IReadOnlyList<Finding> Findings, string RulesVersion);

/// <summary>
/// Renders an unsaved draft exactly as submission would (same renderer, same rule inputs per account) so an
/// operator sees the article, the post and the findings while typing. Lenient about missing fields (a draft is
/// unfinished); strict about scope: only operators, only accounts their department operates.
/// </summary>
internal sealed class ContentPreview(AccountRegistry accounts, ContentRenderer renderer, RuleSetProvider rules)
{
    public Results<Ok<PreviewView>, ValidationProblem, ProblemHttpResult> Preview(GatewayUser user, SubmitContentRequest request)
    {
        if (!user.Has(Role.Operator) && !user.IsAdministrator)
        {
            return Problems.Forbidden("只有运营人员可以预览待提交内容 / only operators preview drafts");
        }

        var errors = new Dictionary<string, List<string>>();
        var targets = new List<Account>();
        var targetIds = request.Targets ?? [];
        for (var i = 0; i < targetIds.Count; i++)
        {
            var account = string.IsNullOrWhiteSpace(targetIds[i]) ? null : accounts.Find(targetIds[i]);
            if (account is null)
            {
                errors.Add($"targets[{i}]", $"unknown account '{targetIds[i]}'");
            }
            else if (!user.IsAdministrator && account.Ownership.OperatingTeam != user.Department)
            {
                return Problems.Forbidden($"账号 {account.Id} 不由你的部门运营 / account '{account.Id}' is not operated by your department ({user.Department})");
            }
            else if (!targets.Contains(account))
            {
                targets.Add(account);
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var ruleSet = rules.Current;
        var draft = Draft(user, request, ruleSet.Version, targets);
        var weChat = new List<WeChatPreview>();
        var weibo = new List<WeiboPreview>();
        var weChatArticle = renderer.WeChatArticles(draft);
        foreach (var account in targets)
        {
            if (account.Platform == Platform.WeChat)
            {
                weChat.Add(WeChatPreview.From(account, weChatArticle(account)));
            }
            else
            {
                weibo.Add(WeiboPreview.From(account, renderer.RenderWeibo(draft, account)));
            }
        }

        // With no account chosen yet the text is still checked, without an account's link allow-list.
        var findings = targets.Count > 0
            ? ContentRuleInputs.Evaluate(ruleSet, draft, targets, renderer)
            : ruleSet.Evaluate(new[] { new RuleInput("title", draft.Title), new RuleInput("body", draft.Body) }
                .Concat(draft.Summary is null ? [] : [new RuleInput("summary", draft.Summary)]));
        return TypedResults.Ok(new PreviewView(weChat, weibo, findings, ruleSet.Version));
    }

    /// <summary>A stored item (any kept revision) rendered for each of its accounts by the same renderer the worker uses.</summary>
    public ItemPreviewView ForItem(ContentItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var weChat = new List<WeChatPreview>();
        var weibo = new List<WeiboPreview>();
        var weChatArticle = renderer.WeChatArticles(item);
        foreach (var account in item.Targets.Select(accounts.Find).OfType<Account>())
        {
            if (account.Platform == Platform.WeChat)
            {
                weChat.Add(WeChatPreview.From(account, weChatArticle(account)));
            }
            else
            {
                weibo.Add(WeiboPreview.From(account, renderer.RenderWeibo(item, account)));
            }
        }

        return new ItemPreviewView(item.Revision, weChat, weibo);
    }

    /// <summary>True when the item shows this image: its cover or an image of its body.</summary>
    public static bool Shows(ContentItem item, string mediaId) =>
        item.CoverMediaId == mediaId
        || ContentRenderer.WeiboPicture(item) == mediaId
        || ContentRenderer.BodyMediaIds(item.Body, item.BodyFormat ?? BodyFormats.Detect(item.Body)).Contains(mediaId, StringComparer.Ordinal);

    private static ContentItem Draft(GatewayUser user, SubmitContentRequest request, string rulesVersion, IReadOnlyList<Account> targets) => new()
    {
        Id = "preview",
        Revision = 0,
        Title = request.Title?.Trim() ?? "",
        Summary = string.IsNullOrWhiteSpace(request.Summary) ? null : TextHygiene.NormalizeLineBreaks(request.Summary.Trim()),
        Author = string.IsNullOrWhiteSpace(request.Author) ? null : request.Author.Trim(),
        Body = TextHygiene.NormalizeLineBreaks(request.Body ?? ""), // as submission stores it (decision 25)
        BodyFormat = request.BodyFormat,
        Link = string.IsNullOrWhiteSpace(request.Link) ? null : request.Link,
        CoverMediaId = request.CoverMediaId,
        Weibo = Variants.Normalize(request.Weibo),
        WeChat = Variants.Normalize(request.WeChat),
        Targets = targets.Select(a => a.Id).ToList(),
        Category = request.Category ?? ContentCategory.Other,
        CreatedBy = user.Id,
        Department = user.Department,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Status = ContentStatus.InReview,
        Fingerprints = new Dictionary<string, string>(),
        Findings = [],
        RulesVersion = rulesVersion,
    };
}
