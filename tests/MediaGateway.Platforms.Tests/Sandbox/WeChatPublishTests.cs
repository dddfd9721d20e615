using MediaGateway.Sandbox;

namespace MediaGateway.Platforms.Tests.Sandbox;

public sealed class WeChatPublishTests : WeChatHarness
{
    [Fact]
    public async Task Submit_IsPublishingUntilDelay_ThenPublishedWithArticleUrl()
    {
        var token = await TokenAsync();
        var mediaId = await DraftAsync(token, Article(await ThumbAsync(token), title: "关于国庆放假的通知", content: "<p>十月一日至八日放假。</p>"));

        var submitted = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/submit?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""");
        Assert.Equal(0, Wire.Errcode(submitted));
        var publishId = Wire.Id(submitted["publish_id"]);
        Assert.True(Wire.Id(submitted["msg_data_id"]) > 0);

        var publishing = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/get?access_token={token}", $$"""{"publish_id":{{publishId}}}""");
        Assert.Equal(1, publishing["publish_status"]!.GetValue<int>());
        Assert.Null(publishing["article_id"]);
        Assert.Equal(0, Sandbox.PublishEffectCount(AppId));

        Time.Advance(TimeSpan.FromSeconds(5));
        var done = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/get?access_token={token}", $$"""{"publish_id":"{{publishId}}"}""");
        Assert.Equal(0, done["publish_status"]!.GetValue<int>());
        Assert.Equal(publishId, Wire.Id(done["publish_id"]));
        var articleId = Wire.Str(done, "article_id");
        Assert.Equal(1, done["article_detail"]!["count"]!.GetValue<int>());
        var url = done["article_detail"]!["item"]![0]!["article_url"]!.GetValue<string>();
        Assert.Equal($"{Sandbox.BaseAddress}s/{articleId}", url);

        var page = await Http.GetStringAsync(url);
        Assert.Contains("关于国庆放假的通知", page, StringComparison.Ordinal);
        Assert.Contains("<p>十月一日至八日放假。</p>", page, StringComparison.Ordinal);

        Assert.Equal(1, Sandbox.PublishEffectCount(AppId));
        var published = Assert.Single(Sandbox.PublishedArticles);
        Assert.Equal((AppId, articleId, publishId, "关于国庆放假的通知", url), (published.AppId, published.ArticleId, published.PublishId, published.Title, published.ArticleUrl));
        Assert.Equal(0, (await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={token}"))["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Submit_IdsAlternateBetweenDigitStringsAndIntegers()
    {
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);
        var kinds = new List<System.Text.Json.JsonValueKind>();
        for (var i = 0; i < 2; i++)
        {
            var mediaId = await DraftAsync(token, Article(thumb, title: $"第{i}篇"));
            var answer = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/submit?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""");
            kinds.Add(answer["publish_id"]!.GetValueKind());
            Assert.Equal(answer["publish_id"]!.GetValueKind(), answer["msg_data_id"]!.GetValueKind());
        }

        Assert.Contains(System.Text.Json.JsonValueKind.String, kinds);
        Assert.Contains(System.Text.Json.JsonValueKind.Number, kinds);
    }

    [Fact]
    public async Task Submit_UnknownDraft_Is40007_AndUnknownIdsAre53502And53600()
    {
        var token = await TokenAsync();

        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/submit?access_token={token}", """{"media_id":"nope"}"""), 40007);
        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/get?access_token={token}", """{"publish_id":"123"}"""), 53502);
        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/delete?access_token={token}", """{"article_id":"nope","index":0}"""), 53600);
        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/getarticle?access_token={token}", """{"article_id":"nope"}"""), 53600);
    }

    [Fact]
    public async Task Published_ThenDeleted_PageSaysDeleted_StatusFive_BatchgetFlagsIt()
    {
        var token = await TokenAsync();
        var mediaId = await DraftAsync(token, Article(await ThumbAsync(token), title: "将被撤回"));
        var submitted = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/submit?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""");
        Time.Advance(TimeSpan.FromSeconds(6));
        var publishId = Wire.Id(submitted["publish_id"]);
        var done = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/get?access_token={token}", $$"""{"publish_id":{{publishId}}}""");
        var articleId = Wire.Str(done, "article_id");

        var list = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/batchget?access_token={token}", """{"offset":0,"count":10,"no_content":0}""");
        Assert.Equal(1, list["total_count"]!.GetValue<int>());
        Assert.Equal(articleId, list["item"]![0]!["article_id"]!.GetValue<string>());
        Assert.Equal("将被撤回", list["item"]![0]!["content"]!["news_item"]![0]!["title"]!.GetValue<string>());

        var deleted = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/delete?access_token={token}", $$"""{"article_id":"{{articleId}}","index":0}""");
        Assert.Equal(0, Wire.Errcode(deleted));

        var after = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/get?access_token={token}", $$"""{"publish_id":{{publishId}}}""");
        Assert.Equal(5, after["publish_status"]!.GetValue<int>());
        Assert.Contains("已被发布者删除", await Http.GetStringAsync(new Uri(Sandbox.BaseAddress, $"s/{articleId}")), StringComparison.Ordinal);
        var article = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/getarticle?access_token={token}", $$"""{"article_id":"{{articleId}}"}""");
        Assert.True(article["news_item"]![0]!["is_deleted"]!.GetValue<bool>());
        Assert.True(Assert.Single(Sandbox.PublishedArticles).Deleted);
        Assert.Equal(1, Sandbox.PublishEffectCount(AppId));
    }

    [Fact]
    public async Task MultiArticleDraft_PublishesEachArticle_CountsEachAsAnEffect()
    {
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);
        var mediaId = await DraftAsync(token, Article(thumb, title: "头条"), Article(thumb, title: "次条"));
        await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/submit?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""");
        Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(2, Sandbox.PublishEffectCount(AppId));
        var articles = Sandbox.PublishedArticles;
        Assert.Equal(["头条", "次条"], articles.Select(a => a.Title));
        Assert.Contains("次条", await Http.GetStringAsync(articles[1].ArticleUrl), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishStatusFault_ReviewRejected_PublishesNothing_AndKeepsTheDraft()
    {
        var token = await TokenAsync();
        var mediaId = await DraftAsync(token, Article(await ThumbAsync(token)));
        Sandbox.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", PublishStatus = 4 });

        var submitted = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/submit?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""");
        Assert.Equal(0, Wire.Errcode(submitted));
        Time.Advance(TimeSpan.FromSeconds(5));
        var outcome = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/get?access_token={token}", $$"""{"publish_id":{{Wire.Id(submitted["publish_id"])}}}""");

        Assert.Equal(4, outcome["publish_status"]!.GetValue<int>());
        Assert.Equal([1], outcome["fail_idx"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal(0, Sandbox.PublishEffectCount(AppId));
        Assert.Equal(1, (await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={token}"))["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task PublishedDraft_CannotBeSubmittedAgain()
    {
        var token = await TokenAsync();
        var mediaId = await DraftAsync(token, Article(await ThumbAsync(token)));
        await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/submit?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""");
        Time.Advance(TimeSpan.FromSeconds(5));

        var again = await Wire.PostJsonAsync(Http, $"cgi-bin/freepublish/submit?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""");

        AssertError(again, 40007);
        Assert.Equal(1, Sandbox.PublishEffectCount(AppId));
    }
}
