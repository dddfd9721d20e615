using System.Net.Http.Headers;
using System.Net.Http.Json;
using MediaGateway.Hosting;
using MediaGateway.Sandbox;
using MediaGateway.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.Tests.Infrastructure;

/// <summary>
/// The real thing on loopback: a redis-server of its own (AOF on), the WeChat and Weibo sandboxes, the
/// demo department's webhook receiver, and the gateway host built exactly as Program builds it, with the
/// demo organisation from config/demo. Tests speak HTTP to all of them.
/// </summary>
public class GatewayTestHost : IAsyncLifetime
{
    public const string OperatorToken = "mgdemo-operator-li";
    public const string Reviewer1Token = "mgdemo-reviewer1-zhao";
    public const string Reviewer2Token = "mgdemo-reviewer2-qian";
    public const string Reviewer3Token = "mgdemo-reviewer3-sun";
    public const string DepartmentToken = "mgdemo-department-info";
    public const string HealthOperatorToken = "mgdemo-operator-health";
    /// <summary>A test-only user who is both operator and level-1 reviewer, to prove authors never review their own items.</summary>
    public const string OperatorReviewerToken = "test-operator-and-reviewer";
    public const string ReceiverName = "city-info-office";
    public const string CityAppId = "wx5d3c0demo0001";
    /// <summary>A test-only WeChat service account of the city team that publishes by mass send.</summary>
    public const string MassAppId = "wx5d3c0demo0003";
    /// <summary>A test-only account of the city team whose items need four review levels.</summary>
    public const string StrictAppId = "wx5d3c0demo0004";
    public const string Reviewer4Token = "test-reviewer-level4";

    /// <summary>wx-city's callback secrets, configured by environment reference as in production.</summary>
    public static readonly string CallbackToken = "cbtoken" + Guid.NewGuid().ToString("N")[..12];
    public static readonly string CallbackAesKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=');

    private readonly string[] _extraArgs;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mg-tests-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    internal EmbeddedRedis Redis { get; private set; } = null!;

    /// <summary>True when the tests run against a Redis Cluster (environment MG_TEST_REDIS=cluster).</summary>
    public static bool OnCluster => Environment.GetEnvironmentVariable("MG_TEST_REDIS") == "cluster";

    private RedisCluster? _cluster;

    /// <summary>How a gateway reaches this host's Redis (every node when it is a cluster).</summary>
    public string RedisConnectionString => _cluster?.ConnectionString ?? Redis.ConnectionString;
    public WeChatSandbox WeChat { get; private set; } = null!;
    public WeiboSandbox Weibo { get; private set; } = null!;
    public WebhookReceiver Receiver { get; private set; } = null!;
    /// <summary>The review groups' WeCom and DingTalk robots (config/demo/notifications.json, pointed here).</summary>
    public RobotSandbox Robots { get; private set; } = null!;
    public const string WeComRobotKey = "demo-wecom-key-cityinfo0001", DingTalkRobotToken = "demo-dingtalk-token-citygov0001";
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>How many content items the gateway has stored: a refused request must leave this unchanged.</summary>
    public Task<long> StoredItemsAsync() =>
        Multiplexer.GetDatabase().SortedSetLengthAsync(Services.GetRequiredService<RedisKeys>().ContentIndex);

    /// <summary>This gateway's own copy of the sensitive-expression list, which a test may change and reload.</summary>
    public string SensitiveListPath => Path.Combine(_dataDirectory, "sensitive-expressions.txt");
    public IConnectionMultiplexer Multiplexer { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;

    public GatewayTestHost() : this([])
    {
    }

    /// <summary>For fixtures that need other settings ("--Key=value", applied last).</summary>
    protected GatewayTestHost(string[] extraArgs) => _extraArgs = extraArgs;

    /// <summary>The clock of the gateway and both sandboxes: the system's, unless a fixture moves it.</summary>
    protected virtual TimeProvider Clock => TimeProvider.System;

    public async Task InitializeAsync()
    {
        if (OnCluster)
        {
            // MG_TEST_REDIS=cluster: the same tests against a three-primary Redis Cluster (scripts/test.sh runs the end-to-end ones so).
            _cluster = await RedisCluster.StartAsync(Path.Combine(_dataDirectory, "cluster"));
            Redis = _cluster.Nodes[0];
        }
        else
        {
            Redis = await EmbeddedRedis.StartAsync(_dataDirectory);
        }

        File.Copy(Path.Combine(RepoPaths.Config, "rules", "sensitive-expressions.txt"), SensitiveListPath);
        WeChat = await WeChatSandbox.StartAsync(new WeChatSandboxOptions
        {
            Apps =
            {
                new WeChatSandboxApp("wx5d3c0demo0001", RepoPaths.DemoSecret("wx-city.appsecret"), "subscription"),
                new WeChatSandboxApp("wx5d3c0demo0002", RepoPaths.DemoSecret("wx-health.appsecret"), "service"),
                new WeChatSandboxApp(MassAppId, RepoPaths.DemoSecret("wx-city.appsecret"), "service"),
                new WeChatSandboxApp(StrictAppId, RepoPaths.DemoSecret("wx-city.appsecret"), "subscription"),
                new WeChatSandboxApp("wx5d3c0demo0005", RepoPaths.DemoSecret("wx-city.appsecret"), "subscription"),
                new WeChatSandboxApp("wx5d3c0demo0006", RepoPaths.DemoSecret("wx-city.appsecret"), "subscription"),
                new WeChatSandboxApp("wx5d3c0demo0007", RepoPaths.DemoSecret("wx-city.appsecret"), "subscription"),
            },
            PublishDelay = TimeSpan.FromMilliseconds(200),
            TimeProvider = Clock,
        });
        Weibo = await WeiboSandbox.StartAsync(new WeiboSandboxOptions
        {
            Apps = { new WeiboSandboxApp("app-wb-city", "www.example.gov.cn") },
            Users = { new WeiboSandboxUser(RepoPaths.DemoSecret("wb-city.token"), "7000000001", "示例市发布", "app-wb-city", DateTimeOffset.UtcNow.AddDays(7)) },
            // Every test of this collection posts and looks up as wb-city within the same clock hour: the platform's hourly
            // limits (weibo.md) would hold the account part-way through the suite. Tests of the limits exhaust them on purpose.
            PostsPerUserPerHour = 100_000, CallsPerUserPerHour = 1_000_000, CallsPerIpPerHour = 10_000_000,
            TimeProvider = Clock,
        });
        Receiver = await WebhookReceiver.StartAsync(new WebhookReceiverOptions
        {
            Secrets = { [ReceiverName] = RepoPaths.DemoSecret("webhook-city-info-office.secret") },
        });

        var robots = new RobotSandboxOptions { TimeProvider = Clock };
        robots.WeComKeys.Add(WeComRobotKey);
        robots.DingTalkRobots[DingTalkRobotToken] = RepoPaths.DemoSecret("robot-city-gov-dingtalk.secret");
        Robots = await RobotSandbox.StartAsync(robots);
        // Per host: several hosts run at once in this process, and a restarted gateway resolves its robots' URLs again.
        var robotVariable = "MG_TEST_ROBOT_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(robotVariable + "_WECOM_URL", Robots.WeComUrl(WeComRobotKey).ToString());
        Environment.SetEnvironmentVariable(robotVariable + "_DINGTALK_URL", Robots.DingTalkUrl(DingTalkRobotToken).ToString());
        Environment.SetEnvironmentVariable("MG_TEST_WX_CALLBACK_TOKEN", CallbackToken);
        Environment.SetEnvironmentVariable("MG_TEST_WX_CALLBACK_AES", CallbackAesKey);
        string[] args =
        [
            "--environment", "Demo",
            "--urls", "http://127.0.0.1:0",
            "--Sandbox:Enabled=false",
            $"--Redis:ConnectionString={RedisConnectionString}",
            $"--Platforms:WeChat:BaseUrl={WeChat.BaseAddress}",
            $"--Platforms:Weibo:BaseUrl={Weibo.BaseAddress}",
            $"--Platforms:Weibo:WebUrl={Weibo.BaseAddress}",
            $"--Webhooks:Subscriptions:city-info-office-main:Url={Receiver.UrlFor(ReceiverName)}",
            $"--Notifications:Robots:city-info-review-wecom:UrlRef=env:{robotVariable}_WECOM_URL",
            $"--Notifications:Robots:city-gov-review-dingtalk:UrlRef=env:{robotVariable}_DINGTALK_URL",
            "--Publishing:RetryBaseSeconds=1",
            "--Publishing:WeiboPostsPerHour=100000", // one Weibo account takes every test's posts within the hour
            "--Publishing:OutcomePollMilliseconds=150",
            "--Publishing:IdlePollMaxMilliseconds=100",
            "--Publishing:ReconcileWindowSeconds=8",
            $"--Rules:SensitiveExpressionsFile={SensitiveListPath}",
            "--Platforms:Weibo:TokenWarningDays=10", // the sandbox token lives 7 days: near expiry from the start
            "--Accounts:wx-city:CallbackTokenRef=env:MG_TEST_WX_CALLBACK_TOKEN",
            "--Accounts:wx-city:EncodingAesKeyRef=env:MG_TEST_WX_CALLBACK_AES",
            "--Accounts:wx-mass:Platform=WeChat",
            "--Accounts:wx-mass:Kind=WeChatService",
            "--Accounts:wx-mass:Name=示例市服务号",
            $"--Accounts:wx-mass:AppId={MassAppId}",
            "--Accounts:wx-mass:AppSecretRef=file:demo/secrets/wx-city.appsecret",
            "--Accounts:wx-mass:PublishMode=MassSend",
            "--Accounts:wx-mass:AllowedLinkDomains:0=www.example.gov.cn",
            "--Accounts:wx-mass:Ownership:OpeningUnit=city-gov-office",
            "--Accounts:wx-mass:Ownership:SupervisingDepartment=city-info-office",
            "--Accounts:wx-mass:Ownership:OperatingTeam=city-news-team",
            "--Accounts:wx-mass:Ownership:ResponsiblePerson:Name=王敏",
            "--Accounts:wx-mass:Ownership:ResponsiblePerson:Contact=0000-12345678",
            "--Accounts:wx-mass:Ownership:FilingNumber=示政务新媒备〔2025〕003号",
            .. StrictAccount(),
            .. LifecycleAccount("wx-life", "wx5d3c0demo0005"),
            .. LifecycleAccount("wx-close", "wx5d3c0demo0006"),
            .. LifecycleAccount("wx-inputs", "wx5d3c0demo0007"),
            "--Users:test-op-rv:Name=测试编审",
            "--Users:test-op-rv:Department=city-news-team",
            "--Users:test-op-rv:Roles:0=Operator",
            "--Users:test-op-rv:Roles:1=Reviewer",
            "--Users:test-op-rv:ReviewLevel=1",
            $"--Users:test-op-rv:ApiKeySha256={Auth.UserDirectory.HashApiKey(OperatorReviewerToken)}",
            .. Enumerable.Range(0, 9).Select(i => $"--Webhooks:RetryScheduleSeconds:{i}=1"),
            .. _extraArgs,
        ];
        _args = args;
        _app = GatewayHost.Build(args, new ConfigDirectory(RepoPaths.Config), Clock);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address + "/");
        Multiplexer = _app.Services.GetRequiredService<IConnectionMultiplexer>();
        WeChat.SetCallback(CityAppId, new Uri(BaseAddress, $"wechat/callback/{CityAppId}"), CallbackToken, CallbackAesKey);
    }

    /// <summary>Test-only accounts that tests change (suspend, close, rename, pause) without disturbing other tests.</summary>
    private static IEnumerable<string> LifecycleAccount(string id, string appId) => new Dictionary<string, string>
    {
        ["Platform"] = "WeChat", ["Kind"] = "WeChatSubscription", ["Name"] = $"测试账号{appId[^4..]}", ["AppId"] = appId,
        ["AppSecretRef"] = "file:demo/secrets/wx-city.appsecret", ["AllowedLinkDomains:0"] = "www.example.gov.cn",
        ["Ownership:OpeningUnit"] = "city-gov-office", ["Ownership:SupervisingDepartment"] = "city-info-office",
        ["Ownership:OperatingTeam"] = "city-news-team", ["Ownership:ResponsiblePerson:Name"] = "王敏",
        ["Ownership:ResponsiblePerson:Contact"] = "0000-12345678", ["Ownership:FilingNumber"] = $"示政务新媒备〔2025〕{appId[^3..]}号",
    }.Select(s => $"--Accounts:{id}:{s.Key}={s.Value}");

    private static IEnumerable<string> StrictAccount()
    {
        var settings = new Dictionary<string, string>
        {
            ["Platform"] = "WeChat", ["Kind"] = "WeChatSubscription", ["Name"] = "示例市政策解读", ["AppId"] = StrictAppId,
            ["AppSecretRef"] = "file:demo/secrets/wx-city.appsecret", ["ReviewLevels"] = "4", ["AllowedLinkDomains:0"] = "www.example.gov.cn",
            ["Ownership:OpeningUnit"] = "city-gov-office", ["Ownership:SupervisingDepartment"] = "city-info-office",
            ["Ownership:OperatingTeam"] = "city-news-team", ["Ownership:ResponsiblePerson:Name"] = "王敏",
            ["Ownership:ResponsiblePerson:Contact"] = "0000-12345678", ["Ownership:FilingNumber"] = "示政务新媒备〔2025〕004号",
        };
        return settings.Select(s => $"--Accounts:wx-strict:{s.Key}={s.Value}").Concat(
        [
            "--Users:test-rv4:Name=测试四级审发", "--Users:test-rv4:Department=city-gov-office",
            "--Users:test-rv4:Roles:0=Reviewer", "--Users:test-rv4:ReviewLevel=4",
            $"--Users:test-rv4:ApiKeySha256={Auth.UserDirectory.HashApiKey(Reviewer4Token)}",
        ]);
    }

    /// <summary>Kills this host's redis-server (SIGKILL, as a crash) and waits until it is gone: an outage.</summary>
    public async Task KillRedisAsync()
    {
        if (_cluster is not null) throw new InvalidOperationException("an outage is staged on a single Redis, not a cluster");
        Redis.Kill();
        await Redis.DisposeAsync();
    }

    /// <summary>
    /// Stops redis-server with SIGSTOP: its connections stay open but nothing is answered, as with a hung server or a
    /// network that drops packets. <see cref="KillRedisAsync"/> ends it.
    /// </summary>
    public async Task FreezeRedisAsync()
    {
        if (_cluster is not null || Redis.ProcessId is not { } pid) throw new InvalidOperationException("an outage is staged on a Redis this host started");
        var (code, log) = await ShellCommand.RunAsync("kill", $"-STOP {pid}");
        if (code != 0) throw new InvalidOperationException($"kill -STOP {pid}: {log}");
    }

    /// <summary>Starts redis-server again on the same port and data (AOF), after <see cref="KillRedisAsync"/>.</summary>
    public async Task StartRedisAgainAsync() => Redis = await EmbeddedRedis.StartAsync(_dataDirectory, Redis.Port);

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private string[] _args = [];

    /// <summary>
    /// A second gateway in this process on the same Redis with the same configuration (a cluster of two); the caller
    /// stops and disposes it. Its address is the answer's second part.
    /// </summary>
    public async Task<(WebApplication App, Uri BaseAddress)> StartAnotherGatewayAsync()
    {
        var app = GatewayHost.Build(_args, new ConfigDirectory(RepoPaths.Config), Clock);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address + "/"));
    }

    /// <summary>
    /// Stops this host's gateway (gracefully, as a deployment restarts it), runs <paramref name="whileStopped"/>, and starts
    /// a new one with the same configuration on the same Redis and sandboxes. Its address changes: make clients afterwards.
    /// </summary>
    public async Task RestartGatewayAsync(Func<Task>? whileStopped = null)
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        _app = null;
        if (whileStopped is not null) await whileStopped();
        _app = GatewayHost.Build(_args, new ConfigDirectory(RepoPaths.Config), Clock);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address + "/");
        Multiplexer = _app.Services.GetRequiredService<IConnectionMultiplexer>();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await Receiver.DisposeAsync();
        await Robots.DisposeAsync();
        await Weibo.DisposeAsync();
        await WeChat.DisposeAsync();
        if (_cluster is not null) await _cluster.DisposeAsync();
        else await Redis.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayTestHost>
{
    public const string Name = "gateway";
}
