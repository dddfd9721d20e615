namespace MediaGateway.Platforms.Tests.Sandbox;

public sealed class WeChatDraftTests : WeChatHarness
{
    [Fact]
    public async Task DraftAdd_WithUnicodeEscapeOfNonAscii_Is40033()
    {
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);

        // "\u901a\u77e5" is what a default System.Text.Json serializer writes for "通知".
        var answer = await Wire.PostJsonAsync(Http, $"cgi-bin/draft/add?access_token={token}",
            $$"""{"articles":[{"title":"\u901a\u77e5","content":"<p>x</p>","thumb_media_id":"{{thumb}}"}]}""");

        AssertError(answer, 40033);
    }

    [Fact]
    public async Task DraftAdd_WithAsciiEscapes_IsAccepted_AndAnswersRawUtf8()
    {
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);
        var mediaId = await DraftAsync(token, Article(thumb, title: "通知\\u0021", content: "<p>\\\"引号\\\"</p>"));

        var (response, text) = await Wire.PostRawJsonAsync(Http, $"cgi-bin/draft/get?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""");

        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains("\"title\":\"通知!\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("title", 33, 45003)]
    [InlineData("title", 0, 45003)]
    [InlineData("author", 17, 45110)]
    [InlineData("digest", 129, 45004)]
    [InlineData("content", 20_000, 45002)]
    [InlineData("content_source_url", 1025, 45005)]
    public async Task DraftAdd_FieldOverLimit_IsRefusedWithTheSheetsCode(string field, int length, long errcode)
    {
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);
        var fields = new Dictionary<string, string>
        {
            ["title"] = "标题",
            ["author"] = "作者",
            ["digest"] = "摘要",
            ["content"] = "<p>正文</p>",
            ["content_source_url"] = "https://www.example.gov.cn/",
            ["thumb_media_id"] = thumb,
        };
        fields[field] = new string('字', length);
        var json = "{\"articles\":[{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":\"{f.Value}\"")) + "}]}";

        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/draft/add?access_token={token}", json), errcode);
        Assert.Equal(0, (await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={token}"))["total_count"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("need_open_comment", "2")]
    [InlineData("only_fans_can_comment", "-1")]
    [InlineData("need_open_comment", "\"yes\"")]
    public async Task DraftAdd_CommentFlagOtherThan0Or1_Is47001(string flag, string value)
    {
        // wechat-mp.md, "need_open_comment 0/1, only_fans_can_comment 0/1".
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);
        var article = Article(thumb, extra: $",\"{flag}\":{value}");
        var answer = await Wire.PostJsonAsync(Http, $"cgi-bin/draft/add?access_token={token}", "{\"articles\":[" + article + "]}");

        AssertError(answer, 47001);
        Assert.Equal(0, (await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={token}"))["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task DraftAdd_KeepsTheCommentFlags()
    {
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);
        var mediaId = await DraftAsync(token, Article(thumb, extra: ",\"need_open_comment\":1,\"only_fans_can_comment\":1"));

        var draft = await Wire.PostJsonAsync(Http, $"cgi-bin/draft/get?access_token={token}", "{\"media_id\":\"" + mediaId + "\"}");
        var article = draft["news_item"]![0]!;
        Assert.Equal(1, article["need_open_comment"]!.GetValue<int>());
        Assert.Equal(1, article["only_fans_can_comment"]!.GetValue<int>());
    }

    [Fact]
    public async Task DraftAdd_AtTheLimits_IsAccepted()
    {
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);
        var json = $$"""{"articles":[{"title":"{{new string('标', 32)}}","author":"{{new string('作', 16)}}","digest":"{{new string('摘', 128)}}","content":"{{new string('文', 19_999)}}","thumb_media_id":"{{thumb}}"}]}""";

        var answer = await Wire.PostJsonAsync(Http, $"cgi-bin/draft/add?access_token={token}", json);

        Assert.False(string.IsNullOrEmpty(Wire.Str(answer, "media_id")));
    }

    [Fact]
    public async Task DraftAdd_NineArticles_Is45008_AndForeignThumb_Is40007()
    {
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);
        var nine = string.Join(",", Enumerable.Repeat(Article(thumb), 9));
        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/draft/add?access_token={token}", $$"""{"articles":[{{nine}}]}"""), 45008);

        var otherToken = await TokenAsync("wxother000000000", "othersecret");
        var foreignThumb = await ThumbAsync(otherToken);
        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/draft/add?access_token={token}", $$"""{"articles":[{{Article(foreignThumb)}}]}"""), 40007);
    }

    [Fact]
    public async Task DraftAdd_StripsScriptsAndForeignImages_KeepsOwnImages()
    {
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);
        var (_, upload) = await Wire.PostMultipartAsync(Http, $"cgi-bin/media/uploadimg?access_token={token}", [], "media", TestImages.Png(), "a.png");
        var ownUrl = Wire.Str(upload, "url");
        var content = $"<p>甲</p><script>alert(1)</script><img src='{ownUrl}'><img src='https://evil.example.com/x.png'><p>乙</p>";
        var mediaId = await DraftAsync(token, Article(thumb, content: content));

        var draft = await Wire.PostJsonAsync(Http, $"cgi-bin/draft/get?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""");
        var stored = draft["news_item"]![0]!["content"]!.GetValue<string>();

        Assert.Equal($"<p>甲</p><img src='{ownUrl}'><p>乙</p>", stored);
    }

    [Fact]
    public async Task DraftLifecycle_UpdateBatchgetCountDelete()
    {
        var token = await TokenAsync();
        var thumb = await ThumbAsync(token);
        var mediaId = await DraftAsync(token, Article(thumb, title: "第一篇"), Article(thumb, title: "第二篇"));

        var updated = await Wire.PostJsonAsync(Http, $"cgi-bin/draft/update?access_token={token}",
            $$"""{"media_id":"{{mediaId}}","index":1,"articles":{{Article(thumb, title: "改过的第二篇")}}}""");
        Assert.Equal(0, Wire.Errcode(updated));

        var page = await Wire.PostJsonAsync(Http, $"cgi-bin/draft/batchget?access_token={token}", """{"offset":0,"count":20,"no_content":1}""");
        Assert.Equal(1, page["total_count"]!.GetValue<int>());
        var items = page["item"]![0]!["content"]!["news_item"]!.AsArray();
        Assert.Equal("改过的第二篇", items[1]!["title"]!.GetValue<string>());
        Assert.Equal(string.Empty, items[1]!["content"]!.GetValue<string>());
        Assert.Equal(string.Empty, items[0]!["digest"]!.GetValue<string>()); // digest is single-article only

        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/draft/update?access_token={token}",
            $$"""{"media_id":"{{mediaId}}","index":2,"articles":{{Article(thumb)}}}"""), 40035);
        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/draft/batchget?access_token={token}", """{"offset":0,"count":21}"""), 40035);

        Assert.Equal(0, Wire.Errcode(await Wire.PostJsonAsync(Http, $"cgi-bin/draft/delete?access_token={token}", $$"""{"media_id":"{{mediaId}}"}""")));
        Assert.Equal(0, (await Wire.GetJsonAsync(Http, $"cgi-bin/draft/count?access_token={token}"))["total_count"]!.GetValue<int>());
        AssertError(await Wire.PostJsonAsync(Http, $"cgi-bin/draft/get?access_token={token}", $$"""{"media_id":"{{mediaId}}"}"""), 40007);
    }

    [Fact]
    public async Task UploadImg_Png_ReturnsSandboxUrlServingTheBytes()
    {
        var token = await TokenAsync();
        var png = TestImages.Png(4, 4);

        var (_, answer) = await Wire.PostMultipartAsync(Http, $"cgi-bin/media/uploadimg?access_token={token}", [], "media", png, "a.png");
        var url = new Uri(Wire.Str(answer, "url"));

        Assert.StartsWith(Sandbox.BaseAddress + "mmbiz/", url.ToString(), StringComparison.Ordinal);
        var served = await Http.GetAsync(url);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task UploadImg_GifOrTooLarge_IsRefused()
    {
        var token = await TokenAsync();

        var (_, gif) = await Wire.PostMultipartAsync(Http, $"cgi-bin/media/uploadimg?access_token={token}", [], "media", TestImages.Gif(), "a.png");
        AssertError(gif, 40005);

        var (_, big) = await Wire.PostMultipartAsync(Http, $"cgi-bin/media/uploadimg?access_token={token}", [], "media", TestImages.Jpeg(1024 * 1024), "a.jpg");
        AssertError(big, 40006);

        var (_, none) = await Wire.PostMultipartAsync(Http, $"cgi-bin/media/uploadimg?access_token={token}", [("other", "x")], null, null);
        AssertError(none, 41005);
    }

    [Fact]
    public async Task AddMaterial_ThumbMustBeSmallJpeg_ImageMayBePng()
    {
        var token = await TokenAsync();

        var (_, pngThumb) = await Wire.PostMultipartAsync(Http, $"cgi-bin/material/add_material?access_token={token}&type=thumb", [], "media", TestImages.Png(), "a.png");
        AssertError(pngThumb, 40005);

        var (_, bigThumb) = await Wire.PostMultipartAsync(Http, $"cgi-bin/material/add_material?access_token={token}&type=thumb", [], "media", TestImages.Jpeg(64 * 1024 + 1), "a.jpg");
        AssertError(bigThumb, 40006);

        var (_, image) = await Wire.PostMultipartAsync(Http, $"cgi-bin/material/add_material?access_token={token}&type=image", [], "media", TestImages.Png(300, 300, noise: true), "a.png");
        Assert.False(string.IsNullOrEmpty(Wire.Str(image, "media_id")));
        Assert.StartsWith(Sandbox.BaseAddress + "mmbiz/", Wire.Str(image, "url"), StringComparison.Ordinal);

        var (_, badType) = await Wire.PostMultipartAsync(Http, $"cgi-bin/material/add_material?access_token={token}&type=video", [], "media", TestImages.Png(), "a.png");
        AssertError(badType, 40004);
    }

    [Fact]
    public async Task DraftAdd_NotJson_Is47001()
    {
        var token = await TokenAsync();

        var (_, text) = await Wire.PostRawJsonAsync(Http, $"cgi-bin/draft/add?access_token={token}", "{\"articles\":");

        AssertError(Wire.Parse(text), 47001);
    }
}
