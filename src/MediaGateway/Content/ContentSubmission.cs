using System.Globalization;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Hosting;
using MediaGateway.Platforms;
using MediaGateway.Rules;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Content;

/// <summary>
/// Turns an operator's request into a stored item in review: everything is checked first (fields,
/// scope, accounts, media, platform limits), rules run, and only then one Redis transaction writes
/// the item and its events — a refused request leaves nothing behind.
/// </summary>
public sealed class ContentSubmission(
    AccountRegistry accounts, MediaStore media, ContentStore store, ContentRenderer renderer,
    RuleSetProvider rules, EventFactory events, TimeProvider time)
{
    public const int WeChatTitleMax = 32;
    public const int WeChatAuthorMax = 16;
    public const int WeChatDigestMax = 128;
    public const int WeChatContentMax = 20_000;
    public const int WeiboStatusMax = 140;

    public async Task<Results<Created<ContentView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(GatewayUser user, SubmitContentRequest request)
    {
        if (!user.Has(Role.Operator))
        {
            return Problems.Forbidden("只有运营人员可以提交内容 / only operators submit content");
        }

        var errors = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(request.Title)) errors.Add("title", "required");
        if (string.IsNullOrWhiteSpace(request.Body)) errors.Add("body", "required");
        if (request.Category is null) errors.Add("category", $"required: one of {string.Join(", ", Enum.GetNames<ContentCategory>())}");
        if (request.Summary is { Length: > WeChatDigestMax }) errors.Add("summary", $"at most {WeChatDigestMax} characters");
        if (request.Author is { Length: > WeChatAuthorMax }) errors.Add("author", $"at most {WeChatAuthorMax} characters");
        Uri? link = null;
        if (request.Link is not null && (!Uri.TryCreate(request.Link, UriKind.Absolute, out link) || link.Scheme is not ("https" or "http")))
        {
            errors.Add("link", "must be an absolute http(s) URL");
            link = null;
        }

        var targets = new List<Account>();
        var targetIds = request.Targets ?? [];
        if (targetIds.Count == 0) errors.Add("targets", "at least one account is required");
        if (targetIds.Distinct(StringComparer.Ordinal).Count() != targetIds.Count) errors.Add("targets", "an account appears twice");
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
                errors.Add("title", $"at most {WeChatTitleMax} characters for WeChat account '{account.Id}'");
            if (account.Platform == Platform.WeChat && string.IsNullOrEmpty(request.CoverMediaId))
                errors.Add("coverMediaId", $"a cover image is required for WeChat account '{account.Id}'");
            if (account.Platform == Platform.Weibo && link is null && request.Link is null)
                errors.Add("link", $"required for Weibo account '{account.Id}': a post must link to its safe domain {account.SafeDomain}");
            if (link is not null && !LinkAllowed(link, account.AllowedLinkDomains))
                errors.Add("link", $"'{link.Host}' is not on the allow-list of account '{account.Id}' ({string.Join(", ", account.AllowedLinkDomains)})");
        }

        if (request.CoverMediaId is { } cover && (string.IsNullOrWhiteSpace(cover) || await media.FindAsync(cover) is null))
            errors.Add("coverMediaId", $"no uploaded image '{cover}' (omit the field for no cover)");
        foreach (var id in request.Body is null ? [] : ContentRenderer.BodyMediaIds(request.Body))
        {
            if (await media.FindAsync(id) is null) errors.Add("body", $"image reference media:{id} was never uploaded");
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        // Scope and account state are checked once the request itself is sound.
        foreach (var account in targets)
        {
            if (!user.IsAdministrator && account.Ownership.OperatingTeam != user.Department)
                return Problems.Forbidden($"账号 {account.Id} 不由你的部门运营 / account '{account.Id}' is not operated by your department ({user.Department})");
            if (account.WhyNotPublishable() is { } why)
                return Problems.Conflict(why);
        }

        var now = time.GetUtcNow();
        var ruleSet = rules.Current;
        var draft = new ContentItem
        {
            Id = NewId(now),
            Revision = 1,
            Title = request.Title!.Trim(),
            Summary = request.Summary?.Trim(),
            Author = request.Author?.Trim(),
            Body = request.Body!,
            Link = request.Link,
            CoverMediaId = request.CoverMediaId,
            Targets = targetIds,
            Category = request.Category!.Value,
            PublishAt = request.PublishAt,
            CreatedBy = user.Id,
            Department = user.Department,
            CreatedAt = now,
            Status = ContentStatus.InReview,
            Fingerprints = new Dictionary<string, string>(),
            Findings = [],
            RulesVersion = ruleSet.Version,
        };

        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        var inputs = new List<RuleInput> { new("title", draft.Title), new("body", draft.Body) };
        if (draft.Summary is not null) inputs.Add(new RuleInput("summary", draft.Summary));
        foreach (var account in targets)
        {
            if (account.Platform == Platform.WeChat)
            {
                var rendered = renderer.RenderWeChat(draft, account);
                if (rendered.Html.Length >= WeChatContentMax)
                    errors.Add("body", $"the WeChat article would be {rendered.Html.Length} characters; it must stay under {WeChatContentMax}");
                fingerprints[account.Id] = rendered.Fingerprint;
            }
            else
            {
                var rendered = renderer.RenderWeibo(draft, account);
                if (rendered.Length > WeiboStatusMax)
                    errors.Add("summary", string.Create(CultureInfo.InvariantCulture,
                        $"the Weibo post for '{account.Id}' would be {rendered.Length} characters (limit {WeiboStatusMax}): shorten the title or summary"));
                if (rendered.Status.Contains('#', StringComparison.Ordinal))
                    errors.Add("title", "Weibo posts sent through the API may not contain #topic# markers");
                inputs.Add(new RuleInput($"weibo:{account.Id}", rendered.Status));
                fingerprints[account.Id] = rendered.Fingerprint;
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var findings = ruleSet.Evaluate(inputs);
        var item = draft with
        {
            Fingerprints = fingerprints,
            Findings = findings,
            Status = findings.Any(f => f.Severity == Severity.Block) ? ContentStatus.ChangesRequired : ContentStatus.InReview,
        };
        // The rule results and the list versions go into the record (P7).
        var submitted = events.ForContent(EventTypes.ContentSubmitted, item, user.Id, new()
        {
            ["rules"] = new System.Text.Json.Nodes.JsonObject
            {
                ["version"] = item.RulesVersion,
                ["findings"] = System.Text.Json.Nodes.JsonNode.Parse(Storage.Json.Serialize(item.Findings)),
            },
        });
        await store.CreateAsync(item, item.Status == ContentStatus.InReview
            ? [submitted, events.ForContent(EventTypes.ReviewRequested, item, user.Id, new() { ["level"] = 1 })]
            : [submitted]);
        return TypedResults.Created($"/api/content/{item.Id}", ContentView.From(item, []));
    }

    /// <summary>A host matches an allowed domain if equal to it or a subdomain on a label boundary (evilgov.cn is not gov.cn).</summary>
    public static bool LinkAllowed(Uri link, IEnumerable<string> allowedDomains) =>
        allowedDomains.Any(d => link.Host.Equals(d, StringComparison.OrdinalIgnoreCase)
                                || link.Host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));

    private static string NewId(DateTimeOffset now) => "c" + Guid.CreateVersion7(now).ToString("N");
}
