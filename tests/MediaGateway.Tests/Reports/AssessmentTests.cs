using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Calendar;
using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Reports;

/// <summary>A gateway of its own, so the assessment's counts are exactly what these tests did.</summary>
public sealed class ReportsTestHost() : GatewayTestHost([]);

[CollectionDefinition(Name)]
public sealed class ReportsCollection : ICollectionFixture<ReportsTestHost>
{
    public const string Name = "reports";
}

/// <summary>P17 through the API: the figures, who sees them, and the CSV and HTML forms.</summary>
[Collection(ReportsCollection.Name)]
public sealed class AssessmentTests(ReportsTestHost host) : IAsyncLifetime
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static bool _seeded;
    private static Exception? _seedFailed;
    private static readonly string Today = WorkingDayCalendar.ChinaDay(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string DayAfterTomorrow = WorkingDayCalendar.ChinaDay(DateTimeOffset.UtcNow).AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    private string Period => $"from={Today}&to={DayAfterTomorrow}";

    /// <summary>
    /// One published news item; one rejected at 审核, revised and then published; a livelihood activity published
    /// within its 24 hours; a normative document issued 18 Sep 2026 never published (P10 missed in October 2026);
    /// one item whose WeChat publication fails for its content (45002). All for wx-city. And one Weibo post (wb-city)
    /// published, then retracted.
    /// </summary>
    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_seeded) return;
            // A seed that failed half-way is not run again: a second one would double every count the tests assert.
            if (_seedFailed is not null) throw new InvalidOperationException("seeding the assessment's items failed", _seedFailed);
            using var op = host.Client(GatewayTestHost.OperatorToken);
            var cover = await TestData.UploadCoverAsync(op);
            JsonObject Article(string category = "News")
            {
                var a = TestData.Article(cover, targets: ["wx-city"]);
                a["category"] = category;
                return a;
            }

            var plain = (await TestData.SubmitAsync(op, Article()))["id"]!.GetValue<string>();
            await TestData.ApproveAllLevelsAsync(host, plain);

            var revised = Article();
            var rejectedOnce = (await TestData.SubmitAsync(op, revised))["id"]!.GetValue<string>();
            using (var r1 = host.Client(GatewayTestHost.Reviewer1Token)) (await TestData.ReviewAsync(r1, rejectedOnce)).EnsureSuccessStatusCode();
            using (var r2 = host.Client(GatewayTestHost.Reviewer2Token)) (await TestData.ReviewAsync(r2, rejectedOnce, "reject", comment: "请补充来源")).EnsureSuccessStatusCode();
            revised["summary"] = "补充来源后重新提交";
            (await op.PutAsJsonAsync($"api/content/{rejectedOnce}", revised)).EnsureSuccessStatusCode();
            await TestData.ApproveAllLevelsAsync(host, rejectedOnce);

            var activity = Article("LivelihoodActivity");
            activity["activityEndsAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O");
            var inTime = (await TestData.SubmitAsync(op, activity))["id"]!.GetValue<string>();
            await TestData.ApproveAllLevelsAsync(host, inTime);

            var normative = Article("NormativeDocument");
            normative["documentNumber"] = "示政发〔2026〕9号";
            normative["issuedOn"] = "2026-09-18";
            await TestData.SubmitAsync(op, normative);

            // The fault hits the next draft/add of any item: the others must be published before it is set.
            foreach (var id in new[] { plain, rejectedOnce, inTime })
            {
                await TestData.WaitForFinalPublicationsAsync(op, id);
            }

            host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/draft/add", WeChatErrcode = 45002, Times = 1 });
            var failing = (await TestData.SubmitAsync(op, Article()))["id"]!.GetValue<string>();
            await TestData.ApproveAllLevelsAsync(host, failing);
            await TestData.WaitForFinalPublicationsAsync(op, failing);

            // A Weibo post taken down after its retraction was signed off: not counted as published (issue 18).
            var takenDown = (await TestData.SubmitAsync(op, TestData.Article(cover, targets: ["wb-city"])))["id"]!.GetValue<string>();
            await TestData.ApproveAllLevelsAsync(host, takenDown);
            await TestData.WaitForFinalPublicationsAsync(op, takenDown);
            (await op.PostAsJsonAsync($"api/content/{takenDown}/retraction", new { reason = "数据有误" })).EnsureSuccessStatusCode();
            using (var r3 = host.Client(GatewayTestHost.Reviewer3Token))
                (await r3.PostAsJsonAsync($"api/content/{takenDown}/retraction/decision", new { decision = "approve", comment = "同意撤回" })).EnsureSuccessStatusCode();

            // The figures come from the registration record, which the event processor appends shortly after.
            using var admin = host.Client("mgdemo-admin-zhou");
            await TestData.Eventually(async () =>
            {
                var report = (await admin.GetFromJsonAsync<JsonObject>($"api/reports/assessment?{Period}"))!;
                var row = Row(report["accounts"]!, "wx-city");
                var team = Row(report["departments"]!, "city-news-team");
                return row["publications"]!.GetValue<int>() == 3 && row["failuresByClass"]!.AsObject().Count == 1
                       && team["publications"]!.GetValue<int>() == 3 && OnTime(team, "P11")["met"]!.GetValue<int>() == 1
                       && Row(report["accounts"]!, "wb-city")["retracted"]?.GetValue<int>() == 1;
            }, "the record holds every publication, failure, retraction and met deadline", TimeSpan.FromSeconds(60));
            _seeded = true;
        }
        catch (Exception e) when (!_seeded)
        {
            _seedFailed ??= e;
            throw;
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonNode Row(JsonNode rows, string id) => rows.AsArray().Single(r => r!["id"]!.GetValue<string>() == id)!;

    private static JsonNode OnTime(JsonNode row, string rule) => row["onTime"]!.AsArray().Single(o => o!["ruleId"]!.GetValue<string>() == rule)!;

    [Fact]
    public async Task TheAdministrator_SeesEveryUnit_WithPublicationsRejectionsFailuresAndTurnaround()
    {
        using var admin = host.Client("mgdemo-admin-zhou");
        var report = (await admin.GetFromJsonAsync<JsonObject>($"api/reports/assessment?{Period}"))!;
        Assert.Equal("all", report["scope"]!.GetValue<string>());
        var team = Row(report["departments"]!, "city-news-team");
        Assert.Equal(3, team["publications"]!.GetValue<int>());
        Assert.Equal(1, team["rejections"]!.GetValue<int>());
        Assert.Equal(1, team["failuresByClass"]!["Content"]!.GetValue<int>());
        var levels = team["reviewTurnaround"]!.AsArray();
        // Level 1 decided 6 times (the rejected item twice), level 2 six times (one rejection), level 3 five times.
        Assert.Equal([6, 6, 5], levels.Select(l => l!["decisions"]!.GetValue<int>()));
        Assert.All(levels, l => Assert.True(l!["p90Hours"]!.GetValue<double>() >= l["medianHours"]!.GetValue<double>()));
        var p11 = OnTime(team, "P11");
        Assert.Equal(1, p11["met"]!.GetValue<int>());
        Assert.Equal(1.0, p11["rate"]!.GetValue<double>());

        var wx = Row(report["accounts"]!, "wx-city");
        Assert.Equal(3, wx["publications"]!.GetValue<int>());
        Assert.True(wx["daysSinceLastUpdate"]!.GetValue<double>() < 1);
        Assert.NotNull(wx["lastPublishedAt"]);
        // Its one post was taken down: retracted, not published.
        Assert.Equal(0, Row(report["accounts"]!, "wb-city")["publications"]!.GetValue<int>());
        Assert.Equal(1, Row(report["accounts"]!, "wb-city")["retracted"]!.GetValue<int>());
        Assert.Equal(1, team["retracted"]!.GetValue<int>());
    }

    [Fact]
    public async Task ANormativeDocumentNeverPublished_CountsAsMissed_InThePeriodItsDeadlineFellIn()
    {
        using var admin = host.Client("mgdemo-admin-zhou");
        var october = (await admin.GetFromJsonAsync<JsonObject>("api/reports/assessment?from=2026-10-01&to=2026-10-31"))!;
        var p10 = OnTime(Row(october["departments"]!, "city-news-team"), "P10");
        Assert.Equal(1, p10["due"]!.GetValue<int>());
        Assert.Equal(1, p10["missed"]!.GetValue<int>());
        Assert.Equal(0.0, p10["rate"]!.GetValue<double>());
        var november = (await admin.GetFromJsonAsync<JsonObject>("api/reports/assessment?from=2026-11-01&to=2026-11-10"))!;
        Assert.Equal(0, OnTime(Row(november["departments"]!, "city-news-team"), "P10")["due"]!.GetValue<int>());
    }

    [Fact]
    public async Task ADepartment_SeesItsOwnUnitOnly()
    {
        using var dept = host.Client(GatewayTestHost.DepartmentToken);
        var report = (await dept.GetFromJsonAsync<JsonObject>($"api/reports/assessment?{Period}"))!;
        Assert.Equal("city-info-office", report["scope"]!.GetValue<string>());
        Assert.Equal(["city-info-office"], report["departments"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
        Assert.DoesNotContain(report["accounts"]!.AsArray(), a => a!["id"]!.GetValue<string>() == "wx-health");
        Assert.Equal(3, Row(report["accounts"]!, "wx-city")["publications"]!.GetValue<int>());

        using var other = await dept.GetAsync($"api/reports/assessment?{Period}&department=city-news-team");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Theory]
    [InlineData("from=2026-13-01&to=2026-12-31", "from")]
    [InlineData("from=2026-10-31&to=2026-10-01", "to")]
    [InlineData("from=2026-10-01", "to")]
    [InlineData("from=2024-01-01&to=2026-01-01", "to")]
    [InlineData("from=2026-10-01&to=2026-10-31&format=pdf", "format")]
    [InlineData("from=2026-10-01&to=2026-10-31&department=nowhere", "department")]
    public async Task ABadPeriodOrFormat_IsA400NamingTheField(string query, string field)
    {
        using var admin = host.Client("mgdemo-admin-zhou");
        using var response = await admin.GetAsync($"api/reports/assessment?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task TheCsv_HasBilingualHeaders_AndALinePerUnitAndAccount()
    {
        using var admin = host.Client("mgdemo-admin-zhou");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/reports/assessment?{Period}");
        request.Headers.Accept.ParseAdd("text/csv");
        using var response = await admin.SendAsync(request);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Contains("发布数 publications", header);
        Assert.Contains("P10 按时率 on-time rate", header);
        var wx = lines.Single(l => l.StartsWith("account,wx-city,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("3", wx[Array.IndexOf(header, "发布数 publications")]);
        Assert.Equal("1", wx[Array.IndexOf(header, "退回 rejections")]);
        Assert.Equal("1", wx[Array.IndexOf(header, "失败 failures Content")]);
        Assert.Contains(lines, l => l.StartsWith("department,city-news-team,", StringComparison.Ordinal));
        // Every time in the report is China time and says so (issue 19: "last published" was UTC).
        var lastPublished = wx[Array.IndexOf(header, "最近发布（北京时间） last published (China time)")];
        Assert.EndsWith("+08:00", lastPublished, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHtmlReport_IsSelfContained_WithChartsAndChineseFirstLabels()
    {
        using var admin = host.Client("mgdemo-admin-zhou");
        using var response = await admin.GetAsync($"api/reports/assessment?{Period}&format=html");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("政务新媒体考核报告", html, StringComparison.Ordinal);
        Assert.Contains("按时率 On-time rate", html, StringComparison.Ordinal);
        Assert.Equal(4, html.Split("<svg", StringSplitOptions.None).Length - 1);
        Assert.Contains("示例市发布", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("&lt;svg", html, StringComparison.Ordinal);
    }
}
