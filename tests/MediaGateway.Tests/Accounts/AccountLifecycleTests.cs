using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Accounts;

/// <summary>P1/P2 through the API: administrators change, suspend, resume and close accounts; every change is recorded.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AccountLifecycleTests(GatewayTestHost host)
{
    private const string AdminToken = "mgdemo-admin-zhou";

    private async Task<HttpResponseMessage> SubmitToAsync(string account, Action<JsonObject>? change = null)
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var article = TestData.Article(await TestData.UploadCoverAsync(op), targets: [account]);
        change?.Invoke(article);
        return await op.PostAsJsonAsync("api/content", article);
    }

    [Fact]
    public async Task ASuspendedAccount_TakesNothing_AndStopsWhatWasScheduled_UntilResumed()
    {
        using var admin = host.Client(AdminToken);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("api/accounts/wx-life/suspend", new { reason = "x" })).StatusCode);
        Assert.NotNull((await TestData.ProblemAsync(await admin.PostAsJsonAsync("api/accounts/wx-life/suspend", new { reason = "" })))["errors"]!["reason"]);

        // Approved and scheduled before the suspension: it must not go out while suspended.
        using var scheduled = await SubmitToAsync("wx-life", a => a["publishAt"] = DateTimeOffset.UtcNow.AddSeconds(4).ToString("O"));
        var id = (await scheduled.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);

        var suspended = await admin.PostAsJsonAsync("api/accounts/wx-life/suspend", new { reason = "负责人变更，暂停发布" });
        Assert.Equal("Suspended", (await suspended.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("api/accounts/wx-life/suspend", new { reason = "again" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SubmitToAsync("wx-life")).StatusCode);

        // Issue 18: it does not fail for good; it waits, visibly, and nothing reaches the platform while the account is suspended.
        JsonObject pub = [];
        await TestData.Eventually(async () =>
        {
            pub = TestData.Publication(await TestData.GetAsync(op, id), "wx-life");
            return pub["waiting"] is JsonObject w && w["kind"]!.GetValue<string>() == "accountSuspended";
        }, "the publication waits for the account to be resumed", TimeSpan.FromSeconds(20));
        Assert.True(pub["state"]!.GetValue<string>() is "scheduled" or "queued", $"state {pub["state"]}");
        Assert.Null(pub["platformId"]);
        Assert.Contains("停用", pub["waiting"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        (await admin.PostAsJsonAsync("api/accounts/wx-life/resume", new { reason = "已完成交接" })).EnsureSuccessStatusCode();
        // Resumed: what was approved goes out.
        pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wx-life");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        Assert.Null(pub["waiting"]);
        Assert.Equal(HttpStatusCode.Created, (await SubmitToAsync("wx-life")).StatusCode);

        var history = (await admin.GetFromJsonAsync<JsonArray>("api/accounts/wx-life/history"))!;
        Assert.Equal(["opened", "suspended", "resumed"], history.Select(h => h!["change"]!.GetValue<string>()).ToArray());
        Assert.Equal("admin-zhou", history[1]!["by"]!.GetValue<string>());
        Assert.Equal("负责人变更，暂停发布", history[1]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task AChangedOwnershipRecord_IsKept_AndRegistered()
    {
        using var admin = host.Client(AdminToken);
        using var bad = await admin.PatchAsJsonAsync("api/accounts/wx-life", new { reason = "调整", ownership = new { operatingTeam = "no-such-team" } });
        Assert.NotNull((await TestData.ProblemAsync(bad))["errors"]!["ownership.operatingTeam"]);

        var ownership = new
        {
            openingUnit = "city-gov-office", supervisingDepartment = "city-info-office", operatingTeam = "city-news-team",
            responsiblePerson = new { name = "李强", contact = "0000-87654321" }, filingNumber = "示政务新媒备〔2025〕005号",
        };
        (await admin.PatchAsJsonAsync("api/accounts/wx-life", new { reason = "负责人调整", ownership })).EnsureSuccessStatusCode();
        var accounts = (await admin.GetFromJsonAsync<JsonArray>("api/accounts"))!;
        var life = accounts.Single(a => a!["id"]!.GetValue<string>() == "wx-life")!;
        Assert.Equal("李强", life["ownership"]!["responsiblePerson"]!["name"]!.GetValue<string>());

        var keys = host.Services.GetRequiredService<RedisKeys>();
        await TestData.Eventually(async () => (await host.Multiplexer.GetDatabase().StreamRangeAsync(keys.AuditStream))
            .Any(x => ((string?)x["body"])!.Contains("account.changed", StringComparison.Ordinal) && ((string?)x["body"])!.Contains("李强", StringComparison.Ordinal)),
            "the change in the audit chain");
    }

    [Fact]
    public async Task Closing_NeedsAPublishedClosureNotice_AndIsFinal()
    {
        using var admin = host.Client(AdminToken);
        using var noNotice = await admin.PostAsJsonAsync("api/accounts/wx-close/close", new { reason = "账号整合" });
        Assert.NotNull((await TestData.ProblemAsync(noNotice))["errors"]!["closureNoticeContentId"]);

        // An ordinary item does not count as the notice.
        using var ordinary = await SubmitToAsync("wx-close");
        var ordinaryId = (await ordinary.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Conflict,
            (await admin.PostAsJsonAsync("api/accounts/wx-close/close", new { reason = "账号整合", closureNoticeContentId = ordinaryId })).StatusCode);

        using var notice = await SubmitToAsync("wx-close", a => a["category"] = "ClosureNotice");
        var noticeId = (await notice.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, noticeId);
        using var op = host.Client(GatewayTestHost.OperatorToken);
        await TestData.WaitForFinalPublicationsAsync(op, noticeId);

        (await admin.PostAsJsonAsync("api/accounts/wx-close/close", new { reason = "账号整合", closureNoticeContentId = noticeId })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Conflict, (await SubmitToAsync("wx-close")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("api/accounts/wx-close/resume", new { reason = "x" })).StatusCode);
    }
}
