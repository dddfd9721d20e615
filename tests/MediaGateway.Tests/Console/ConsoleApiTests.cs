using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Console;

/// <summary>The console's files are public, its data is not; the routes it added behave like the rest of the API.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ConsoleApiTests(GatewayTestHost host)
{
    private static readonly string[] CityAccounts = ["wx-city", "wb-city"];
    private static readonly string[] WxCity = ["wx-city"];
    private static readonly string[] Nowhere = ["wx-nowhere"];

    [Theory]
    [InlineData("console/", "text/html")]
    [InlineData("console/app.js", "text/javascript")]
    [InlineData("console/pages/compose.js", "text/javascript")]
    [InlineData("console/console.css", "text/css")]
    public async Task Console_files_are_served_without_a_token_with_a_strict_content_security_policy(string path, string type)
    {
        using var client = host.Client(null);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Names_map_people_units_and_only_the_visible_accounts_to_their_names()
    {
        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/names")).StatusCode);

        using var op = host.Client(GatewayTestHost.OperatorToken);
        var names = (await op.GetFromJsonAsync<JsonObject>("api/names"))!;
        Assert.Equal("李娜", names["people"]!["op-li"]!.GetValue<string>());
        Assert.Equal("市政务新媒体运营中心", names["units"]!["city-news-team"]!.GetValue<string>());
        Assert.Equal("示例市发布", names["accounts"]!["wx-city"]!["name"]!.GetValue<string>());
        Assert.Equal("Weibo", names["accounts"]!["wb-city"]!["platform"]!.GetValue<string>());
        Assert.Null(names["accounts"]!["wx-health"]); // another unit's account: not visible, not named

        using var health = host.Client(GatewayTestHost.HealthOperatorToken);
        var theirs = (await health.GetFromJsonAsync<JsonObject>("api/names"))!["accounts"]!.AsObject();
        Assert.NotNull(theirs["wx-health"]);
        Assert.Null(theirs["wx-city"]);
        Assert.DoesNotContain("Secret", (await health.GetStringAsync("api/names")), StringComparison.OrdinalIgnoreCase);

        var me = (await op.GetFromJsonAsync<JsonObject>("api/me"))!;
        Assert.Equal("city-news-team", me["department"]!.GetValue<string>());
        Assert.Equal("市政务新媒体运营中心", me["departmentName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Console_without_slash_redirects_and_unknown_or_escaping_paths_are_not_found()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        using var redirect = await client.GetAsync("console");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/console/", redirect.Headers.Location?.OriginalString);
        using var missing = await client.GetAsync("console/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var escaping = await client.GetAsync("console/..%2F..%2Fappsettings.json");
        Assert.Equal(HttpStatusCode.NotFound, escaping.StatusCode);
    }

    [Theory]
    [InlineData("api/me")]
    [InlineData("api/content")]
    public async Task The_api_behind_the_console_still_needs_a_token(string path)
    {
        using var client = host.Client(null);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var preview = await client.PostAsJsonAsync("api/drafts/render", new { title = "x", body = "y" });
        Assert.Equal(HttpStatusCode.Unauthorized, preview.StatusCode);
    }

    [Fact]
    public async Task Me_tells_who_the_token_belongs_to_without_the_credential()
    {
        using var client = host.Client(GatewayTestHost.Reviewer2Token);
        var me = (await client.GetFromJsonAsync<JsonObject>("api/me"))!;
        Assert.Equal("rv2-qian", me["id"]!.GetValue<string>());
        Assert.Equal("city-info-office", me["department"]!.GetValue<string>());
        Assert.Equal(2, me["reviewLevel"]!.GetValue<int>());
        Assert.Equal(["Reviewer"], me["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.DoesNotContain(GatewayTestHost.Reviewer2Token, me.ToJsonString());
    }

    [Fact]
    public async Task Preview_renders_both_platforms_and_runs_the_rules_without_storing_anything()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var before = (await op.GetFromJsonAsync<JsonArray>("api/content?take=500"))!.Count;
        var title = TestData.Unique("预览");
        using var response = await op.PostAsJsonAsync("api/drafts/render", new
        {
            title, summary = "摘要", body = "第一段**加粗**。\n\n据内部人士透露，此件为机密★。", link = "https://www.example.gov.cn/a.html",
            targets = CityAccounts, category = "News",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var article = Assert.Single(preview["weChat"]!.AsArray())!;
        Assert.Equal("wx-city", article["accountId"]!.GetValue<string>());
        Assert.Contains("<strong>加粗</strong>", article["html"]!.GetValue<string>());
        var post = Assert.Single(preview["weibo"]!.AsArray())!;
        Assert.StartsWith($"【{title}】摘要", post["status"]!.GetValue<string>());
        var findings = preview["findings"]!.AsArray().Select(f => (f!["severity"]!.GetValue<string>(), f["matched"]!.GetValue<string>())).ToList();
        Assert.Contains(("flag", "据内部人士透露"), findings);
        Assert.Contains(findings, f => f.Item1 == "block" && f.Item2.StartsWith("机密", StringComparison.Ordinal));
        Assert.Equal(before, (await op.GetFromJsonAsync<JsonArray>("api/content?take=500"))!.Count);
    }

    [Fact]
    public async Task Preview_checks_the_text_before_any_account_is_chosen()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var response = await op.PostAsJsonAsync("api/drafts/render", new { title = "草稿", body = "据内部人士透露" });
        var preview = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Empty(preview["weChat"]!.AsArray());
        Assert.Contains(preview["findings"]!.AsArray(), f => f!["matched"]!.GetValue<string>() == "据内部人士透露");
    }

    [Fact]
    public async Task Preview_is_for_operators_and_only_for_their_departments_accounts()
    {
        using var reviewer = host.Client(GatewayTestHost.Reviewer1Token);
        using var refused = await reviewer.PostAsJsonAsync("api/drafts/render", new { title = "x", body = "y", targets = WxCity });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var health = host.Client(GatewayTestHost.HealthOperatorToken);
        using var foreign = await health.PostAsJsonAsync("api/drafts/render", new { title = "x", body = "y", targets = WxCity });
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Contains("wx-city", (await TestData.ProblemAsync(foreign))["detail"]!.GetValue<string>());

        using var unknown = await health.PostAsJsonAsync("api/drafts/render", new { title = "x", body = "y", targets = Nowhere });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await TestData.ProblemAsync(unknown))["errors"]!.AsObject().ContainsKey("targets[0]"));
    }

    [Fact]
    public async Task A_revision_keeps_the_one_it_replaced_for_the_diff()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover, body: "旧的正文。");
        var created = await TestData.SubmitAsync(op, article);
        var id = created["id"]!.GetValue<string>();
        using (var missing = await op.GetAsync($"api/content/{id}/revisions/0"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        article["body"] = "新的正文。";
        using var revised = await op.PutAsJsonAsync($"api/content/{id}", article);
        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);

        var first = (await op.GetFromJsonAsync<JsonObject>($"api/content/{id}/revisions/1"))!;
        Assert.Equal(1, first["revision"]!.GetValue<int>());
        Assert.Equal("旧的正文。", first["body"]!.GetValue<string>());
        var second = (await op.GetFromJsonAsync<JsonObject>($"api/content/{id}/revisions/2"))!;
        Assert.Equal("新的正文。", second["body"]!.GetValue<string>());

        // Someone who may not see the item learns nothing about its revisions.
        using var health = host.Client(GatewayTestHost.HealthOperatorToken);
        using var hidden = await health.GetAsync($"api/content/{id}/revisions/1");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }
}
