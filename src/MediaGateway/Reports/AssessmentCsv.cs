using System.Globalization;
using System.Text;

namespace MediaGateway.Reports;

/// <summary>The assessment as CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs read the Chinese): one line per department and per account.</summary>
internal static class AssessmentCsv
{
    public static string Render(AssessmentReport report)
    {
        var levels = report.Departments.Concat(report.Accounts).SelectMany(r => r.ReviewTurnaround).Select(t => t.Level).Distinct().Order().ToList();
        var classes = report.Departments.Concat(report.Accounts).SelectMany(r => r.FailuresByClass.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var header = new List<string> { "类型 kind", "编号 id", "名称 name", "期间起 from", "期间止 to", "发布数 publications", "已撤回 retracted" };
        foreach (var rule in report.Rules)
        {
            header.AddRange([$"{rule.Id} 到期 due", $"{rule.Id} 按时 met", $"{rule.Id} 逾期发布 late", $"{rule.Id} 未发布 missed", $"{rule.Id} 按时率 on-time rate", $"{rule.Id} 暂定日历 provisional"]);
        }

        foreach (var level in levels)
        {
            header.AddRange([$"L{level} 审核数 decisions", $"L{level} 中位时长(小时) median h", $"L{level} P90 时长(小时) p90 h"]);
        }

        header.Add("退回 rejections");
        header.Add("发布失败 failures");
        header.AddRange(classes.Select(c => $"失败 failures {c}"));
        header.AddRange(["最近发布（北京时间） last published (China time)", "未更新天数 days since last update"]);

        var csv = new StringBuilder("\uFEFF");
        Line(csv, header);
        foreach (var (kind, row) in report.Departments.Select(r => ("department", r)).Concat(report.Accounts.Select(r => ("account", r))))
        {
            var cells = new List<string> { kind, row.Id, row.Name, Date(report.From), Date(report.To), Num(row.Publications), Num(row.Retracted) };
            foreach (var rule in report.Rules)
            {
                var f = row.OnTime.First(o => o.RuleId == rule.Id);
                cells.AddRange([Num(f.Due), Num(f.Met), Num(f.Late), Num(f.Missed), f.Rate is { } r ? r.ToString("0.####", CultureInfo.InvariantCulture) : "", Num(f.Provisional)]);
            }

            foreach (var level in levels)
            {
                var t = row.ReviewTurnaround.FirstOrDefault(x => x.Level == level);
                cells.AddRange([Num(t?.Decisions ?? 0), Dec(t?.MedianHours), Dec(t?.P90Hours)]);
            }

            cells.Add(Num(row.Rejections));
            cells.Add(Num(row.FailuresByClass.Values.Sum()));
            cells.AddRange(classes.Select(c => Num(row.FailuresByClass.GetValueOrDefault(c))));
            // China time, as the report says, with its offset so a spreadsheet cannot mistake it (it was UTC).
            cells.Add(row.LastPublishedAt?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) ?? "");
            cells.Add(Dec(row.DaysSinceLastUpdate));
            Line(csv, cells);
        }

        return csv.ToString();
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Dec(double? d) => d is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "";

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder csv, IEnumerable<string> cells)
    {
        csv.AppendJoin(',', cells.Select(Escape));
        csv.Append("\r\n");
    }

    /// <summary>Quotes a cell that needs it; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs it as a formula.</summary>
    public static string Escape(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '@' or '\t' or '\r' || (cell.StartsWith('-') && !double.TryParse(cell, CultureInfo.InvariantCulture, out _)))
            cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }
}
