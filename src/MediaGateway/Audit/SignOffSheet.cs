using System.Text.Encodings.Web;
using Fluid;
using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Publishing;

namespace MediaGateway.Audit;

/// <summary>Renders the printable sign-off sheet (审签单) of an item from templates/signoff/sheet.liquid (P7).</summary>
public sealed class SignOffSheet
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
        var model = new
        {
            generated_at = China(_time.GetUtcNow()),
            item = new
            {
                id = item.Id, revision = item.Revision, title = item.Title, category = item.Category.ToString(),
                created_by = item.CreatedBy, author_name = _users.Find(item.CreatedBy)?.Name ?? item.CreatedBy,
                department = _departments.NameOf(item.Department), created_at = China(item.CreatedAt), status = item.Status.ToString(),
                rules_version = item.RulesVersion, findings_count = item.Findings.Count,
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
            publications = publications.Select(p => new
            {
                account = p.AccountId, state = p.State.ToString(), platform_id = p.PlatformId, url = p.Url,
                published_at = p.PublishedAt is { } at ? China(at) : "", error = p.Error?.Explanation,
            }).ToList(),
            audit = audit.Select(e => new { seq = e.Entry.Seq, at = China(e.Entry.At), type = e.Entry.Type, actor = e.Entry.Actor, hash = e.Hash }).ToList(),
            chain = new { intact = chain.Intact, entries = chain.EntriesChecked, head = chain.HeadHash?[..Math.Min(16, chain.HeadHash.Length)], problem = chain.Problem },
        };
        var options = new TemplateOptions { MemberAccessStrategy = new UnsafeMemberAccessStrategy() };
        return _template.Render(new TemplateContext(model, options), Encoder);
    }

    private static string China(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, ChinaTime).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
