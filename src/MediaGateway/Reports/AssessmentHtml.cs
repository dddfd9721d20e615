using System.Globalization;
using System.Text.Encodings.Web;
using Fluid;
using Fluid.Values;
using MediaGateway.Hosting;

namespace MediaGateway.Reports;

/// <summary>Renders the assessment for a department head from templates/reports/assessment.liquid, with inline SVG charts.</summary>
internal sealed class AssessmentHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    private readonly IFluidTemplate _template;

    public AssessmentHtml(string templatesDirectory)
    {
        var path = Path.Combine(templatesDirectory, "reports", "assessment.liquid");
        if (!File.Exists(path)) throw new ConfigurationException("Gateway:TemplatesDirectory", $"template '{path}' is missing");
        _template = new FluidParser().TryParse(File.ReadAllText(path), out var template, out var error)
            ? template
            : throw new ConfigurationException("Gateway:TemplatesDirectory", $"template '{path}' does not parse: {error}");
    }

    public string Render(AssessmentReport report, double warningDays, double closureDays)
    {
        var model = new
        {
            from = Day(report.From), to = Day(report.To), scope = report.Scope == "all" ? "全部单位 / all units" : report.Departments is [var unit, ..] ? unit.Name : report.Scope,
            generated_at = TimeZoneInfo.ConvertTime(report.GeneratedAt, Calendar.WorkingDayCalendar.ChinaTime).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            rules = report.Rules.Select(r => new { id = r.Id, name = r.Name, allowance = r.Allowance }).ToList(),
            departments = report.Departments.Select(r => Row(r, report)).ToList(),
            accounts = report.Accounts.Select(r => Row(r, report)).ToList(),
            warning_days = warningDays.ToString("0.#", CultureInfo.InvariantCulture),
            closure_days = closureDays.ToString("0.#", CultureInfo.InvariantCulture),
            charts = Charts(report, warningDays, closureDays),
            provisional_deadlines = report.ProvisionalDeadlines,
        };
        var options = new TemplateOptions { MemberAccessStrategy = new UnsafeMemberAccessStrategy() };
        return _template.Render(new TemplateContext(model, options), Encoder);
    }

    private static object Row(AssessmentRow r, AssessmentReport report) => new
    {
        id = r.Id, name = r.Name, publications = r.Publications, retracted = r.Retracted, rejections = r.Rejections,
        failures = r.FailuresByClass.Values.Sum(),
        failures_by_class = string.Join("，", r.FailuresByClass.Select(f => $"{f.Key} {f.Value}")),
        on_time = report.Rules.Select(rule => r.OnTime.First(o => o.RuleId == rule.Id)).Select(o => new
        {
            rule = o.RuleId, due = o.Due, met = o.Met, late = o.Late, missed = o.Missed, pending = o.Pending, provisional = o.Provisional, rate = Percent(o.Rate),
        }).ToList(),
        turnaround = r.ReviewTurnaround.Select(t => new { level = t.Level, name = t.LevelName, decisions = t.Decisions, median = Hours(t.MedianHours), p90 = Hours(t.P90Hours) }).ToList(),
        last_published = r.LastPublishedAt is { } at ? TimeZoneInfo.ConvertTime(at, Calendar.WorkingDayCalendar.ChinaTime).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—",
        days_silent = r.DaysSinceLastUpdate is { } d ? d.ToString("0.#", CultureInfo.InvariantCulture) : "—",
    };

    /// <summary>The charts as raw SVG (built from escaped text only, so the template outputs them unencoded).</summary>
    private static IReadOnlyList<FluidValue> Charts(AssessmentReport report, double warningDays, double closureDays)
    {
        var onTime = report.Departments.SelectMany(d => d.OnTime.Where(o => o.Rate is not null).Select(o => new Bar($"{Short(d.Name)} · {o.RuleId}", o.Rate!.Value * 100,
            $"{Percent(o.Rate)} ({o.Met}/{o.Met + o.Late + o.Missed})", o.Rate < 0.9 ? "#c53030" : "#2f855a"))).ToList();
        var publications = report.Accounts.Select(a => new Bar($"{a.Name} · {a.Id}", a.Publications, a.Publications.ToString(CultureInfo.InvariantCulture))).ToList();
        var turnaround = report.Departments.SelectMany(d => d.ReviewTurnaround.Select(t => new Bar($"{Short(d.Name)} · L{t.Level}", t.P90Hours ?? 0,
            $"中位 median {Hours(t.MedianHours)} · P90 {Hours(t.P90Hours)}"))).ToList();
        var silence = report.Accounts.Where(a => a.DaysSinceLastUpdate is not null).Select(a => new Bar($"{a.Name} · {a.Id}", a.DaysSinceLastUpdate!.Value,
            $"{a.DaysSinceLastUpdate:0.#} 天 days", a.DaysSinceLastUpdate >= closureDays ? "#742a2a" : a.DaysSinceLastUpdate >= warningDays ? "#c53030" : "#2f855a")).ToList();
        var silenceMax = Math.Max(silence.Count == 0 ? 0 : silence.Max(b => b.Value), 14);
        return
        [
            new StringValue(SvgBarChart.Render("按时率 On-time rate (部门 · 规则 unit · rule)", onTime, 100, [(90, "90%")]), encode: false),
            new StringValue(SvgBarChart.Render("发布数 Publications per account", publications), encode: false),
            new StringValue(SvgBarChart.Render("审核时长 Review turnaround, P90 hours (部门 · 级别 unit · level)", turnaround), encode: false),
            new StringValue(SvgBarChart.Render("未更新天数 Days since last update", silence, silenceMax, [(warningDays, $"{warningDays:0.#}"), (14, "14")]), encode: false),
        ];
    }

    /// <summary>"市卫生健康委员会 (City Health Commission)" → "市卫生健康委员会": chart labels stay within their column.</summary>
    private static string Short(string name)
    {
        var cut = name.IndexOf(" (", StringComparison.Ordinal);
        var text = cut > 0 ? name[..cut] : name;
        return text.Length > 18 ? text[..17] + "…" : text;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";

    private static string Hours(double? h) => h is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) + " h" : "—";
}
