using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Content;

/// <summary>
/// Issue 22, per-platform variants (decision 45): a Weibo text and picture choice different from the WeChat summary and
/// cover, and the WeChat article options (original link, comments). Checked at the door as the platforms count them,
/// part of the fingerprint, read by the rules, and sent to the platforms as written.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class VariantTests(GatewayTestHost host)
{
    private const string Link = "https://www.example.gov.cn/zwgk/test.html";

    private async Task<(HttpStatusCode Status, JsonObject Body, long Before, long After)> SubmitAsync(Action<JsonObject, string> change)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover);
        change(article, cover);
        var before = await host.StoredItemsAsync();
        using var response = await op.PostAsJsonAsync("api/content", article);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return (response.StatusCode, body, before, await host.StoredItemsAsync());
    }

    private static void AssertBilingual400(HttpStatusCode status, JsonObject problem, string field, long before, long after)
    {
        Assert.True(status == HttpStatusCode.BadRequest, $"expected 400 naming {field}, got {(int)status}: {problem.ToJsonString()}");
        var messages = problem["errors"]?[field]?.AsArray();
        Assert.True(messages is { Count: > 0 }, $"no error for {field}: {problem.ToJsonString()}");
        var message = messages![0]!.GetValue<string>();
        Assert.Contains(" / ", message, StringComparison.Ordinal); // Chinese / English
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", message.Split(" / ")[0]);
        Assert.Equal(before, after); // nothing stored
    }

    [Fact]
    public async Task AWeiboTextOverTheLimit_Is400NamingWeiboText_AndStoresNothing()
    {
        // 130 characters + a space + the 40-character link: over weibo.md's 140.
        var (status, problem, before, after) = await SubmitAsync((a, _) => a["weibo"] = new JsonObject { ["text"] = new string('微', 130) });
        AssertBilingual400(status, problem, "weibo.text", before, after);
        Assert.Contains("140", problem["errors"]!["weibo.text"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWeiboTextAtTheLimit_IsAccepted_WithTheLinkCounted()
    {
        var text = new string('微', 140 - 1 - Link.Length);
        var (status, body, _, _) = await SubmitAsync((a, _) => a["weibo"] = new JsonObject { ["text"] = text });
        Assert.True(status == HttpStatusCode.Created, body.ToJsonString());
    }

    [Fact]
    public async Task MoreThanOneWeiboPicture_Is400_TheApiInUseTakesOne()
    {
        var (status, problem, before, after) = await SubmitAsync((a, cover) =>
            a["weibo"] = new JsonObject { ["text"] = "微博专用文字", ["pictures"] = new JsonArray(cover, cover) });
        AssertBilingual400(status, problem, "weibo.pictures", before, after);
        Assert.Contains("statuses/share", problem["errors"]!["weibo.pictures"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWeiboPictureNeverUploaded_Is400NamingIt()
    {
        var (status, problem, before, after) = await SubmitAsync((a, _) =>
            a["weibo"] = new JsonObject { ["pictures"] = new JsonArray("000000000000000000000000") });
        AssertBilingual400(status, problem, "weibo.pictures[0]", before, after);
    }

    [Fact]
    public async Task ATopicForAnAccountThatDoesNotAllowThem_Is400NamingWeiboText()
    {
        // wb-city has no AllowTopics: statuses/share refuses #topic# (weibo.md), so the gateway refuses it at the door.
        var (status, problem, before, after) = await SubmitAsync((a, _) => a["weibo"] = new JsonObject { ["text"] = "#优化营商环境# 十条新举措发布" });
        AssertBilingual400(status, problem, "weibo.text", before, after);
        Assert.Contains("#话题#", problem["errors"]!["weibo.text"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("comments", "sometimes", "weChat.comments")]
    [InlineData("comments", "1", "weChat.comments")]
    [InlineData("originalLink", "https://evil-example.gov.cn/x", "weChat.originalLink")]
    [InlineData("originalLink", "not a url", "weChat.originalLink")]
    public async Task BadWeChatOptions_Are400NamingTheField(string option, string value, string field)
    {
        var (status, problem, before, after) = await SubmitAsync((a, _) => a["weChat"] = new JsonObject { [option] = value });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task ADirectionControlInTheWeiboText_IsRefusedByTextHygiene()
    {
        var (status, problem, before, after) = await SubmitAsync((a, _) => a["weibo"] = new JsonObject { ["text"] = "微博\u202E文字" });
        AssertBilingual400(status, problem, "weibo.text", before, after);
    }

    [Fact]
    public async Task ASensitiveExpressionInTheWeiboText_IsFound()
    {
        var (status, body, _, _) = await SubmitAsync((a, _) => a["weibo"] = new JsonObject { ["text"] = "据内部人士透露，新举措下月实施" });
        Assert.True(status == HttpStatusCode.Created, body.ToJsonString());
        var finding = Assert.Single(body["findings"]!.AsArray(), f => f!["matched"]?.GetValue<string>() == "据内部人士透露");
        Assert.StartsWith("weibo", finding!["field"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingAVariant_ChangesTheFingerprint_AndReviewStartsOver()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover);
        var first = await TestData.SubmitAsync(op, article);
        var id = first["id"]!.GetValue<string>();
        using (var reviewer = host.Client(GatewayTestHost.Reviewer1Token))
        using (var approved = await TestData.ReviewAsync(reviewer, id))
        {
            Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
        }

        article["weibo"] = new JsonObject { ["text"] = "微博专用文字" };
        article["weChat"] = new JsonObject { ["comments"] = "open" };
        using var revised = await op.PutAsJsonAsync($"api/content/{id}", article);
        var second = JsonNode.Parse(await revised.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(revised.IsSuccessStatusCode, second.ToJsonString());
        foreach (var account in new[] { "wx-city", "wb-city" })
        {
            Assert.NotEqual(first["fingerprints"]![account]!.GetValue<string>(), second["fingerprints"]![account]!.GetValue<string>());
        }

        Assert.Equal(1, second["awaitingLevel"]!.GetValue<int>()); // the 初审 approval was for the old fingerprints
        Assert.Equal("微博专用文字", second["weibo"]!["text"]!.GetValue<string>());
        Assert.Equal("open", second["weChat"]!["comments"]!.GetValue<string>());
    }

    [Fact]
    public async Task ThePlatformsReceiveTheVariants_ThroughTheSandboxes()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var picture = (await TestData.UploadAsync(op, TestData.Gif(), "weibo-picture.gif"))["id"]!.GetValue<string>();
        var title = TestData.Unique("变体发布");
        var weiboText = TestData.Unique("微博专用：十条新举措今起实施，详见");
        const string original = "https://www.example.gov.cn/zwgk/2026/original.html";
        var article = TestData.Article(cover, title);
        article["author"] = "王敏";
        article["weibo"] = new JsonObject { ["text"] = weiboText, ["pictures"] = new JsonArray(picture) };
        article["weChat"] = new JsonObject { ["originalLink"] = original, ["comments"] = "fansOnly" };
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();

        await TestData.ApproveAllLevelsAsync(host, id);
        var item = await TestData.WaitForFinalPublicationsAsync(op, id);
        Assert.Equal("published", TestData.Publication(item, "wx-city")["state"]!.GetValue<string>());
        Assert.Equal("published", TestData.Publication(item, "wb-city")["state"]!.GetValue<string>());

        // WeChat: draft/add carried the author, the original link as content_source_url, and comments open to fans only.
        var published = Assert.Single(host.WeChat.PublishedArticles, a => a.Title == title);
        Assert.Equal("王敏", published.Author);
        Assert.Equal(original, published.ContentSourceUrl);
        Assert.Equal(1, published.NeedOpenComment);
        Assert.Equal(1, published.OnlyFansCanComment);

        // Weibo: the variant text with the item's link, and the variant's picture (a GIF), not the cover (a JPEG).
        var status = Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(weiboText, StringComparison.Ordinal));
        Assert.Equal($"{weiboText} {Link}", status.Text);
        Assert.DoesNotContain(title, status.Text, StringComparison.Ordinal);
        Assert.NotNull(status.OriginalPic);
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(status.OriginalPic);
        Assert.Equal("GIF8"u8.ToArray(), bytes[..4]);
    }

    [Fact]
    public async Task NoWeiboPicture_WhenTheVariantListsNone()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var weiboText = TestData.Unique("微博不配图");
        var article = TestData.Article(cover, targets: ["wb-city"]);
        article["weibo"] = new JsonObject { ["text"] = weiboText, ["pictures"] = new JsonArray() };
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();

        await TestData.ApproveAllLevelsAsync(host, id);
        await TestData.WaitForFinalPublicationsAsync(op, id);
        var status = Assert.Single(host.Weibo.Statuses, s => s.Text.Contains(weiboText, StringComparison.Ordinal));
        Assert.Null(status.OriginalPic);
    }

    [Fact]
    public async Task TheContract_DeclaresTheVariants()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var schemas = JsonNode.Parse(await op.GetStringAsync("openapi/v1.json"))!["components"]!["schemas"]!;
        var submit = schemas["SubmitContentRequest"]!["properties"]!;
        Assert.NotNull(submit["weibo"]);
        Assert.NotNull(submit["weChat"]);
        Assert.NotNull(schemas["ContentView"]!["properties"]!["weibo"]);
        Assert.Contains("string", schemas["WeiboVariant"]!["properties"]!["text"]!["type"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.NotNull(schemas["WeiboVariant"]!["properties"]!["pictures"]);
        Assert.NotNull(schemas["WeChatOptions"]!["properties"]!["originalLink"]);
        // By name only (decision 27); the enumeration may list null as well, since the option is optional.
        var comments = schemas["WeChatComments"]!["enum"]!.AsArray().Where(e => e is not null).Select(e => e!.GetValue<string>()).ToList();
        Assert.Equal(["closed", "open", "fansOnly"], comments);
    }

    [Fact]
    public async Task ThePreview_ShowsTheVariantsPerAccount()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover);
        article["author"] = "王敏";
        article["weibo"] = new JsonObject { ["text"] = "微博专用文字" };
        article["weChat"] = new JsonObject { ["originalLink"] = "https://www.example.gov.cn/zwgk/o.html", ["comments"] = "open" };
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();

        var preview = (await op.GetFromJsonAsync<JsonObject>($"api/content/{id}/preview"))!;
        var wx = preview["weChat"]![0]!;
        Assert.Equal("王敏", wx["author"]!.GetValue<string>());
        Assert.Equal("https://www.example.gov.cn/zwgk/o.html", wx["contentSourceUrl"]!.GetValue<string>());
        Assert.Equal("open", wx["comments"]!.GetValue<string>());
        var wb = preview["weibo"]![0]!;
        Assert.Equal($"微博专用文字 {Link}", wb["status"]!.GetValue<string>());
    }
}
