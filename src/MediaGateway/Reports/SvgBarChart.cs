using System.Globalization;
using System.Security;
using System.Text;

namespace MediaGateway.Reports;

/// <summary>One bar: its label, value, the text shown beside it, and an optional colour.</summary>
internal sealed record Bar(string Label, double Value, string Text, string? Color = null);

/// <summary>Horizontal bar charts as inline SVG, drawn on the server: the report needs no script and no network.</summary>
internal static class SvgBarChart
{
    private const int LabelWidth = 230;
    private const int BarArea = 380;
    private const int RowHeight = 26;

    /// <summary>An SVG of <paramref name="bars"/> scaled to <paramref name="max"/> (or the largest value); a dashed line at each marker.</summary>
    public static string Render(string title, IReadOnlyList<Bar> bars, double? max = null, IReadOnlyList<(double Value, string Label)>? markers = null)
    {
        var scale = Math.Max(max ?? (bars.Count == 0 ? 1 : bars.Max(b => b.Value)), 1e-9);
        var height = 34 + Math.Max(bars.Count, 1) * RowHeight + 10;
        var width = LabelWidth + BarArea + 120;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title>{Esc(title)}</title><text x="0" y="18" font-weight="bold">{Esc(title)}</text>""");
        if (bars.Count == 0)
        {
            svg.Append("""<text x="0" y="50" fill="#666">本期无数据 / no data in this period</text>""");
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var y = 34 + i * RowHeight;
            var w = Math.Clamp(b.Value / scale, 0, 1) * BarArea;
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{LabelWidth - 8}" y="{y + 15}" text-anchor="end">{Esc(b.Label)}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{LabelWidth}" y="{y + 3}" width="{w:0.#}" height="{RowHeight - 8}" fill="{b.Color ?? "#2b6cb0"}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{LabelWidth + w + 6:0.#}" y="{y + 15}">{Esc(b.Text)}</text>""");
        }

        foreach (var (value, label) in markers ?? [])
        {
            if (value > scale) continue;
            var x = LabelWidth + value / scale * BarArea;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x:0.#}" y1="26" x2="{x:0.#}" y2="{height - 6}" stroke="#c53030" stroke-dasharray="4 3"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + 3:0.#}" y="30" fill="#c53030" font-size="11">{Esc(label)}</text>""");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Esc(string text) => SecurityElement.Escape(text);
}
