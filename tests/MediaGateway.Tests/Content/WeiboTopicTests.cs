using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Content;

/// <summary>
/// A gateway whose Weibo sandbox has an app granted #话题# through statuses/share (<see cref="WeiboSandboxApp.TopicsAllowed"/>,
/// not in weibo.md) and an account for it with <c>AllowTopics</c> (decision 45), beside wb-city on an app without.
/// The sandbox starts first: its address is part of the gateway's configuration.
/// </summary>
public sealed class TopicsTestHost : GatewayTestHost, IAsyncLifetime
{
    public const string TopicsAccount = "wb-topics";
    private const string TopicsToken = "2.00TopicsGrantedForTests";

    public TopicsTestHost() : this(StartSandbox())
    {
    }

    private TopicsTestHost(WeiboSandbox sandbox) : base(
    [
        $"--Platforms:Weibo:BaseUrl={sandbox.BaseAddress}",
        $"--Platforms:Weibo:WebUrl={sandbox.BaseAddress}",
        .. new Dictionary<string, string>
        {
            ["Platform"] = "Weibo", ["Kind"] = "Weibo", ["Name"] = "示例市话题号", ["Uid"] = "7000000009", ["SafeDomain"] = "www.example.gov.cn",
            ["AccessTokenRef"] = "env:MG_TEST_WB_TOPICS_TOKEN", ["AllowTopics"] = "true", ["AllowedLinkDomains:0"] = "www.example.gov.cn",
            ["Ownership:OpeningUnit"] = "city-gov-office", ["Ownership:SupervisingDepartment"] = "city-info-office",
            ["Ownership:OperatingTeam"] = "city-news-team", ["Ownership:ResponsiblePerson:Name"] = "王敏",
            ["Ownership:ResponsiblePerson:Contact"] = "0000-12345678", ["Ownership:FilingNumber"] = "示政务新媒备〔2025〕009号",
        }.Select(s => $"--Accounts:{TopicsAccount}:{s.Key}={s.Value}"),
    ]) => TopicsWeibo = sandbox;

    /// <summary>This gateway's Weibo: wb-city's app (no topics, as weibo.md says) and wb-topics' app (granted topics).</summary>
    public WeiboSandbox TopicsWeibo { get; }

    async Task IAsyncLifetime.InitializeAsync() => await InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await TopicsWeibo.DisposeAsync();
    }

    // The base class takes its arguments in its constructor, so the sandbox (whose port is ephemeral) starts here,
    // once per class and before any gateway thread runs: the only blocking wait the tests allow.
#pragma warning disable RS0030
    private static WeiboSandbox StartSandbox()
    {
        Environment.SetEnvironmentVariable("MG_TEST_WB_TOPICS_TOKEN", TopicsToken);
        var options = new WeiboSandboxOptions();
        options.Apps.Add(new WeiboSandboxApp("app-wb-city", "www.example.gov.cn"));
        options.Apps.Add(new WeiboSandboxApp("app-wb-topics", "www.example.gov.cn") { TopicsAllowed = true });
        options.Users.Add(new WeiboSandboxUser(RepoPaths.DemoSecret("wb-city.token"), "7000000001", "示例市发布", "app-wb-city", DateTimeOffset.UtcNow.AddDays(30)));
        options.Users.Add(new WeiboSandboxUser(TopicsToken, "7000000009", "示例市话题号", "app-wb-topics", DateTimeOffset.UtcNow.AddDays(30)));
        return Task.Run(() => WeiboSandbox.StartAsync(options)).GetAwaiter().GetResult();
    }
#pragma warning restore RS0030
}

/// <summary>Decision 45: #话题# goes out where the account allows it, and is refused at the door where it does not.</summary>
public sealed class WeiboTopicTests(TopicsTestHost host) : IClassFixture<TopicsTestHost>
{
    [Fact]
    public async Task ATopic_IsPostedForTheAccountThatAllowsIt_AndRefusedForOneThatDoesNot()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var text = TestData.Unique("#优化营商环境# 十条新举措今起实施");

        // Both accounts: wb-city may not post topics, so the whole item is refused, naming the field and the account.
        var both = TestData.Article(cover, targets: ["wb-city", TopicsTestHost.TopicsAccount]);
        both["weibo"] = new JsonObject { ["text"] = text };
        var before = await host.StoredItemsAsync();
        using (var refused = await op.PostAsJsonAsync("api/content", both))
        {
            var problem = await TestData.ProblemAsync(refused);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var message = problem["errors"]!["weibo.text"]![0]!.GetValue<string>();
            Assert.StartsWith("wb-city: ", message, StringComparison.Ordinal);
            Assert.Contains("#话题#", message, StringComparison.Ordinal);
            Assert.Equal(before, await host.StoredItemsAsync());
        }

        // The account that allows topics: the post goes out with the topic, as written.
        var allowed = TestData.Article(cover, targets: [TopicsTestHost.TopicsAccount]);
        allowed["weibo"] = new JsonObject { ["text"] = text };
        var id = (await TestData.SubmitAsync(op, allowed))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var item = await TestData.WaitForFinalPublicationsAsync(op, id);
        Assert.Equal("published", TestData.Publication(item, TopicsTestHost.TopicsAccount)["state"]!.GetValue<string>());
        var status = Assert.Single(host.TopicsWeibo.Statuses, s => s.Text.Contains(text, StringComparison.Ordinal));
        Assert.Equal($"{text} https://www.example.gov.cn/zwgk/test.html", status.Text);
        Assert.Equal("7000000009", status.Uid);
    }

    [Fact]
    public async Task TheAccountsList_SaysWhichAccountsMayPostTopics()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var accounts = (await op.GetFromJsonAsync<JsonArray>("api/accounts"))!;
        bool Allows(string id) => accounts.Single(a => a!["id"]!.GetValue<string>() == id)!["allowsTopics"]!.GetValue<bool>();
        Assert.True(Allows(TopicsTestHost.TopicsAccount));
        Assert.False(Allows("wb-city"));
    }
}
