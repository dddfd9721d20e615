using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Review;

/// <summary>Items whose publications ended differently, made through the API against the sandboxes (issue 18).</summary>
internal static class StatusScenarios
{
    /// <summary>An item published on wx-city and wb-city, then retracted on both (sign-off approved, posts taken down).</summary>
    public static async Task<(string Id, JsonObject Item)> RetractedAsync(GatewayTestHost host, string prefix)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique(prefix))))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var published = await TestData.WaitForFinalPublicationsAsync(op, id, TimeSpan.FromSeconds(60));
        Assert.All(published["publications"]!.AsArray(), p => Assert.Equal("published", p!["state"]!.GetValue<string>()));
        (await op.PostAsJsonAsync($"api/content/{id}/retraction", new { reason = "数据有误，需更正" })).EnsureSuccessStatusCode();
        using var reviewer3 = host.Client(GatewayTestHost.Reviewer3Token);
        (await reviewer3.PostAsJsonAsync($"api/content/{id}/retraction/decision", new { decision = "approve", comment = "同意撤回" })).EnsureSuccessStatusCode();
        JsonObject item = [];
        await TestData.Eventually(async () =>
        {
            item = await TestData.GetAsync(op, id);
            return item["publications"]!.AsArray().All(p => p!["retraction"]?.GetValue<string>() == "retracted");
        }, "both posts taken down", TimeSpan.FromSeconds(60));
        return (id, item);
    }

    /// <summary>An item for wx-city and wb-city whose Weibo post fails for good (expired token, 21327) while the WeChat one is published.</summary>
    public static async Task<(string Id, JsonObject Item)> PartlyPublishedAsync(GatewayTestHost host, string prefix)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 21327, HttpStatus = 401, Times = 1 });
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique(prefix))))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var item = await TestData.WaitForFinalPublicationsAsync(op, id, TimeSpan.FromSeconds(60));
        Assert.Equal("published", TestData.Publication(item, "wx-city")["state"]!.GetValue<string>());
        Assert.Equal("failed", TestData.Publication(item, "wb-city")["state"]!.GetValue<string>());
        return (id, item);
    }

    /// <summary>A Weibo-only item whose first send meets a transient error (10001) and is published on the retry.</summary>
    public static async Task<(string Id, JsonObject Item)> PublishedAfterARetryAsync(GatewayTestHost host, string prefix)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        host.Weibo.Faults.Add(new SandboxFault { Path = "/2/statuses/share.json", WeiboErrorCode = 10001, HttpStatus = 400, Times = 1 });
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, TestData.Unique(prefix), ["wb-city"])))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var item = await TestData.WaitForFinalPublicationsAsync(op, id, TimeSpan.FromSeconds(60));
        var pub = TestData.Publication(item, "wb-city");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        Assert.Contains(pub["history"]!.AsArray(), h => h!["note"]!.GetValue<string>().Contains("10001", StringComparison.Ordinal));
        return (id, item);
    }

    public static JsonObject ListRow(JsonArray list, string id) => list.Single(i => i!["id"]!.GetValue<string>() == id)!.AsObject();
}

/// <summary>
/// Issue 18: states that tell the truth, the same in the item view, the list and the sign-off sheet. A retracted post
/// is "retracted" (no link), an item with one failed and one published publication is "partly published", never
/// "published".
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class StatusTruthTests(GatewayTestHost host)
{
    [Fact]
    public async Task ARetractedPublication_ReadsRetracted_InTheItemView_TheList_AndTheSignOffSheet()
    {
        var (id, item) = await StatusScenarios.RetractedAsync(host, "撤回状态");
        foreach (var pub in item["publications"]!.AsArray())
        {
            Assert.Equal("retracted", pub!["status"]?.GetValue<string>());
            Assert.Equal("已撤回", pub["statusLabel"]?.GetValue<string>());
            Assert.False(pub["live"]?.GetValue<bool>() ?? true);
            Assert.NotNull(pub["retractedAt"]);
        }

        Assert.Equal("retracted", item["publicationStatus"]?["status"]?.GetValue<string>());
        Assert.Equal("已撤回", item["publicationStatus"]?["label"]?.GetValue<string>());

        using var op = host.Client(GatewayTestHost.OperatorToken);
        var row = StatusScenarios.ListRow((await op.GetFromJsonAsync<JsonArray>("api/content?take=200"))!, id);
        Assert.Equal("retracted", row["publicationStatus"]?["status"]?.GetValue<string>());

        var sheet = await op.GetStringAsync($"api/content/{id}/signoff-sheet");
        foreach (var pub in item["publications"]!.AsArray())
        {
            var account = pub!["accountId"]!.GetValue<string>();
            Assert.Contains($"data-publication=\"{account}\" data-status=\"retracted\"", sheet, StringComparison.Ordinal);
            Assert.DoesNotContain($"href=\"{pub["url"]!.GetValue<string>()}\"", sheet, StringComparison.Ordinal);
        }

        Assert.Contains("已撤回", sheet, StringComparison.Ordinal);
        Assert.DoesNotContain(">Published<", sheet, StringComparison.Ordinal);

        // The department's webhook says so too: state stays the machine's, status tells what it means.
        await TestData.Eventually(() => host.Receiver.Received(GatewayTestHost.ReceiverName).Count(r =>
                r.Body.Contains(id, StringComparison.Ordinal) && r.Body.Contains("\"publication.retracted\"", StringComparison.Ordinal)
                && r.Body.Contains("\"status\":\"retracted\"", StringComparison.Ordinal) && r.Body.Contains("\"live\":false", StringComparison.Ordinal)) == 2,
            "both retraction events carry status retracted");
    }

    [Fact]
    public async Task OneFailedAndOnePublished_RollsUpAsPartlyPublished_NotAsPublished()
    {
        var (id, item) = await StatusScenarios.PartlyPublishedAsync(host, "部分发布");
        Assert.Equal("published", TestData.Publication(item, "wx-city")["status"]?.GetValue<string>());
        Assert.True(TestData.Publication(item, "wx-city")["live"]?.GetValue<bool>());
        Assert.Equal("failed", TestData.Publication(item, "wb-city")["status"]?.GetValue<string>());
        var rollup = item["publicationStatus"];
        Assert.Equal("partlyPublished", rollup?["status"]?.GetValue<string>());
        Assert.Equal("部分发布（1/2） · 发布失败 1", rollup?["label"]?.GetValue<string>());
        Assert.Equal(1, rollup?["counts"]?["published"]?.GetValue<int>());
        Assert.Equal(1, rollup?["counts"]?["failed"]?.GetValue<int>());

        using var op = host.Client(GatewayTestHost.OperatorToken);
        var row = StatusScenarios.ListRow((await op.GetFromJsonAsync<JsonArray>("api/content?take=200"))!, id);
        Assert.Equal("partlyPublished", row["publicationStatus"]?["status"]?.GetValue<string>());
        Assert.Contains(row["publicationStatus"]!["accounts"]!.AsArray(),
            a => a!["accountId"]!.GetValue<string>() == "wb-city" && a["status"]!.GetValue<string>() == "failed");

        var sheet = await op.GetStringAsync($"api/content/{id}/signoff-sheet");
        Assert.Contains("data-publication=\"wb-city\" data-status=\"failed\"", sheet, StringComparison.Ordinal);
        Assert.Contains("data-publication=\"wx-city\" data-status=\"published\"", sheet, StringComparison.Ordinal);
        Assert.Contains("部分发布（1/2）", sheet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APublicationPublishedOnARetry_ReadsPublished_WithoutTheEarlierAttemptsError()
    {
        var (id, item) = await StatusScenarios.PublishedAfterARetryAsync(host, "重试后发布");
        var pub = TestData.Publication(item, "wb-city");
        Assert.Equal("published", pub["status"]?.GetValue<string>());
        Assert.Null(pub["statusDetail"]);
        Assert.Equal("published", item["publicationStatus"]?["status"]?.GetValue<string>());

        using var op = host.Client(GatewayTestHost.OperatorToken);
        var sheet = await op.GetStringAsync($"api/content/{id}/signoff-sheet");
        Assert.Contains("data-publication=\"wb-city\" data-status=\"published\"", sheet, StringComparison.Ordinal);
        if (pub["error"]?["explanation"]?.GetValue<string>() is { } stale)
        {
            Assert.DoesNotContain(stale, sheet, StringComparison.Ordinal);
        }
    }
}
