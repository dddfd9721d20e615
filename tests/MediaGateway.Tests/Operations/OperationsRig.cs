using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Operations;

/// <summary>
/// Sandboxes on loopback (WeChat with four apps, Weibo, the webhook receiver) and the command line that points a
/// gateway process at them and at a given Redis, with the demo organisation plus two extra WeChat accounts
/// (wx-ops1, wx-ops2) so an item fans out to four accounts.
/// </summary>
public sealed class OperationsRig : IAsyncDisposable
{
    public static readonly string[] FourAccounts = ["wx-city", "wb-city", "wx-ops1", "wx-ops2"];
    private static readonly Dictionary<string, string> ExtraAccounts = new() { ["wx-ops1"] = "wx5d3c0demo0011", ["wx-ops2"] = "wx5d3c0demo0012" };

    public WeChatSandbox WeChat { get; private set; } = null!;
    public WeiboSandbox Weibo { get; private set; } = null!;
    public WebhookReceiver Receiver { get; private set; } = null!;

    public static async Task<OperationsRig> StartAsync()
    {
        var rig = new OperationsRig();
        var wechat = new WeChatSandboxOptions { PublishDelay = TimeSpan.FromMilliseconds(200) };
        wechat.Apps.Add(new WeChatSandboxApp(GatewayTestHost.CityAppId, RepoPaths.DemoSecret("wx-city.appsecret"), "subscription"));
        wechat.Apps.Add(new WeChatSandboxApp("wx5d3c0demo0002", RepoPaths.DemoSecret("wx-health.appsecret"), "service"));
        foreach (var appId in ExtraAccounts.Values) wechat.Apps.Add(new WeChatSandboxApp(appId, RepoPaths.DemoSecret("wx-city.appsecret"), "subscription"));
        rig.WeChat = await WeChatSandbox.StartAsync(wechat);
        rig.Weibo = await WeiboSandbox.StartAsync(new WeiboSandboxOptions
        {
            PostsPerUserPerHour = 10_000, CallsPerUserPerHour = 100_000, CallsPerIpPerHour = 100_000,
            Apps = { new WeiboSandboxApp("app-wb-city", "www.example.gov.cn") },
            Users = { new WeiboSandboxUser(RepoPaths.DemoSecret("wb-city.token"), "7000000001", "示例市发布", "app-wb-city", DateTimeOffset.UtcNow.AddDays(30)) },
        });
        rig.Receiver = await WebhookReceiver.StartAsync(new WebhookReceiverOptions
        {
            Secrets = { [GatewayTestHost.ReceiverName] = RepoPaths.DemoSecret("webhook-city-info-office.secret") },
        });
        return rig;
    }

    /// <summary>Everything a gateway process needs besides its Redis; "--Key=value" extras come last.</summary>
    public IEnumerable<string> Args(string redisConnectionString, params string[] extra)
    {
        string[] args =
        [
            "--config-dir", RepoPaths.Config,
            "--Redis:Embedded:Enabled=false",
            "--Sandbox:Enabled=false",
            $"--Redis:ConnectionString={redisConnectionString}",
            $"--Platforms:WeChat:BaseUrl={WeChat.BaseAddress}",
            $"--Platforms:Weibo:BaseUrl={Weibo.BaseAddress}",
            $"--Platforms:Weibo:WebUrl={Weibo.BaseAddress}",
            "--Platforms:WeChat:TimeoutSeconds=10",
            "--Platforms:Weibo:TimeoutSeconds=10",
            $"--Webhooks:Subscriptions:city-info-office-main:Url={Receiver.UrlFor(GatewayTestHost.ReceiverName)}",
            "--Publishing:LeaseSeconds=15",
            "--Publishing:RetryBaseSeconds=1",
            "--Publishing:OutcomePollMilliseconds=150",
            "--Publishing:IdlePollMaxMilliseconds=100",
            "--Publishing:ReconcileWindowSeconds=6",
            "--Publishing:WeiboPostsPerHour=100000", // the load tests post far more than 30 an hour to wb-city (the sandbox allows it too)
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            .. ExtraAccounts.SelectMany(a => Account(a.Key, a.Value)),
        ];
        return args.Concat(extra);
    }

    private static IEnumerable<string> Account(string id, string appId) => new Dictionary<string, string>
    {
        ["Platform"] = "WeChat", ["Kind"] = "WeChatSubscription", ["Name"] = $"运维测试 {id}", ["AppId"] = appId,
        ["AppSecretRef"] = "file:demo/secrets/wx-city.appsecret", ["AllowedLinkDomains:0"] = "www.example.gov.cn",
        ["Ownership:OpeningUnit"] = "city-gov-office", ["Ownership:SupervisingDepartment"] = "city-info-office",
        ["Ownership:OperatingTeam"] = "city-news-team", ["Ownership:ResponsiblePerson:Name"] = "王敏",
        ["Ownership:ResponsiblePerson:Contact"] = "0000-12345678", ["Ownership:FilingNumber"] = $"示政务新媒备〔2025〕{appId[^3..]}号",
    }.Select(s => $"--Accounts:{id}:{s.Key}={s.Value}");

    /// <summary>Submits an item for <paramref name="targets"/> and takes it through the three review levels; returns its id.</summary>
    public static async Task<string> SubmitAndApproveAsync(Uri gateway, string title, string[] targets)
    {
        using var op = Client(gateway, GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title, targets)))["id"]!.GetValue<string>();
        foreach (var token in new[] { GatewayTestHost.Reviewer1Token, GatewayTestHost.Reviewer2Token, GatewayTestHost.Reviewer3Token })
        {
            using var reviewer = Client(gateway, token);
            using var response = await TestData.ReviewAsync(reviewer, id);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        return id;
    }

    /// <summary>The publications of an item as the API shows them.</summary>
    public static async Task<JsonArray> PublicationsAsync(Uri gateway, string id)
    {
        using var op = Client(gateway, GatewayTestHost.OperatorToken);
        return (await op.GetFromJsonAsync<JsonObject>($"api/content/{id}"))!["publications"]!.AsArray();
    }

    /// <summary>How many posts with this title exist on the platforms, per account.</summary>
    public IReadOnlyDictionary<string, int> Effects(string title)
    {
        var effects = ExtraAccounts.ToDictionary(a => a.Key, a => WeChat.PublishedArticles.Count(x => x.AppId == a.Value && x.Title == title));
        effects["wx-city"] = WeChat.PublishedArticles.Count(x => x.AppId == GatewayTestHost.CityAppId && x.Title == title);
        effects["wb-city"] = Weibo.Statuses.Count(s => s.Text.Contains(title, StringComparison.Ordinal));
        return effects;
    }

    public static HttpClient Client(Uri gateway, string? token)
    {
        var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<HttpStatusCode> StatusAsync(Uri gateway, string path)
    {
        using var client = Client(gateway, null);
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await Weibo.DisposeAsync();
        await WeChat.DisposeAsync();
    }
}
