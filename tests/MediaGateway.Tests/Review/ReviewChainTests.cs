using System.Net;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Review;

/// <summary>P3–P6 through the HTTP API: order of levels, distinct people, secrecy attestation, no publication before the third approval.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ReviewChainTests(GatewayTestHost host)
{
    private async Task<string> SubmitAsync(string token = GatewayTestHost.OperatorToken, string? body = null)
    {
        using var op = host.Client(token);
        var cover = await TestData.UploadCoverAsync(op);
        return (await TestData.SubmitAsync(op, TestData.Article(cover, body: body)))["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task Level2_BeforeLevel1_IsConflict()
    {
        var id = await SubmitAsync();
        using var reviewer2 = host.Client(GatewayTestHost.Reviewer2Token);
        using var response = await TestData.ReviewAsync(reviewer2, id);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("awaits level 1", (await TestData.ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuthor_NeverReviewsTheirOwnItem_P5()
    {
        var id = await SubmitAsync(GatewayTestHost.OperatorReviewerToken);
        using var author = host.Client(GatewayTestHost.OperatorReviewerToken);
        using var response = await TestData.ReviewAsync(author, id);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("own item", (await TestData.ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var op = host.Client(GatewayTestHost.OperatorToken);
        Assert.Empty((await TestData.GetAsync(op, id))["reviews"]!.AsArray());
    }

    [Fact]
    public async Task Approving_WithoutSecrecyAttestation_Is400NamingTheField_P6()
    {
        var id = await SubmitAsync();
        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        using var response = await TestData.ReviewAsync(reviewer1, id, secrecyAttested: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await TestData.ProblemAsync(response))["errors"]!["secrecyAttested"]);
    }

    [Fact]
    public async Task NonReviewer_CannotDecide()
    {
        var id = await SubmitAsync();
        using var op = host.Client(GatewayTestHost.OperatorToken);
        using var response = await TestData.ReviewAsync(op, id);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TwoApprovals_PublishNothing_AndARejection_EndsTheItem_P3()
    {
        var id = await SubmitAsync();
        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        using var reviewer2 = host.Client(GatewayTestHost.Reviewer2Token);
        using var reviewer3 = host.Client(GatewayTestHost.Reviewer3Token);
        (await TestData.ReviewAsync(reviewer1, id)).EnsureSuccessStatusCode();
        (await TestData.ReviewAsync(reviewer2, id)).EnsureSuccessStatusCode();

        using var op = host.Client(GatewayTestHost.OperatorToken);
        var item = await TestData.GetAsync(op, id);
        Assert.Equal("inReview", item["status"]!.GetValue<string>());
        Assert.Empty(item["publications"]!.AsArray());

        using var noComment = await TestData.ReviewAsync(reviewer3, id, "reject", comment: null);
        Assert.Equal(HttpStatusCode.BadRequest, noComment.StatusCode);
        (await TestData.ReviewAsync(reviewer3, id, "reject", comment: "数据需核实")).EnsureSuccessStatusCode();
        item = await TestData.GetAsync(op, id);
        Assert.Equal("rejected", item["status"]!.GetValue<string>());
        Assert.Empty(item["publications"]!.AsArray());

        using var late = await TestData.ReviewAsync(reviewer3, id);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var title = item["title"]!.GetValue<string>();
        Assert.DoesNotContain(host.WeChat.PublishedArticles, a => a.Title == title);
        Assert.DoesNotContain(host.Weibo.Statuses, s => s.Text.Contains(title, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConfidentialityMarker_BlocksApproval_AndShowsWhereItIs()
    {
        const string body = "本文为内部资料，请勿转发。";
        var id = await SubmitAsync(body: body);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var item = await TestData.GetAsync(op, id);
        Assert.Equal("changesRequired", item["status"]!.GetValue<string>());
        var finding = Assert.Single(item["findings"]!.AsArray(), f => f!["ruleId"]!.GetValue<string>() == "confidentiality-marker")!;
        Assert.Equal("block", finding["severity"]!.GetValue<string>());
        Assert.Equal("body", finding["field"]!.GetValue<string>());
        Assert.Equal(body.IndexOf("内部资料", StringComparison.Ordinal), finding["start"]!.GetValue<int>());
        Assert.Equal("内部资料", finding["matched"]!.GetValue<string>());

        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        using var response = await TestData.ReviewAsync(reviewer1, id);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task AFlaggedExpression_IsShownToReviewers_ButDoesNotBlock()
    {
        var id = await SubmitAsync(body: "网传消息不实，以官方发布为准。");
        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        var item = await TestData.GetAsync(reviewer1, id);
        Assert.Equal("inReview", item["status"]!.GetValue<string>());
        Assert.Contains(item["findings"]!.AsArray(), f => f!["matched"]!.GetValue<string>() == "网传" && f["severity"]!.GetValue<string>() == "info");
    }
}
