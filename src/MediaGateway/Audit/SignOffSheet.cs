using System.Text.Encodings.Web;
using Fluid;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Publishing;

namespace MediaGateway.Audit;

/// <summary>Renders the printable sign-off sheet (审签单) of an item from templates/signoff/sheet.liquid (P7).</summary>
internal sealed class SignOffSheet
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    private static readonly TimeZoneInfo ChinaTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private readonly IFluidTemplate _template;
    private readonly AccountRegistry _accounts;
    private readonly UserDirectory _users;
    private readonly DepartmentDirectory _departments;
    private readonly TimeProvider _time;

    public SignOffSheet(string templatesDirectory, AccountRegistry accounts, UserDirectory users, DepartmentDirectory departments, TimeProvider time)
    {
        var path = Path.Combine(templatesDirectory, "signoff", "sheet.liquid");
        if (!File.Exists(path)) throw new ConfigurationException("Gateway:TemplatesDirectory", $"template '{path}' is missing");
        _template = new FluidParser().TryParse(File.ReadAllText(path), out var template, out var error)
            ? template
            : throw new ConfigurationException("Gateway:TemplatesDirectory", $"template '{path}' does not parse: {error}");
        _accounts = accounts;
        _users = users;
        _departments = departments;
        _time = time;
    }

    public string Render(ContentItem item, IReadOnlyList<Publication> publications, IReadOnlyList<StoredAuditEntry> audit, AuditVerification chain)
    {
        var now = _time.GetUtcNow();
        var model = new
        {
            generated_at = China(now),
            item = new
            {
                id = item.Id, revision = item.Revision, title = item.Title, category = item.Category.ToString(),
                created_by = item.CreatedBy, author_name = _users.Find(item.CreatedBy)?.Name ?? item.CreatedBy,
                department = _departments.NameOf(item.Department), created_at = China(item.CreatedAt), status = StatusName(item.Status),
                rules_version = item.RulesVersion, findings_count = item.Findings.Count,
                // What reviewers approved beyond the article (decision 45): the Weibo post's own text and the WeChat options.
                weibo_text = item.Weibo?.Text,
                wechat_options = item.WeChat is null ? null : string.Join(" · ", new[]
                {
                    item.WeChat.OriginalLink is { } link ? $"阅读原文 {link}" : null,
                    item.WeChat.Comments is { } comments ? $"留言 {CommentsName(comments)}" : null,
                }.OfType<string>()),
                fingerprints = item.Fingerprints.Select(f => new { account = f.Key, value = f.Value }).ToList(),
                accounts = item.Targets.Select(_accounts.Find).OfType<Account>().Select(a => new
                {
                    id = a.Id, name = a.Name, platform = a.Platform.ToString(),
                    responsible = $"{a.Ownership.ResponsiblePerson?.Name} {a.Ownership.ResponsiblePerson?.Contact}".Trim(),
                }).ToList(),
            },
            reviews = item.Reviews.Select(r => new
            {
                level_name = ContentItem.LevelName(r.Level, item.RequiredLevels), reviewer = $"{r.ReviewerName} ({r.ReviewerId})", at = China(r.At),
                decision = r.Decision == ReviewDecision.Approve ? "同意 approve" : "退回 reject", secrecy = r.SecrecyAttested, comment = r.Comment,
            }).ToList(),
            publications = publications.Select(p => (Pub: p, Status: PublicationStatus.Of(p, now))).Select(x => new
            {
                account = _accounts.Find(x.Pub.AccountId) is { } a ? $"{a.Name} · {PlatformName(a.Platform)}" : x.Pub.AccountId,
                account_id = x.Pub.AccountId, status = PublicationStatusView.CodeOf(x.Status.Code), state = x.Status.Label, detail = x.Status.Detail,
                platform_id = x.Pub.PlatformId,
                // A link only while the post is on the platform; a retracted post keeps its id and the time it went.
                url = x.Status.Live ? x.Pub.Url : null,
                published_at = x.Pub.PublishedAt is { } at ? China(at) : "",
                retracted_at = x.Status.Code == DisplayStatus.Retracted && x.Pub.RetractedAt is { } gone ? China(gone) : "",
                // The failure only for a publication that failed: a published one does not carry an earlier attempt's error.
                error = x.Status.Code == DisplayStatus.Failed ? x.Pub.Error?.Explanation : null,
            }).ToList(),
            publication_status = PublicationRollups.Of(publications, now)?.Label ?? "",
            audit = audit.Select(e => new { seq = e.Entry.Seq, at = China(e.Entry.At), type = e.Entry.Type, actor = e.Entry.Actor, hash = e.Hash }).ToList(),
            chain = new { intact = chain.Intact, entries = chain.EntriesChecked, head = chain.HeadHash?[..Math.Min(16, chain.HeadHash.Length)], problem = chain.Problem },
        };
        var options = new TemplateOptions { MemberAccessStrategy = new UnsafeMemberAccessStrategy() };
        return _template.Render(new TemplateContext(model, options), Encoder);
    }

    private static string StatusName(ContentStatus status) => status switch
    {
        ContentStatus.ChangesRequired => "须修改 changes required",
        ContentStatus.InReview => "审核中 in review",
        ContentStatus.Rejected => "已退回 rejected",
        ContentStatus.Approved => "已审发 approved",
        ContentStatus.Withdrawn => "已撤稿 withdrawn",
        _ => status.ToString(),
    };

    private static string PlatformName(MediaGateway.Platforms.Platform platform) => platform == MediaGateway.Platforms.Platform.WeChat ? "微信公众号" : "微博";

    private static string China(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, ChinaTime).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static string CommentsName(WeChatComments comments) => comments switch
    {
        WeChatComments.Open => "开启 open",
        WeChatComments.FansOnly => "仅粉丝可留言 followers only",
        _ => "关闭 closed",
    };
}
