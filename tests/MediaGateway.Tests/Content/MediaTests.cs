using System.Text.Json.Nodes;
using MediaGateway.Content;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Content;

/// <summary>
/// Issue 18, "files fail only at publish time": what a platform would refuse about an image is a blocking finding when the
/// item is submitted, upload names reach the platform with their extension, and a stored image never changes under an item.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class MediaTests(GatewayTestHost host)
{
    /// <summary>The item went back for changes with exactly one media finding, blocking, its message Chinese first and bilingual.</summary>
    private static JsonObject SingleBlockingMediaFinding(JsonObject item)
    {
        Assert.Equal("changesRequired", item["status"]!.GetValue<string>());
        var finding = Assert.Single(MediaFindings(item));
        Assert.Equal("block", finding["severity"]!.GetValue<string>());
        AssertChineseFirstAndBilingual(finding["message"]!.GetValue<string>());
        return finding;
    }

    private static IEnumerable<JsonObject> MediaFindings(JsonObject item) =>
        item["findings"]!.AsArray().Select(f => f!.AsObject()).Where(f => f["ruleId"]!.GetValue<string>() == "media-limit");

    private static void AssertChineseFirstAndBilingual(string message)
    {
        Assert.InRange(message[0], '\u4E00', '\u9FFF');
        Assert.Contains(" / ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGifInTheBody_IsABlockingFinding_ForEachWeChatAccount_NamingTheImageAndTheLimit()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var gif = (await TestData.UploadAsync(op, TestData.Gif(), "动图.gif"))["id"]!.GetValue<string>();
        var body = $"正文第一段。\n\n![动图](media:{gif})\n\n第二段。";

        var item = await TestData.SubmitAsync(op, TestData.Article(cover, body: body, targets: ["wx-city", "wb-city"]));

        var finding = SingleBlockingMediaFinding(item);
        Assert.Equal("body", finding["field"]!.GetValue<string>());
        // The finding marks the image's reference in the body.
        Assert.Equal($"media:{gif}", body.Substring(finding["start"]!.GetValue<int>(), finding["length"]!.GetValue<int>()));
        var message = finding["message"]!.GetValue<string>();
        Assert.Contains("动图.gif", message, StringComparison.Ordinal);
        Assert.Contains("示例市发布", message, StringComparison.Ordinal);
        Assert.Contains("JPG", message, StringComparison.Ordinal);
        Assert.Contains("GIF", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyImageOf1MB_IsABlockingFinding()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var big = (await TestData.UploadAsync(op, TestData.Jpeg(1024 * 1024), "现场照片.jpg"))["id"]!.GetValue<string>();

        var item = await TestData.SubmitAsync(op, TestData.Article(cover, body: $"现场。\n\n![现场](media:{big})", targets: ["wx-city"]));

        var finding = SingleBlockingMediaFinding(item);
        var message = finding["message"]!.GetValue<string>();
        Assert.Contains("现场照片.jpg", message, StringComparison.Ordinal);
        Assert.Contains("1 MB", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACoverOf5MB_IsABlockingFindingForWeibo_ButNotForWeChat()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = (await TestData.UploadAsync(op, TestData.Jpeg(5 * 1024 * 1024), "大封面.jpg"))["id"]!.GetValue<string>();

        var item = await TestData.SubmitAsync(op, TestData.Article(cover, body: "正文。", targets: ["wx-city", "wb-city"]));

        var finding = SingleBlockingMediaFinding(item);
        Assert.Equal("coverMediaId", finding["field"]!.GetValue<string>());
        var message = finding["message"]!.GetValue<string>();
        Assert.Contains("大封面.jpg", message, StringComparison.Ordinal);
        Assert.Contains("微博", message, StringComparison.Ordinal);
        Assert.Contains("5 MB", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImagesWithinEveryLimit_GiveNoMediaFinding()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = (await TestData.UploadAsync(op, TestData.Jpeg(5 * 1024 * 1024 - 1), "封面.jpg"))["id"]!.GetValue<string>();
        var inline = (await TestData.UploadAsync(op, TestData.Jpeg(1024 * 1024 - 1), "插图.jpg"))["id"]!.GetValue<string>();

        var item = await TestData.SubmitAsync(op, TestData.Article(cover, body: $"正文。\n\n![插图](media:{inline})", targets: ["wx-city", "wb-city"]));

        Assert.Empty(MediaFindings(item));
        Assert.Equal("inReview", item["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImagesWithChineseNames_ArePublishedToWeChat()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var png = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Config, "demo", "cover.png"));
        var cover = (await TestData.UploadAsync(op, png, "市政府新闻发布会封面.png"))["id"]!.GetValue<string>();
        var inline = (await TestData.UploadAsync(op, TestData.Jpeg(4096), "发布会现场"))["id"]!.GetValue<string>();
        var item = await TestData.SubmitAsync(op, TestData.Article(cover, body: $"正文。\n\n![现场](media:{inline})", targets: ["wx-city"]));
        var id = item["id"]!.GetValue<string>();

        await TestData.ApproveAllLevelsAsync(host, id);

        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id, TimeSpan.FromSeconds(45)), "wx-city");
        Assert.True(pub["state"]!.GetValue<string>() == "published", pub.ToJsonString());
    }

    [Fact]
    public async Task ReuploadingTheSameBytesUnderAnotherName_LeavesTheSubmittedItemsImageAsItWas()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var bytes = TestData.Jpeg(2048);
        var first = await TestData.UploadAsync(op, bytes, "第一版封面.jpg");
        var cover = first["id"]!.GetValue<string>();
        var item = await TestData.SubmitAsync(op, TestData.Article(cover, targets: ["wx-city"]));
        Assert.Equal(cover, item["coverMediaId"]!.GetValue<string>());

        var second = await TestData.UploadAsync(op, bytes, "renamed.jpg");

        var media = host.Services.GetRequiredService<MediaStore>();
        var referenced = await media.FindAsync(cover);
        Assert.NotNull(referenced);
        Assert.Equal("第一版封面.jpg", referenced.FileName);
        Assert.Equal("renamed.jpg", second["fileName"]!.GetValue<string>());
        Assert.NotEqual(cover, second["id"]!.GetValue<string>());
        Assert.Equal("renamed.jpg", (await media.FindAsync(second["id"]!.GetValue<string>()))!.FileName);
    }

    [Fact]
    public async Task UploadingTheSameBytesUnderTheSameName_GivesTheSameImage()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var bytes = TestData.Jpeg(2048);

        var first = await TestData.UploadAsync(op, bytes, "同一张.jpg");
        var again = await TestData.UploadAsync(op, bytes, "同一张.jpg");

        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
    }

    /// <summary>
    /// An item for 100 WeChat accounts uploads the same cover to each: the publishing steps read a stored image from Redis
    /// once and keep it for a while, which is safe because a stored image never changes. Shown here by taking the image out
    /// of Redis after the first read: the next read is answered from what was kept, while an image never read is missing.
    /// </summary>
    [Fact]
    public async Task ThePublishingSteps_ReadAnImageFromTheStoreOnce_AndNeverCacheAMissingOne()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var bytes = TestData.Jpeg(2048);
        var kept = (await TestData.UploadAsync(op, bytes, "封面.jpg"))["id"]!.GetValue<string>();
        var neverRead = (await TestData.UploadAsync(op, TestData.Jpeg(2048), "另一张.jpg"))["id"]!.GetValue<string>();
        var media = host.Services.GetRequiredService<MediaGateway.Publishing.PublicationMedia>();
        var keys = host.Services.GetRequiredService<MediaGateway.Storage.RedisKeys>();

        var first = await media.ReadAsync(kept);
        Assert.Equal(bytes, first.Content.ToArray());
        await host.Multiplexer.GetDatabase().KeyDeleteAsync([keys.Media(kept), keys.Media(neverRead)]);

        var again = await media.ReadAsync(kept);
        Assert.Equal(bytes, again.Content.ToArray());
        Assert.Equal("封面.jpg", again.FileName);
        await Assert.ThrowsAsync<MediaGateway.Publishing.MediaMissingException>(() => media.ReadAsync(neverRead));
        await Assert.ThrowsAsync<MediaGateway.Publishing.MediaMissingException>(() => media.ReadAsync(neverRead)); // not kept as missing
    }
}
