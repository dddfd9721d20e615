using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Hosting;
using MediaGateway.Sandbox;
using MediaGateway.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.LoadHarness;

/// <summary>
/// Everything on loopback: a redis-server of its own (AOF everysec, noeviction), the WeChat and Weibo sandboxes with
/// <c>accounts</c> accounts (half each), and the gateway in this process, built as Program builds it.
/// </summary>
internal sealed class HarnessWorld : IAsyncDisposable
{
    public const string Operator = "mgdemo-operator-li";
    public static readonly string[] Reviewers = ["mgdemo-reviewer1-zhao", "mgdemo-reviewer2-qian", "mgdemo-reviewer3-sun"];

    private readonly string _data = Path.Combine(Path.GetTempPath(), "mg-harness-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private System.Diagnostics.Process? _gateway;

    public EmbeddedRedis Redis { get; private set; } = null!;
    public WeChatSandbox WeChat { get; private set; } = null!;
    public WeiboSandbox Weibo { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public IConnectionMultiplexer Multiplexer { get; private set; } = null!;
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the gateway runs in its own process (--gateway-process)");

    /// <summary>The gateway's own process when it runs separately (--gateway-process); null when it runs in this one.</summary>
    public System.Diagnostics.Process? GatewayProcess => _gateway;
    public List<string> WeChatAccounts { get; } = [];
    public List<string> WeiboAccounts { get; } = [];
    public IEnumerable<string> AllAccounts => WeChatAccounts.Concat(WeiboAccounts);
    public List<string> AppIds { get; } = [];
    public List<string> Uids { get; } = [];
    /// <summary>The sandbox credentials behind the accounts (the WeChat apps share one secret), for the <c>floor</c> scenario's own clients.</summary>
    public string WeChatSecret { get; private set; } = "";
    public List<string> WeiboTokens { get; } = [];
    public string Cover { get; private set; } = "";

    /// <param name="gateway">False for Redis and the sandboxes alone (the <c>floor</c> scenario): no gateway, no cover uploaded.</param>
    /// <param name="callbacks">
    /// True: every WeChat account has its callback URL set (plain mode), so the sandbox pushes PUBLISHJOBFINISH to the gateway
    /// as WeChat does for an account configured that way, and the gateway asks for the outcome at once (decision 12).
    /// </param>
    public static async Task<HarnessWorld> StartAsync(string repo, int accounts, TimeSpan latency, IEnumerable<string> settings, bool separateProcess = false, bool gateway = true,
        bool callbacks = false)
    {
        const string callbackToken = "benchcallbacktoken";
        Environment.SetEnvironmentVariable("MG_BENCH_WX_CALLBACK_TOKEN", callbackToken);
        var world = new HarnessWorld();
        world.Redis = await EmbeddedRedis.StartAsync(Path.Combine(world._data, "redis"));
        var secret = File.ReadAllText(Path.Combine(repo, "config", "demo", "secrets", "wx-city.appsecret")).Trim();
        world.WeChatSecret = secret;
        var weChat = new WeChatSandboxOptions { PublishDelay = TimeSpan.Zero };
        var weibo = new WeiboSandboxOptions { PostsPerUserPerHour = int.MaxValue, CallsPerUserPerHour = int.MaxValue, CallsPerIpPerHour = int.MaxValue };
        weibo.Apps.Add(new WeiboSandboxApp("app-bench", "www.example.gov.cn"));
        var args = new List<string>();
        for (var i = 0; i < accounts; i++)
        {
            var weChatAccount = i % 2 == 0;
            var id = weChatAccount ? $"wx-b{i:000}" : $"wb-b{i:000}";
            var common = new Dictionary<string, string>
            {
                ["Name"] = $"压测 {id}", ["Ownership:OpeningUnit"] = "city-gov-office", ["Ownership:SupervisingDepartment"] = "city-info-office",
                ["Ownership:OperatingTeam"] = "city-news-team", ["Ownership:ResponsiblePerson:Name"] = "王敏",
                ["Ownership:ResponsiblePerson:Contact"] = "0000-12345678", ["Ownership:FilingNumber"] = $"示政务新媒备〔2025〕B{i:000}号",
            };
            if (weChatAccount)
            {
                var appId = $"wxbench{i:00000000}";
                weChat.Apps.Add(new WeChatSandboxApp(appId, secret, "subscription"));
                common["Platform"] = "WeChat"; common["Kind"] = "WeChatSubscription"; common["AppId"] = appId;
                common["AppSecretRef"] = "file:demo/secrets/wx-city.appsecret"; common["AllowedLinkDomains:0"] = "www.example.gov.cn";
                if (callbacks) common["CallbackTokenRef"] = "env:MG_BENCH_WX_CALLBACK_TOKEN";
                world.WeChatAccounts.Add(id);
                world.AppIds.Add(appId);
            }
            else
            {
                var uid = (7_100_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var token = "bench" + Guid.NewGuid().ToString("N");
                Environment.SetEnvironmentVariable($"MG_BENCH_TOKEN_{uid}", token);
                weibo.Users.Add(new WeiboSandboxUser(token, uid, $"压测 {uid}", "app-bench", DateTimeOffset.UtcNow.AddDays(30)));
                common["Platform"] = "Weibo"; common["Kind"] = "Weibo"; common["Uid"] = uid; common["SafeDomain"] = "www.example.gov.cn";
                common["AccessTokenRef"] = $"env:MG_BENCH_TOKEN_{uid}";
                world.WeiboAccounts.Add(id);
                world.Uids.Add(uid);
                world.WeiboTokens.Add(token);
            }

            args.AddRange(common.Select(kv => $"--Accounts:{id}:{kv.Key}={kv.Value}"));
        }

        world.WeChat = await WeChatSandbox.StartAsync(weChat);
        world.Weibo = await WeiboSandbox.StartAsync(weibo);
        world.WeChat.Faults.Latency = latency;
        world.Weibo.Faults.Latency = latency;

        string[] gatewayArgs =
        [
            "--environment", "Demo", "--urls", "http://127.0.0.1:0", "--Sandbox:Enabled=false", "--Redis:Embedded:Enabled=false", "--Publishing:WeiboPostsPerHour=100000",
            $"--Redis:ConnectionString={world.Redis.ConnectionString}",
            $"--Platforms:WeChat:BaseUrl={world.WeChat.BaseAddress}", $"--Platforms:Weibo:BaseUrl={world.Weibo.BaseAddress}",
            $"--Platforms:Weibo:WebUrl={world.Weibo.BaseAddress}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            // The demo department's receiver is not running: no subscription, so no deliveries compete for the cores.
            "--Webhooks:Subscriptions:city-info-office-main:Events:0=account.closed",
            .. args, .. settings,
        ];
        if (!gateway)
        {
            world.Multiplexer = await ConnectionMultiplexer.ConnectAsync(world.Redis.ConnectionString);
            return world;
        }

        if (separateProcess)
        {
            // The gateway exactly as deployed (its own process, server GC), so its memory and CPU are its own.
            (world._gateway, var port) = StartGatewayProcess(repo, gatewayArgs);
            world.BaseAddress = new Uri($"http://127.0.0.1:{port}/");
            world.Multiplexer = await ConnectionMultiplexer.ConnectAsync(world.Redis.ConnectionString);
            await world.WaitUntilReadyAsync();
        }
        else
        {
            world._app = GatewayHost.Build(gatewayArgs, new ConfigDirectory(Path.Combine(repo, "config")));
            await world._app.StartAsync();
            var address = world._app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            world.BaseAddress = new Uri(address + "/");
            world.Multiplexer = world._app.Services.GetRequiredService<IConnectionMultiplexer>();
        }

        if (callbacks)
        {
            foreach (var appId in world.AppIds) world.WeChat.SetCallback(appId, new Uri(world.BaseAddress, $"wechat/callback/{appId}"), callbackToken);
        }

        using var op = world.Client(Operator);
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(repo, "config", "demo", "cover.png"))), "file", "cover.png");
        using var uploaded = await op.PostAsync("api/media", form);
        uploaded.EnsureSuccessStatusCode();
        world.Cover = (await uploaded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        return world;
    }

    private static (System.Diagnostics.Process Process, int Port) StartGatewayProcess(string repo, string[] gatewayArgs)
    {
        var dll = Path.Combine(repo, "src", "MediaGateway", "bin", "Release", "net10.0", "MediaGateway.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the harness with -c Release first");
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = new System.Diagnostics.ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--config-dir");
        start.ArgumentList.Add(Path.Combine(repo, "config"));
        foreach (var arg in gatewayArgs.Select(a => a == "http://127.0.0.1:0" ? $"http://127.0.0.1:{port}" : a)) start.ArgumentList.Add(arg);
        var process = System.Diagnostics.Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("gateway: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, port);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_gateway!.HasExited) throw new InvalidOperationException($"the gateway process exited with {_gateway.ExitCode}");
            try
            {
                using var response = await http.GetAsync("healthz/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the gateway process did not become ready within 2 minutes");
    }

    public HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Submits an item for the accounts and approves it at the first <paramref name="levels"/> levels; returns its id.</summary>
    public async Task<string> SubmitAsync(string title, IEnumerable<string> targets, DateTimeOffset? publishAt, int levels)
    {
        using var op = Client(Operator);
        var article = new JsonObject
        {
            ["title"] = title, ["summary"] = "压力测试", ["body"] = $"{title}。正文第一段。\n\n第二段。",
            ["link"] = "https://www.example.gov.cn/zwgk/bench.html", ["coverMediaId"] = Cover,
            ["targets"] = new JsonArray(targets.Select(t => (JsonNode)t!).ToArray()), ["category"] = "News",
        };
        if (publishAt is { } at) article["publishAt"] = at.ToString("O");
        using var response = await op.PostAsJsonAsync("api/content", article);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"submit answered {(int)response.StatusCode}: {body}");
        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        for (var level = 0; level < levels; level++)
        {
            await ApproveAsync(id, level);
        }

        return id;
    }

    public async Task ApproveAsync(string id, int level)
    {
        using var reviewer = Client(Reviewers[level]);
        using var response = await reviewer.PostAsJsonAsync($"api/content/{id}/reviews", new { decision = "approve", secrecyAttested = true, comment = "同意" });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"approval {level + 1} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Posts the platforms made (WeChat articles published, Weibo statuses created) on the harness's accounts.</summary>
    public int Effects() => AppIds.Sum(WeChat.PublishEffectCount) + Uids.Sum(Weibo.PostEffectCount);

    public async Task<Dictionary<string, long>> CommandStatsAsync()
    {
        var server = Multiplexer.GetServer(Multiplexer.GetEndPoints()[0]);
        var info = await server.InfoAsync("commandstats");
        var stats = new Dictionary<string, long>();
        foreach (var pair in info.SelectMany(g => g))
        {
            // cmdstat_xadd: calls=1,usec=...
            var calls = pair.Value.Split(',')[0].Split('=')[1];
            stats[pair.Key.Replace("cmdstat_", "", StringComparison.Ordinal)] = long.Parse(calls, System.Globalization.CultureInfo.InvariantCulture);
        }

        return stats;
    }

    public async Task<(double UserSeconds, double SysSeconds, long UsedMemory)> RedisCpuAsync()
    {
        var server = Multiplexer.GetServer(Multiplexer.GetEndPoints()[0]);
        var cpu = (await server.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        var memory = (await server.InfoAsync("memory")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        return (double.Parse(cpu["used_cpu_user"], System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(cpu["used_cpu_sys"], System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(memory["used_memory"], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_gateway is not null)
        {
            if (!_gateway.HasExited) _gateway.Kill(entireProcessTree: true);
            await _gateway.WaitForExitAsync();
            _gateway.Dispose();
        }

        if (_app is null && Multiplexer is not null)
        {
            await Multiplexer.DisposeAsync();
        }

        if (Weibo is not null) await Weibo.DisposeAsync();
        if (WeChat is not null) await WeChat.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
