using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.Tests.Content;

/// <summary>Bad input gets RFC 9457 problem details naming the field, and leaves nothing behind.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SubmissionTests(GatewayTestHost host)
{
    private async Task<(HttpStatusCode Status, JsonObject Problem, long ItemsBefore, long ItemsAfter)> SubmitAsync(string token, Action<JsonObject> change)
    {
        using var client = host.Client(token);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op));
        change(article);
        var before = await host.StoredItemsAsync();
        using var response = await client.PostAsJsonAsync("api/content", article);
        var problem = await TestData.ProblemAsync(response);
        return (response.StatusCode, problem, before, await host.StoredItemsAsync());
    }

    [Theory]
    [InlineData("title", null, "title")]
    [InlineData("title", "这是一个超过三十二个字的标题这是一个超过三十二个字的标题这是一个超过", "title")]
    [InlineData("body", "", "body")]
    [InlineData("coverMediaId", null, "coverMediaId")]
    [InlineData("coverMediaId", "000000000000000000000000", "coverMediaId")]
    [InlineData("link", null, "link")]
    [InlineData("link", "https://evil-example.gov.cn/x", "link")]
    [InlineData("link", "https://www.example.gov.cn.evil.test/x", "link")]
    [InlineData("category", null, "category")]
    [InlineData("author", "一二三四五六七八九十一二三四五六七", "author")]
    public async Task InvalidField_Is400NamingIt_AndStoresNothing(string field, string? value, string named)
    {
        var (status, problem, before, after) = await SubmitAsync(GatewayTestHost.OperatorToken, a => a[field] = value);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem["errors"]![named]);
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("NormativeDocument", "documentNumber")]
    [InlineData("NormativeDocument", "issuedOn")]
    [InlineData("PolicyInterpretation", "interpretedDocument")]
    [InlineData("LivelihoodActivity", "activityEndsAt")]
    public async Task ACategory_NeedsTheDatesItsDeadlineCountsFrom(string category, string named)
    {
        var (status, problem, before, after) = await SubmitAsync(GatewayTestHost.OperatorToken, a => a["category"] = category);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem["errors"]![named]);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task ANormativeDocument_KeepsItsNumberAndIssuanceDate()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op));
        article["category"] = "NormativeDocument";
        article["documentNumber"] = "示政办发〔2026〕12号";
        article["issuedOn"] = "2026-11-20";
        var item = await TestData.SubmitAsync(op, article);
        Assert.Equal("示政办发〔2026〕12号", item["documentNumber"]!.GetValue<string>());
        Assert.Equal("2026-11-20", item["issuedOn"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownTargetAccount_IsNamedByIndex()
    {
        var (status, problem, before, after) = await SubmitAsync(GatewayTestHost.OperatorToken,
            a => a["targets"] = new JsonArray("wx-city", "wx-nowhere"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("wx-nowhere", problem["errors"]!["targets[1]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task ANullTarget_IsNamedByIndex()
    {
        var (status, problem, before, after) = await SubmitAsync(GatewayTestHost.OperatorToken, a => a["targets"] = new JsonArray("wx-city", null));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem["errors"]!["targets[1]"]);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task AnEmptyCoverId_IsNamed()
    {
        var (status, problem, _, _) = await SubmitAsync(GatewayTestHost.OperatorToken, a => a["coverMediaId"] = "");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem["errors"]!["coverMediaId"]);
    }

    [Fact]
    public async Task ABadQueryValue_IsNamed()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var response = await op.GetAsync("api/content?take=many");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await TestData.ProblemAsync(response))["errors"]!["take"]);
    }

    [Fact]
    public async Task OnlyOperatorsUploadImages()
    {
        using var department = host.Client(GatewayTestHost.DepartmentToken);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Config, "demo", "cover.png"))), "file", "c.png" } };
        using var response = await department.PostAsync("api/media", form);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task UnknownCategoryValue_IsNamed()
    {
        var (status, problem, _, _) = await SubmitAsync(GatewayTestHost.OperatorToken, a => a["category"] = "Gossip");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem["errors"]!["category"]);
    }

    [Fact]
    public async Task MalformedJson_IsAProblem()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var response = await op.PostAsync("api/content", new StringContent("{\"title\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await TestData.ProblemAsync(response))["errors"]);
    }

    [Fact]
    public async Task ASummaryTooLongForWeibo_IsShortened_AndTheOperatorIsTold()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op));
        article["summary"] = new string('长', 120);
        var item = await TestData.SubmitAsync(op, article);
        Assert.Contains(item["notices"]!.AsArray(), n => n!.GetValue<string>().StartsWith("wb-city:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATitleThatCannotFitBesideTheLinkOnWeibo_IsRefused()
    {
        var (status, problem, before, after) = await SubmitAsync(GatewayTestHost.OperatorToken, a =>
        {
            a["targets"] = new JsonArray("wb-city");
            a["title"] = new string('长', 130);
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("wb-city", problem["errors"]!["title"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task AnExternalImageInTheBody_IsRefused_ForWeChat()
    {
        var (status, problem, _, _) = await SubmitAsync(GatewayTestHost.OperatorToken,
            a => a["body"] = "正文 ![外链](https://img.example.com/a.png)");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("wx-city", problem["errors"]!["body"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALinkOutsideTheAllowList_InTheBody_BlocksApproval()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op), body: "详见 https://evil-example.com/x 说明。");
        var item = await TestData.SubmitAsync(op, article);
        Assert.Equal("changesRequired", item["status"]!.GetValue<string>());
        Assert.Contains(item["findings"]!.AsArray(), f => f!["ruleId"]!.GetValue<string>() == "link-not-allowed" && f["field"]!.GetValue<string>() == "body");
    }

    [Fact]
    public async Task OperatorOfAnotherDepartment_IsForbidden()
    {
        var (status, problem, before, after) = await SubmitAsync(GatewayTestHost.HealthOperatorToken, _ => { });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("wx-city", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task AccountWithIncompleteOwnership_IsRefused_P1()
    {
        // wx-health's responsible person has no contact in config/demo/accounts.json.
        var (status, problem, before, after) = await SubmitAsync(GatewayTestHost.HealthOperatorToken, a =>
        {
            a["targets"] = new JsonArray("wx-health");
            a["link"] = "https://wjw.example.gov.cn/a.html";
        });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("responsiblePerson.contact", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task NotAnImage_IsRefused()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var form = new MultipartFormDataContent { { new ByteArrayContent("plain text"u8.ToArray()), "file", "a.png" } };
        using var response = await op.PostAsync("api/media", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await TestData.ProblemAsync(response))["errors"]!["file"]);
    }

    [Fact]
    public async Task WithoutAToken_Is401_AndWithAWrongOne_Too()
    {
        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/content")).StatusCode);
        using var wrong = host.Client("mgdemo-operator-li-but-wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("api/content")).StatusCode);
    }

    [Fact]
    public async Task Accounts_AreListedWithOwnership_NeverWithCredentials()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var text = await op.GetStringAsync("api/accounts");
        var accounts = JsonNode.Parse(text)!.AsArray();
        Assert.Equal(["wb-city", "wx-city", "wx-close", "wx-inputs", "wx-life", "wx-mass", "wx-strict"], accounts.Select(a => a!["id"]!.GetValue<string>()).Order().ToArray());
        Assert.DoesNotContain(RepoPaths.DemoSecret("wx-city.appsecret"), text, StringComparison.Ordinal);
        Assert.DoesNotContain(RepoPaths.DemoSecret("wb-city.token"), text, StringComparison.Ordinal);
        Assert.Equal("0000-12345678", accounts[0]!["ownership"]!["responsiblePerson"]!["contact"]!.GetValue<string>());
    }
}
