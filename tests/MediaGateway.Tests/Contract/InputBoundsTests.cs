using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.Tests.Contract;

/// <summary>
/// Enums by name only, and every paging, date and size parameter inside its documented bounds: anything else is a
/// 400 naming the field, and a refused submission stores nothing.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class InputBoundsTests(GatewayTestHost host)
{
    /// <summary>Refused with 400 naming the field, nothing stored; returns the field's first reason.</summary>
    private async Task<string> AssertRefusedAsync(Action<JsonObject> change, string field)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op));
        change(article);
        var before = await host.StoredItemsAsync();
        using var response = await op.PostAsJsonAsync("api/content", article);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        Assert.True(problem["errors"]?[field] is not null, $"expected field '{field}' in {problem.ToJsonString()}");
        Assert.Equal(before, await host.StoredItemsAsync());
        return problem["errors"]![field]![0]!.GetValue<string>();
    }

    public static TheoryData<string> NotACategoryName() => new() { "99", "-1", "5", "\"99\"", "\"5\"", "\"\"", "\"Nonsense\"", "\"closureNotice, announcement\"" };

    [Theory]
    [MemberData(nameof(NotACategoryName))]
    public async Task ACategory_IsGivenByName_NotByNumberOrUnknownName(string json)
    {
        var reason = await AssertRefusedAsync(a => a["category"] = JsonNode.Parse(json), "category");
        // The person is told which names are accepted, in both languages, and never sees the gateway's type names.
        Assert.Contains("normativeDocument", reason, StringComparison.Ordinal);
        Assert.Contains("closureNotice", reason, StringComparison.Ordinal);
        Assert.Contains("可用", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("MediaGateway", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"7\"")]
    public Task ABodyFormat_IsGivenByName_Too(string json) =>
        AssertRefusedAsync(a => a["bodyFormat"] = JsonNode.Parse(json), "bodyFormat");

    [Fact]
    public async Task ACategoryName_IsStillAccepted()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op));
        article["category"] = "closureNotice";
        var item = await TestData.SubmitAsync(op, article);
        Assert.Equal("closureNotice", item["category"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1999-12-31T23:59:59Z")]
    public Task PublishAt_LongInThePast_IsRefused(string at) => AssertRefusedAsync(a => a["publishAt"] = at, "publishAt");

    [Fact]
    public Task PublishAt_MoreThanAYearAhead_IsRefused() =>
        AssertRefusedAsync(a => a["publishAt"] = DateTimeOffset.UtcNow.AddDays(367).ToString("O"), "publishAt");

    [Fact]
    public Task PublishAt_MoreThanADayAgo_IsRefused() =>
        AssertRefusedAsync(a => a["publishAt"] = DateTimeOffset.UtcNow.AddDays(-2).ToString("O"), "publishAt");

    [Fact]
    public Task ActivityEndsAt_InYearOne_IsRefused() => AssertRefusedAsync(a =>
    {
        a["category"] = "LivelihoodActivity";
        a["activityEndsAt"] = "0001-01-01T00:00:00Z";
    }, "activityEndsAt");

    [Fact]
    public Task IssuedOn_FarAhead_IsRefused() => AssertRefusedAsync(a =>
    {
        a["category"] = "NormativeDocument";
        a["documentNumber"] = "示政办发〔2026〕99号";
        a["issuedOn"] = "9999-12-31"; // the calendar's years end with 2199
    }, "issuedOn");

    [Fact]
    public async Task PublishAt_WithinItsBounds_IsAccepted()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op));
        article["publishAt"] = DateTimeOffset.UtcNow.AddDays(300).ToString("O");
        await TestData.SubmitAsync(op, article);
    }

    [Theory]
    [InlineData("api/content?take=-1", "take")]
    [InlineData("api/content?take=0", "take")]
    [InlineData("api/content?take=501", "take")]
    [InlineData("api/publications/dead-letters?take=0", "take")]
    [InlineData("api/publications/dead-letters?take=1001", "take")]
    [InlineData("api/webhooks/subscriptions/none/deliveries?take=-5", "take")]
    [InlineData("api/calendar/deadline?category=0&start=2026-01-05", "category")] // was read as normativeDocument
    [InlineData("api/calendar/deadline?category=NormativeDocument&start=0001-01-01", "start")]
    [InlineData("api/calendar/deadline?category=NormativeDocument&start=0001-01-01T00:00:00Z", "start")]
    [InlineData("api/calendar/1999", "year")]
    [InlineData("api/calendar/2200", "year")]
    [InlineData("api/reports/assessment?from=0001-01-01&to=0001-12-31", "from")]
    [InlineData("api/reports/assessment?from=9999-01-01&to=9999-01-02", "to")]
    public async Task AQueryOrRouteValue_OutsideItsBounds_Is400NamingIt(string url, string field)
    {
        using var admin = host.Client("mgdemo-admin-zhou");
        using var response = await admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        Assert.True(problem["errors"]?[field] is not null, $"expected field '{field}' in {problem.ToJsonString()}");
    }

    [Theory]
    [InlineData("api/content?take=1")]
    [InlineData("api/content?take=500")]
    [InlineData("api/publications/dead-letters?take=1000")]
    [InlineData("api/calendar/deadline?category=normativeDocument&start=2026-01-05")]
    public async Task AValue_AtItsBounds_IsAccepted(string url)
    {
        using var admin = host.Client("mgdemo-admin-zhou");
        using var response = await admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnImageOverTheLimit_Is400NamingTheFile()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestData.Jpeg(11 * 1024 * 1024)), "file", "big.jpg" } };
        using var response = await op.PostAsync("api/media", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await TestData.ProblemAsync(response))["errors"]!["file"]);
    }

    [Fact]
    public async Task ABodyLargerThanTheServerTakes_Is413Problem_Not400()
    {
        // Raw HTTP: the Content-Length alone is over Kestrel's limit (30 MB), so the gateway answers before the body is sent.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        var stream = tcp.GetStream();
        var request = "POST /api/content HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + $"Authorization: Bearer {GatewayTestHost.OperatorToken}\r\nContent-Type: application/json\r\nContent-Length: 40000000\r\n\r\n{{";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        var status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.StartsWith("HTTP/1.1 413", status, StringComparison.Ordinal);
        var headers = new List<string>();
        for (var line = await reader.ReadLineAsync(); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync()) headers.Add(line);
        Assert.Contains(headers, h => h.StartsWith("Content-Type: application/problem+json", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ABodyOfTheWrongMediaType_Is415()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var response = await op.PostAsync("api/content", new StringContent("title=x", System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await TestData.ProblemAsync(response);
    }

    [Fact]
    public void StoredRecords_WithNumericEnums_StillRead()
    {
        // Storage stays lenient: a record with an enum as a number (should one exist) is read as before; only the API is strict.
        Assert.Equal(MediaGateway.Content.ContentCategory.ClosureNotice, Json.Deserialize<MediaGateway.Content.ContentCategory>("5"));
        Assert.Equal(MediaGateway.Content.ContentCategory.ClosureNotice, Json.Deserialize<MediaGateway.Content.ContentCategory>("\"closureNotice\""));
    }
}
