using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Accounts;

/// <summary>P1/P2: administrators open accounts through the API, checked like configured ones, one per unit per platform.</summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenAccountTests(GatewayTestHost host)
{
    private const string AdminToken = "mgdemo-admin-zhou";

    private static JsonObject HealthWeibo(string id) => new()
    {
        ["id"] = id, ["reason"] = "卫健委开设政务微博", ["platform"] = "Weibo", ["kind"] = "Weibo", ["name"] = "示例市卫健委微博",
        ["uid"] = "7000000099", ["safeDomain"] = "wjw.example.gov.cn", ["accessTokenRef"] = "file:demo/secrets/wb-city.token",
        ["ownership"] = new JsonObject
        {
            ["openingUnit"] = "health-bureau", ["supervisingDepartment"] = "health-bureau", ["operatingTeam"] = "health-bureau",
            ["responsiblePerson"] = new JsonObject { ["name"] = "陈刚", ["contact"] = "0000-11112222" }, ["filingNumber"] = "示政务新媒备〔2026〕031号",
        },
    };

    [Fact]
    public async Task AnAdministrator_OpensAnAccount_ThatItsDepartmentThenUses()
    {
        using var admin = host.Client(AdminToken);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("api/accounts", HealthWeibo("wb-health"))).StatusCode);

        using var opened = await admin.PostAsJsonAsync("api/accounts", HealthWeibo("wb-health"));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var text = await opened.Content.ReadAsStringAsync();
        Assert.DoesNotContain(RepoPaths.DemoSecret("wb-city.token"), text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("api/accounts", HealthWeibo("wb-health"))).StatusCode);

        using var health = host.Client(GatewayTestHost.HealthOperatorToken);
        var visible = (await health.GetFromJsonAsync<JsonArray>("api/accounts"))!;
        Assert.Contains(visible, a => a!["id"]!.GetValue<string>() == "wb-health");
        var history = (await admin.GetFromJsonAsync<JsonArray>("api/accounts/wb-health/history"))!;
        Assert.Equal("opened", history.Single()!["change"]!.GetValue<string>());
        Assert.Equal("admin-zhou", history.Single()!["by"]!.GetValue<string>());

        var article = TestData.Article(await TestData.UploadCoverAsync(op), targets: ["wb-health"]);
        article["link"] = "https://wjw.example.gov.cn/notice.html";
        using var submitted = await health.PostAsJsonAsync("api/content", article);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
    }

    [Fact]
    public async Task ASecondAccountOfAUnitOnAPlatform_IsRefused_P2()
    {
        using var admin = host.Client(AdminToken);
        var request = HealthWeibo("wx-health-2");
        request["platform"] = "WeChat";
        request["kind"] = "WeChatService";
        request["appId"] = "wx5d3c0demo0099";
        request["appSecretRef"] = "file:demo/secrets/wx-health.appsecret";
        using var response = await admin.PostAsJsonAsync("api/accounts", request);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("wx-health", (await TestData.ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("accessTokenRef", "plain-token-value", "accessTokenRef")]
    [InlineData("accessTokenRef", "env:MG_TEST_NO_SUCH_TOKEN", "accessTokenRef")]
    [InlineData("platform", "Douyin", "platform")]
    [InlineData("id", "Bad Id!", "id")]
    public async Task BadDefinitions_AreNamedByField(string field, string value, string named)
    {
        using var admin = host.Client(AdminToken);
        var request = HealthWeibo("wb-bad-" + Guid.NewGuid().ToString("N")[..6]);
        request[field] = value;
        using var response = await admin.PostAsJsonAsync("api/accounts", request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        Assert.NotNull(problem["errors"]![named]);
        Assert.DoesNotContain("plain-token-value", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIncompleteOwnershipRecord_IsRefused_P1()
    {
        using var admin = host.Client(AdminToken);
        var request = HealthWeibo("wb-incomplete");
        request["ownership"]!["responsiblePerson"]!["contact"] = null;
        using var response = await admin.PostAsJsonAsync("api/accounts", request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("responsiblePerson.contact", (await TestData.ProblemAsync(response))["errors"]!["ownership"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
