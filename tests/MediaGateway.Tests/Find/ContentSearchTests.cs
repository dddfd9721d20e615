using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Find;

/// <summary>GET /api/content/search: Chinese substring search over title and body, filters, paging by cursor, bad input as 400.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ContentSearchTests(GatewayTestHost host)
{
    private static readonly string[] WxCity = ["wx-city"];
    private static readonly string[] WbCity = ["wb-city"];

    private async Task<JsonObject> SearchAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"api/content/search?{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"search answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static string[] Titles(JsonObject page) => [.. page["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>())];

    [Fact]
    public async Task A_Chinese_substring_of_the_body_or_title_finds_the_item_and_nothing_else()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var word = TestData.Unique("秸秆禁烧");
        var inBody = TestData.Unique("乡村通知");
        var inTitle = $"关于{word}的公告";
        await TestData.SubmitAsync(op, TestData.Article(cover, inBody, WxCity, $"各乡镇：\n\n请做好{word}工作。\n\n![配图](media:{cover})"));
        await TestData.SubmitAsync(op, TestData.Article(cover, inTitle, WxCity));
        await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique("无关稿件"), WxCity));

        // The middle of the word, not just a prefix.
        var page = await SearchAsync(op, $"q={Uri.EscapeDataString(word[2..])}");
        Assert.Equal([inTitle, inBody], Titles(page));
    }

    [Fact]
    public async Task Filters_by_category_account_unit_state_and_date_combine()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var tag = TestData.Unique("筛选");
        var news = TestData.Article(cover, $"{tag}新闻", WxCity);
        var activity = TestData.Article(cover, $"{tag}活动", WbCity);
        activity["category"] = "LivelihoodActivity";
        activity["activityEndsAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"); // P11: the 24 h clock runs;
        var newsItem = await TestData.SubmitAsync(op, news);
        await TestData.SubmitAsync(op, activity);
        await TestData.ApproveAllLevelsAsync(host, newsItem["id"]!.GetValue<string>());

        var q = $"q={Uri.EscapeDataString(tag)}";
        Assert.Equal([$"{tag}活动"], Titles(await SearchAsync(op, $"{q}&category=livelihoodActivity")));
        Assert.Equal([$"{tag}新闻"], Titles(await SearchAsync(op, $"{q}&account=wx-city")));
        Assert.Equal([$"{tag}活动"], Titles(await SearchAsync(op, $"{q}&state=inReview")));
        Assert.Equal([$"{tag}新闻"], Titles(await SearchAsync(op, $"{q}&state=approved")));
        Assert.Equal(2, Titles(await SearchAsync(op, $"{q}&unit=city-news-team")).Length);
        Assert.Empty(Titles(await SearchAsync(op, $"{q}&unit=health-bureau")));
        Assert.Equal([$"{tag}活动"], Titles(await SearchAsync(op, $"{q}&deadline=running")));
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        var longAgo = DateTimeOffset.UtcNow.AddDays(-30).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        Assert.Equal(2, Titles(await SearchAsync(op, $"{q}&from={today}&to={today}")).Length);
        Assert.Empty(Titles(await SearchAsync(op, $"{q}&from={longAgo}&to={longAgo}")));
    }

    [Fact]
    public async Task Pages_follow_the_cursor_newest_first_without_repeats_or_gaps()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var tag = TestData.Unique("分页");
        var titles = new List<string>();
        for (var n = 0; n < 5; n++)
        {
            titles.Insert(0, $"{tag}第{n}篇");
            await TestData.SubmitAsync(op, TestData.Article(cover, titles[0], WxCity));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await SearchAsync(op, $"q={Uri.EscapeDataString(tag)}&take=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            seen.AddRange(Titles(page));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 10);
        Assert.Equal(titles, seen);
    }

    [Fact]
    public async Task Items_of_another_unit_are_not_found()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var tag = TestData.Unique("他人不可见");
        await TestData.SubmitAsync(op, TestData.Article(cover, tag, WxCity));
        using var health = host.Client(GatewayTestHost.HealthOperatorToken);
        Assert.Empty(Titles(await SearchAsync(health, $"q={Uri.EscapeDataString(tag)}")));
        Assert.Single(Titles(await SearchAsync(op, $"q={Uri.EscapeDataString(tag)}")));
    }

    [Theory]
    [InlineData("state=sleeping", "state")]
    [InlineData("category=gossip", "category")]
    [InlineData("deadline=soon", "deadline")]
    [InlineData("from=2025-13-01", "from")]
    [InlineData("from=2025-03-02&to=2025-03-01", "to")]
    [InlineData("take=0", "take")]
    [InlineData("cursor=nonsense", "cursor")]
    public async Task Bad_filters_are_400_naming_the_field(string query, string field)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var response = await op.GetAsync($"api/content/search?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        Assert.NotNull(problem["errors"]![field]);
    }
}
