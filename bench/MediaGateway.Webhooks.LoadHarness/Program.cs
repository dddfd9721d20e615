using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Hosting;
using MediaGateway.Sandbox;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using Microsoft.Extensions.DependencyInjection;

// Load harness for webhook delivery: the real gateway host (fan-out with the audit chain, the sender, the SSRF-checked
// HTTP client) on a real redis-server (AOF everysec), delivering to the sandbox receiver on loopback, which verifies
// every signature with the StandardWebhooks library. Events are written to the event stream as the emitters write
// them; each reaches every load subscription. Prints deliveries per second from the first event to the last delivery.

var events = Arg("--events", 2000);
var subscriptionCount = Arg("--subscriptions", 10);
var root = FindRoot();
var data = Path.Combine(Path.GetTempPath(), "mg-webhook-load-" + Guid.NewGuid().ToString("N")[..8]);
var secret = WebhookSigner.NewSecret();
Environment.SetEnvironmentVariable("MG_LOAD_WEBHOOK_SECRET", secret);

await using var redis = await EmbeddedRedis.StartAsync(data);
var receiverOptions = new WebhookReceiverOptions();
var names = Enumerable.Range(0, subscriptionCount).Select(i => $"load-{i}").ToList();
foreach (var name in names) receiverOptions.Secrets[name] = secret;
await using var receiver = await WebhookReceiver.StartAsync(receiverOptions);

List<string> hostArgs =
[
    "--environment", "Demo", "--urls", "http://127.0.0.1:0", "--Sandbox:Enabled=false",
    $"--Redis:ConnectionString={redis.ConnectionString}",
    "--Platforms:WeChat:BaseUrl=http://127.0.0.1:9/", "--Platforms:Weibo:BaseUrl=http://127.0.0.1:9/", "--Platforms:Weibo:WebUrl=http://127.0.0.1:9/",
    "--Platforms:Weibo:TokenCheckMinutes=1440",
    "--Webhooks:Subscriptions:city-info-office-main:Enabled=false",
    "--Logging:LogLevel:Default=Warning",
];
foreach (var name in names)
{
    hostArgs.Add($"--Webhooks:Subscriptions:{name}:Department=city-info-office");
    hostArgs.Add($"--Webhooks:Subscriptions:{name}:Url={receiver.UrlFor(name)}");
    hostArgs.Add($"--Webhooks:Subscriptions:{name}:Events:0=account.changed");
    hostArgs.Add($"--Webhooks:Subscriptions:{name}:SecretRef=env:MG_LOAD_WEBHOOK_SECRET");
}

await using var app = GatewayHost.Build([.. hostArgs], new ConfigDirectory(Path.Combine(root, "config")));
await app.StartAsync();
var services = app.Services;
var account = services.GetRequiredService<AccountRegistry>().Find("wx-city")!;
var factory = services.GetRequiredService<EventFactory>();
var keys = services.GetRequiredService<RedisKeys>();
var db = services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase();
var expected = (long)events * subscriptionCount;

Console.WriteLine($"{events} events × {subscriptionCount} subscriptions = {expected} deliveries; {Environment.ProcessorCount} cores, load {Load()}");
var server = services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetServers()[0];
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime + await RedisCpuAsync();
var watch = Stopwatch.StartNew();
for (var written = 0; written < events; written += 100)
{
    var tx = db.CreateTransaction();
    EventStream.Append(tx, keys, Enumerable.Range(0, Math.Min(100, events - written))
        .Select(_ => factory.ForAccount(EventTypes.AccountChanged, account, new JsonObject { ["change"] = "changed", ["reason"] = "load" })));
    await tx.ExecuteAsync();
}

var writtenAt = watch.Elapsed;
long Received() => names.Sum(n => (long)receiver.Received(n).Count);
var lastReport = TimeSpan.Zero;
TimeSpan? tenth = null, ninetieth = null;
while (Received() < expected)
{
    await Task.Delay(100);
    var now = Received();
    if (tenth is null && now >= expected / 10) tenth = watch.Elapsed;
    if (ninetieth is null && now >= expected * 9 / 10) ninetieth = watch.Elapsed;
    if (watch.Elapsed - lastReport > TimeSpan.FromSeconds(5))
    {
        lastReport = watch.Elapsed;
        Console.WriteLine($"  {watch.Elapsed.TotalSeconds,6:0.0} s: {Received(),8} delivered, {await db.StreamLengthAsync(keys.EventStream),6} events not fanned out, {await db.SortedSetLengthAsync(keys.WebhookDue),6} deliveries due, load {Load()}");
    }

    if (watch.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"only {Received()} of {expected} delivered in 10 minutes");
}

var elapsed = watch.Elapsed;
var cpu = Process.GetCurrentProcess().TotalProcessorTime + await RedisCpuAsync() - cpuBefore;
var valid = names.Sum(n => receiver.Received(n).Count(r => r.SignatureValid));
var duplicates = names.Sum(n => receiver.Received(n).Count - receiver.Received(n).Select(r => r.WebhookId).Distinct().Count());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"events written in {writtenAt.TotalSeconds:0.00} s; {expected} deliveries in {elapsed.TotalSeconds:0.00} s = {expected / elapsed.TotalSeconds:0} deliveries/s"));
if (tenth is { } from && ninetieth is { } to && to > from)
{
    // Steady state: start-up, JIT and the tail excluded.
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"steady state (10 % → 90 % delivered): {expected * 0.8 / (to - from).TotalSeconds:0} deliveries/s"));
}

Console.WriteLine($"signatures valid: {valid}/{Received()}, duplicates: {duplicates}, load after: {Load()}");
// CPU used by everything in the run (gateway, receiver and harness in this process, plus redis-server): what the
// deliveries cost whatever else runs on the machine. Two dedicated cores would give about twice this rate.
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"CPU time: {cpu.TotalSeconds:0.0} s = {expected / cpu.TotalSeconds:0} deliveries per CPU-second (≈ {2 * expected / cpu.TotalSeconds:0}/s on 2 dedicated cores)"));
await app.StopAsync();
try
{
    Directory.Delete(data, recursive: true);
}
catch (IOException)
{
}

return 0;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

async Task<TimeSpan> RedisCpuAsync()
{
    var info = (await server.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
    return TimeSpan.FromSeconds(double.Parse(info["used_cpu_sys"], CultureInfo.InvariantCulture) + double.Parse(info["used_cpu_user"], CultureInfo.InvariantCulture));
}

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "MediaGateway.sln"))) return dir.FullName;
    }

    throw new InvalidOperationException("MediaGateway.sln not found");
}
