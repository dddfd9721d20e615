using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Calendar;
using MediaGateway.Tests.Deadlines;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Reports;

/// <summary>
/// The assessment says how many of the period's deadlines were counted on a provisional calendar (issue 19, decision 29),
/// in JSON, CSV and HTML; once the year's notice is loaded they are counted on it and the count drops.
/// </summary>
public sealed class ProvisionalCountTests(CalendarNoticeHost host) : IClassFixture<CalendarNoticeHost>
{
    [Fact]
    public async Task TheReport_CountsDeadlinesOnAProvisionalCalendar_InJsonCsvAndHtml()
    {
        // A normative document issued 28 December: its 10 working days run into next year, which has no notice (no file in
        // config/calendar, nothing loaded on this gateway of its own).
        var thisYear = WorkingDayCalendar.ChinaDay(DateTimeOffset.UtcNow).Year;
        var next = thisYear + 1;
        using var op = host.Client(GatewayTestHost.OperatorToken);
        Assert.True((await op.GetFromJsonAsync<JsonObject>($"api/calendar/{next}"))!["provisional"]!.GetValue<bool>());
        var cover = await TestData.UploadCoverAsync(op);
        var normative = TestData.Article(cover, targets: ["wx-city"]);
        normative["category"] = "NormativeDocument";
        normative["documentNumber"] = "示政发〔测试〕28号";
        normative["issuedOn"] = $"{thisYear}-12-28";
        var id = (await TestData.SubmitAsync(op, normative))["id"]!.GetValue<string>();
        Assert.True((await TestData.GetAsync(op, id))["deadline"]!["provisional"]!.GetValue<bool>());

        using var admin = host.Client(CalendarNoticeHost.AdminToken);
        var period = $"from={next}-01-01&to={next}-01-31";
        var report = (await admin.GetFromJsonAsync<JsonObject>($"api/reports/assessment?{period}"))!;
        Assert.Equal(1, report["provisionalDeadlines"]!.GetValue<int>());
        var p10 = report["departments"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "city-news-team")!["onTime"]!.AsArray()
            .Single(o => o!["ruleId"]!.GetValue<string>() == "P10")!;
        Assert.Equal(1, p10["due"]!.GetValue<int>());
        Assert.Equal(1, p10["provisional"]!.GetValue<int>());

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"api/reports/assessment?{period}");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        using var csv = await admin.SendAsync(csvRequest);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var team = lines.Single(l => l.StartsWith("department,city-news-team,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("1", team[Array.IndexOf(header, "P10 暂定日历 provisional")]);

        var html = await admin.GetStringAsync($"api/reports/assessment?{period}&format=html");
        Assert.Contains("有 <b>1</b> 个是在国务院放假安排载入前按法定节假日推算的（暂定）", html, StringComparison.Ordinal);
        Assert.Contains("1 暂定 provisional", html, StringComparison.Ordinal);

        // The notice arrives: the deadline is counted on it, and the report no longer calls it provisional.
        (await admin.PostAsJsonAsync("api/calendar/notices", CalendarNoticeHost.NoticeFor(next))).EnsureSuccessStatusCode();
        var after = (await admin.GetFromJsonAsync<JsonObject>($"api/reports/assessment?{period}"))!;
        Assert.Equal(0, after["provisionalDeadlines"]!.GetValue<int>());
        Assert.Equal(1, after["departments"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "city-news-team")!["onTime"]!.AsArray()
            .Single(o => o!["ruleId"]!.GetValue<string>() == "P10")!["due"]!.GetValue<int>());
    }
}
