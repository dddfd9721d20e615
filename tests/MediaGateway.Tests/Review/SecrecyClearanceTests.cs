using System.Net;
using System.Net.Http.Json;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Review;

/// <summary>P6: a confidentiality marker blocks an item until the unit's secrecy reviewer clears it, with a reason.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SecrecyClearanceTests(GatewayTestHost host)
{
    private const string SecrecyToken = "mgdemo-secrecy-feng";

    [Fact]
    public async Task AMarkerThatMarksNothingClassified_IsCleared_AndTheItemIsPublished()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var title = TestData.Unique("保密审查");
        var article = TestData.Article(await TestData.UploadCoverAsync(op), title, body: "本通知不是内部资料，欢迎转发。");
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
        Assert.Equal("changesRequired", (await TestData.GetAsync(op, id))["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync($"api/content/{id}/secrecy-clearance", new { comment = "不是" })).StatusCode);
        using var secrecy = host.Client(SecrecyToken);
        Assert.Contains("clear-secrecy", (await TestData.GetAsync(secrecy, id))["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()));
        using var noComment = await secrecy.PostAsJsonAsync($"api/content/{id}/secrecy-clearance", new { comment = "" });
        Assert.NotNull((await TestData.ProblemAsync(noComment))["errors"]!["comment"]);
        (await secrecy.PostAsJsonAsync($"api/content/{id}/secrecy-clearance", new { comment = "“不是内部资料”为否定表述，无涉密内容" })).EnsureSuccessStatusCode();

        var item = await TestData.GetAsync(op, id);
        Assert.Equal("inReview", item["status"]!.GetValue<string>());
        Assert.Equal("sec-feng", item["secrecyClearance"]!["clearedBy"]!.GetValue<string>());

        // The check right before publishing finds the marker again, and honours the clearance.
        await TestData.ApproveAllLevelsAsync(host, id);
        var published = await TestData.WaitForFinalPublicationsAsync(op, id);
        Assert.All(published["publications"]!.AsArray(), p => Assert.Equal("published", p!["state"]!.GetValue<string>()));
        Assert.Single(host.WeChat.PublishedArticles, a => a.Title == title);
    }

    [Fact]
    public async Task ARevision_IsCheckedAfresh()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op), body: "本通知不是内部资料。");
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
        using var secrecy = host.Client(SecrecyToken);
        (await secrecy.PostAsJsonAsync($"api/content/{id}/secrecy-clearance", new { comment = "否定表述" })).EnsureSuccessStatusCode();

        article["body"] = "附件为内部资料，请勿外传。";
        (await op.PutAsJsonAsync($"api/content/{id}", article)).EnsureSuccessStatusCode();
        var item = await TestData.GetAsync(op, id);
        Assert.Equal("changesRequired", item["status"]!.GetValue<string>());
        Assert.Null(item["secrecyClearance"]);
    }
}
