using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.LoadHarness;

// Load harness of the publishing pipeline; see docs/benchmarks.md ("Publishing pipeline").
// dotnet run -c Release --project bench/MediaGateway.LoadHarness -- <scenario> [--publications N] [--workers W] [--runs R] [--accounts A]
//   streams     the bare Streams cycle (XADD; XREADGROUP + SET NX + XACK, 16 consumers)
//   throughput  N publications (items × accounts) approved ahead with one publishAt; drain rate when they come due, + streams;
//               repeated --rounds R times (default 3) in one process, the last being the steady state
//   fanout      one item to A accounts (default 200) at 100 ms platform latency, R runs; approval → each send done;
//               --callbacks: every WeChat account has its callback URL set, so PUBLISHJOBFINISH reaches the gateway
//   profile     stopwatch sampling of a step's parts outside the platforms (guard rendering, rules, Redis reads and save)
//   any "--Section:Key=value" is passed to the gateway, e.g. --Publishing:LeaseSeconds=5
//   --gateway-process runs the gateway as its own process (as deployed: server GC), so its CPU and memory are its own
//   memory      N publications (default 100,000) queued (scheduled); the process's GC heap and working set
//   floor       no gateway: N publications (default 20,000) done by the least the promises require (the same platform calls
//               over HTTP, a compare-and-set save before and after each, a lease, a stream entry acknowledged); the ceiling of
//               "throughput" on this machine; --plain-saves: bare SETs and no lease (unsafe), the platform calls' own cost
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "throughput";
int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

var repo = FindRepo();
// Any "--Section:Key=value" argument is passed on to the gateway (after the harness's own settings).
var passThrough = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':', StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray();
var workers = Option("workers", 16);
// --gateway-process: the gateway runs as its own process (as deployed, server GC), so memory and CPU are its own.
var separate = args.Contains("--gateway-process");
Console.WriteLine($"MediaGateway load harness: {scenario}, {Environment.ProcessorCount} cores, load {LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
switch (scenario)
{
    case "streams":
        await StreamsAsync(Option("publications", 200_000));
        break;
    case "throughput":
        await ThroughputAsync(Option("publications", 20_000), Option("accounts", 200), workers, Option("rounds", 3));
        break;
    case "fanout":
        await FanOutAsync(Option("accounts", 200), Option("runs", 10), workers);
        break;
    case "profile":
        await ProfileAsync();
        break;
    case "floor":
        await FloorAsync(Option("publications", 20_000), Option("accounts", 200), workers, Option("rounds", 3));
        break;
    case "memory":
        await MemoryAsync(Option("publications", 100_000), Option("accounts", 200), workers);
        break;
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}': streams | throughput | fanout | memory | profile | floor");
        return 2;
}

return 0;

async Task<StreamsBaseline.Result> StreamsAsync(int jobs)
{
    await using var world = await HarnessWorld.StartAsync(repo, 2, TimeSpan.Zero, ["--Publishing:Workers=1", .. passThrough]);
    return await StreamsOnAsync(world, jobs);
}

async Task<StreamsBaseline.Result> StreamsOnAsync(HarnessWorld world, int jobs)
{
    var r = await StreamsBaseline.RunAsync(world.Multiplexer, jobs);
    Console.WriteLine($"bare Streams: {jobs:N0} jobs; XADD {r.AddPerSecond:N0}/s; XREADGROUP+SET NX+XACK with 16 consumers {r.CyclePerSecond:N0} jobs/s (load {LoadAverage()})");
    return r;
}

async Task ThroughputAsync(int publications, int accounts, int w, int rounds)
{
    await using var world = await HarnessWorld.StartAsync(repo, accounts, TimeSpan.Zero,
        [$"--Publishing:Workers={w}", "--Publishing:OutcomePollMilliseconds=200", "--Publishing:IdlePollMaxMilliseconds=50", .. passThrough], separate);
    var baseline = await StreamsOnAsync(world, 100_000);
    await WarmUpAsync(world, 5);
    // The same drain several times in one process: the first ones still pay for tiered compilation of the whole path
    // (thousands of methods are recompiled at tier 1 under load); the last one is the steady state a gateway that has run
    // for a while is in.
    // Each round: the drain, then (once the gateway's background work for it is done) the floor on the same Redis and
    // sandboxes, so each pair shares the machine's load of the moment; the ratio the target is set in is per round.
    var cover = await File.ReadAllBytesAsync(Path.Combine(repo, "config", "demo", "cover.png"));
    using var floor = new PlatformFloor(world, cover);
    await floor.RunAsync(2_000, w); // warm-up: JIT and connections
    var drains = new List<(double Rate, double Commands)>();
    var floors = new List<PlatformFloor.Result>();
    for (var round = 1; round <= rounds; round++)
    {
        Console.WriteLine($"round {round} of {rounds}:");
        drains.Add(await DrainAsync(world, publications / accounts, accounts, w, baseline));
        await SettleAsync(world);
        var r = await floor.RunAsync(publications, w);
        floors.Add(r);
        Console.WriteLine($"  floor: {r.Publications:N0} publications in {r.Seconds:F1} s → {r.PerSecond:N0}/s; {r.CommandsPerPublication:F1} Redis commands per publication; "
                          + $"end to end / floor this round = {drains[^1].Rate / r.PerSecond:F2}; load {LoadAverage()}");
    }

    var ratios = drains.Zip(floors, (d, f) => d.Rate / f.PerSecond).ToList();
    var steadyRatios = ratios.Count > 1 ? ratios.Skip(1).ToList() : ratios;
    // Round 1 of the drain still pays for tiered compilation; the later rounds are the steady state (all rounds if only one).
    var steadyDrains = drains.Count > 1 ? drains.Skip(1).ToList() : drains;
    var (e2eLow, e2eHigh) = (steadyDrains.Min(d => d.Rate), steadyDrains.Max(d => d.Rate));
    var steadyFloors = floors.Count > 1 ? floors.Skip(1).ToList() : floors;
    var (floorLow, floorHigh) = (steadyFloors.Min(f => f.PerSecond), steadyFloors.Max(f => f.PerSecond));
    Console.WriteLine($"SUMMARY end to end {e2eLow:N0}–{e2eHigh:N0}/s vs floor {floorLow:N0}–{floorHigh:N0}/s (rounds {(drains.Count > 1 ? 2 : 1)}–{drains.Count}, same run): "
                      + $"end to end / floor per round {string.Join(", ", steadyRatios.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}, "
                      + $"mean {steadyRatios.Average():F2} (target ≥ 0.90); all rounds {string.Join(", ", ratios.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}");
    Console.WriteLine($"SUMMARY Redis commands per publication: end to end {steadyDrains.Average(d => d.Commands):F1} (target ≤ 26), floor {steadyFloors.Average(f => f.CommandsPerPublication):F1}");
}

// Waits (at most a minute and a half) until the gateway's background work after a drain (its events' webhook fan-out and
// audit) is done: Redis's command rate down to what the idle gateway's polling makes (about 850 a second with 16 workers;
// under 2,000 counts), so the floor that follows is not measured against it.
async Task SettleAsync(HarnessWorld world)
{
    var clock = Stopwatch.StartNew();
    var before = (await world.CommandStatsAsync()).Values.Sum();
    var rates = new List<long>();
    while (clock.Elapsed < TimeSpan.FromSeconds(90))
    {
        await Task.Delay(1000);
        var now = (await world.CommandStatsAsync()).Values.Sum();
        rates.Add(now - before);
        before = now;
        if (rates[^1] < 2_000) break;
    }

    Console.WriteLine($"  settled after {clock.Elapsed.TotalSeconds:F0} s ({rates[^1]:N0} Redis commands/s)");
}

async Task<(double Rate, double Commands)> DrainAsync(HarnessWorld world, int items, int accounts, int w, StreamsBaseline.Result baseline)
{
    // Time one item to estimate the preparation, then give every item one publishAt after all are approved.
    var probe = Stopwatch.StartNew();
    await world.SubmitAsync("预热" + Guid.NewGuid().ToString("N")[..6], world.AllAccounts, DateTimeOffset.UtcNow.AddDays(1), 3);
    var perItem = probe.Elapsed;
    var due = DateTimeOffset.UtcNow + TimeSpan.FromTicks(perItem.Ticks * items * 2) + TimeSpan.FromSeconds(10);
    Console.WriteLine($"preparing {items} items × {accounts} accounts = {items * accounts:N0} publications (one item took {perItem.TotalSeconds:F1} s); all due at {due:HH:mm:ss}");
    var prepare = Stopwatch.StartNew();
    var next = 0;
    await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
    {
        while (Interlocked.Increment(ref next) <= items)
        {
            await world.SubmitAsync("压测" + Guid.NewGuid().ToString("N")[..8], world.AllAccounts, due, 3);
        }
    })));
    var effectsBefore = world.Effects();
    Console.WriteLine($"prepared in {prepare.Elapsed.TotalSeconds:F1} s; {(due - DateTimeOffset.UtcNow).TotalSeconds:F1} s until due; effects so far {effectsBefore}");
    var total = items * accounts;
    // The counters start when the publications come due, so the approvals' own background work (their events' webhook
    // fan-out and audit entries, done while waiting) is not counted as the drain's.
    while (DateTimeOffset.UtcNow < due - TimeSpan.FromMilliseconds(50)) await Task.Delay(10);
    var statsBefore = await world.CommandStatsAsync();
    var cpuBefore = await world.RedisCpuAsync();
    var processCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var gatewayCpuBefore = world.GatewayProcess is { } g0 ? CpuOf(g0) : TimeSpan.Zero;
    var (jitBefore, jitTimeBefore) = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
    while (DateTimeOffset.UtcNow < due) await Task.Delay(10);

    var clock = Stopwatch.StartNew();
    var samples = new List<(double At, int Effects, long WorkingSet)>();
    var deadline = TimeSpan.FromMinutes(15);
    while (clock.Elapsed < deadline)
    {
        var effects = world.Effects() - effectsBefore;
        samples.Add((clock.Elapsed.TotalSeconds, effects, Environment.WorkingSet));
        if (effects >= total) break;
        await Task.Delay(250);
    }

    var elapsed = clock.Elapsed.TotalSeconds;
    var done = samples[^1].Effects;
    var processCpu = (Process.GetCurrentProcess().TotalProcessorTime - processCpuBefore).TotalSeconds;
    var gatewayCpu = world.GatewayProcess is { } g1 ? (CpuOf(g1) - gatewayCpuBefore).TotalSeconds : (double?)null;
    var cpuAfter = await world.RedisCpuAsync();
    var statsAfter = await world.CommandStatsAsync();
    var t10 = samples.First(s => s.Effects >= done / 10).At;
    var t90 = samples.First(s => s.Effects >= done * 9 / 10).At;
    var steady = (done * 8 / 10) / Math.Max(t90 - t10, 0.001);
    var rate = done / elapsed;
    Console.WriteLine($"end to end: {done:N0} of {total:N0} published on the sandboxes in {elapsed:F1} s after they came due → {rate:N0} publications/s (10–90 %: {steady:N0}/s); workers {w}; load {LoadAverage()}");
    Console.WriteLine($"  WeChat {world.AppIds.Sum(world.WeChat.PublishEffectCount):N0} articles, Weibo {world.Uids.Sum(world.Weibo.PostEffectCount):N0} posts (with the warm-up's)");
    Console.WriteLine($"  bare Streams cycle {baseline.CyclePerSecond:N0} jobs/s → pipeline / bare = {rate / baseline.CyclePerSecond:P1}");
    if (gatewayCpu is { } own)
    {
        Console.WriteLine($"  CPU during the drain: gateway process {own:F1} s ({own * 1000 / Math.Max(done, 1):F2} ms per publication), sandboxes + harness {processCpu:F1} s, redis-server {cpuAfter.UserSeconds + cpuAfter.SysSeconds - cpuBefore.UserSeconds - cpuBefore.SysSeconds:F1} s, over {elapsed:F1} s wall on {Environment.ProcessorCount} cores; gateway peak RSS {PeakRssMb(world.GatewayProcess!):N0} MB");
    }
    else Console.WriteLine($"  CPU during the drain: this process (gateway + sandboxes + harness) {processCpu:F1} s, redis-server {cpuAfter.UserSeconds + cpuAfter.SysSeconds - cpuBefore.UserSeconds - cpuBefore.SysSeconds:F1} s, over {elapsed:F1} s wall on {Environment.ProcessorCount} cores");
    Console.WriteLine($"  JIT during the drain: {System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore:N0} methods, {(System.Runtime.JitInfo.GetCompilationTime() - jitTimeBefore).TotalSeconds:F1} s");
    Console.WriteLine($"  peak working set {samples.Max(s => s.WorkingSet) / 1048576.0:N0} MB");
    var delta = statsAfter.Select(kv => (kv.Key, Calls: kv.Value - statsBefore.GetValueOrDefault(kv.Key))).Where(d => d.Calls > 0).OrderByDescending(d => d.Calls).ToList();
    var commands = delta.Sum(d => d.Calls) / (double)Math.Max(done, 1);
    Console.WriteLine($"  Redis commands per publication: {commands:F1}: "
                      + string.Join(", ", delta.Take(18).Select(d => $"{d.Key} {d.Calls / (double)Math.Max(done, 1):F2}")));
    return (rate, commands);
}

// Publishes a few items to every account before anything is measured, so the drain measures the pipeline and not the
// JIT compiling it (tiered compilation keeps a core busy for tens of seconds after the first publications).
async Task WarmUpAsync(HarnessWorld world, int items)
{
    var before = world.Effects();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < items; i++)
    {
        await world.SubmitAsync("预热" + Guid.NewGuid().ToString("N")[..8], world.AllAccounts, null, 3);
    }

    var expected = before + items * world.AllAccounts.Count();
    while (world.Effects() < expected && clock.Elapsed < TimeSpan.FromMinutes(5)) await Task.Delay(100);
    var published = clock.Elapsed;
    // Then until tiered compilation has caught up (fewer than 20 methods compiled in a second), at most a minute.
    var quiet = Stopwatch.StartNew();
    for (var compiled = System.Runtime.JitInfo.GetCompiledMethodCount(); quiet.Elapsed < TimeSpan.FromMinutes(1);)
    {
        await Task.Delay(1000);
        var now = System.Runtime.JitInfo.GetCompiledMethodCount();
        if (now - compiled < 20) break;
        compiled = now;
    }

    Console.WriteLine($"warm-up: {items} items × {world.AllAccounts.Count()} accounts published in {published.TotalSeconds:F1} s; JIT quiet after {quiet.Elapsed.TotalSeconds:F0} s more (load {LoadAverage()})");
}

async Task FanOutAsync(int accounts, int runs, int w)
{
    var callbacks = args.Contains("--callbacks");
    await using var world = await HarnessWorld.StartAsync(repo, accounts, TimeSpan.FromMilliseconds(100),
        [$"--Publishing:Workers={w}", "--Publishing:OutcomePollMilliseconds=200", "--Publishing:IdlePollMaxMilliseconds=50", .. passThrough], separate,
        callbacks: callbacks);
    if (callbacks) Console.WriteLine("every WeChat account has its callback URL set: PUBLISHJOBFINISH is pushed to the gateway");
    var sendDone = new List<double>();
    var warmSendDone = new List<double>(); // runs 2…R: the first run in a fresh process also pays for JIT compiling the path
    var recorded = new List<double>();
    var perRun = new List<(double Send, double Recorded)>();
    for (var run = 0; run < runs; run++)
    {
        var title = "扇出" + Guid.NewGuid().ToString("N")[..8];
        var id = await world.SubmitAsync(title, world.AllAccounts, null, 2);
        var before = world.Effects();
        var approvedAt = DateTimeOffset.UtcNow; // taken before the sign-off is sent: conservative
        await world.ApproveAsync(id, 2);
        var clock = Stopwatch.StartNew();
        while (world.Effects() < before + accounts && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(20);

        // Send done: the platform effect (Weibo status created; WeChat article published, PublishDelay 0, 50 ms tick).
        var sends = world.Weibo.Statuses.Where(s => s.Text.Contains(title, StringComparison.Ordinal)).Select(s => (s.CreatedAt - approvedAt).TotalMilliseconds)
            .Concat(world.WeChat.PublishedArticles.Where(a => a.Title == title).Select(a => (a.PublishedAt - approvedAt).TotalMilliseconds)).ToList();
        // Recorded: the gateway saved each publication as published (after WeChat's freepublish/get confirmed it).
        using var op = world.Client(HarnessWorld.Operator);
        List<double> saved;
        while (true)
        {
            var pubs = (await op.GetFromJsonAsync<JsonObject>($"api/content/{id}"))!["publications"]!.AsArray();
            if (pubs.All(p => p!["state"]!.GetValue<string>() is "published" or "failed"))
            {
                saved = pubs.Select(p => (p!["publishedAt"]!.GetValue<DateTimeOffset>() - approvedAt).TotalMilliseconds).ToList();
                break;
            }

            await Task.Delay(50);
        }

        if (run > 0) warmSendDone.AddRange(sends);
        sendDone.AddRange(sends);
        recorded.AddRange(saved);
        perRun.Add((sends.Max(), saved.Max()));
        Console.WriteLine($"run {run + 1}: {sends.Count} sends, last send done {sends.Max():N0} ms after approval; last recorded published {saved.Max():N0} ms (load {LoadAverage()})");
        await Task.Delay(500);
    }

    Console.WriteLine($"fan-out to {accounts} accounts at 100 ms latency, {runs} runs, workers {w}:");
    Console.WriteLine($"  send done after approval: p50 {Percentile(sendDone, 50):N0} ms, p99 {Percentile(sendDone, 99):N0} ms, max {sendDone.Max():N0} ms; per-run last: {string.Join(", ", perRun.Select(r => r.Send.ToString("N0", CultureInfo.InvariantCulture)))}");
    if (warmSendDone.Count > 0) Console.WriteLine($"  send done, runs 2–{runs} (JIT warm): p50 {Percentile(warmSendDone, 50):N0} ms, p99 {Percentile(warmSendDone, 99):N0} ms, max {warmSendDone.Max():N0} ms");
    Console.WriteLine($"  recorded published:      p50 {Percentile(recorded, 50):N0} ms, p99 {Percentile(recorded, 99):N0} ms, max {recorded.Max():N0} ms");
    Console.WriteLine($"SUMMARY fan-out: send done p99 {Percentile(sendDone, 99):N0} ms, first run's last {perRun[0].Send:N0} ms (target ≤ 450 ms, first run included); "
                      + $"recorded published p99 {Percentile(recorded, 99):N0} ms (target ≤ 600 ms)");
}

async Task ProfileAsync()
{
    await using var world = await HarnessWorld.StartAsync(repo, 2, TimeSpan.Zero, ["--Publishing:Workers=1", .. passThrough]);
    var id = await world.SubmitAsync("剖析" + Guid.NewGuid().ToString("N")[..8], world.AllAccounts, DateTimeOffset.UtcNow.AddDays(1), 3);
    Console.WriteLine($"one publication step outside the platforms, single thread (load {LoadAverage()}):");
    await PipelineProfile.RunAsync(world, id);
}

async Task FloorAsync(int publications, int accounts, int w, int rounds)
{
    await using var world = await HarnessWorld.StartAsync(repo, accounts, TimeSpan.Zero, [], gateway: false);
    var baseline = await StreamsOnAsync(world, 100_000);
    var cover = await File.ReadAllBytesAsync(Path.Combine(repo, "config", "demo", "cover.png"));
    using var floor = new PlatformFloor(world, cover, plainSaves: args.Contains("--plain-saves"));
    await floor.RunAsync(2_000, w); // warm-up: JIT and connections
    for (var round = 1; round <= rounds; round++)
    {
        var r = await floor.RunAsync(publications, w);
        Console.WriteLine($"floor round {round}{(args.Contains("--plain-saves") ? " (plain saves, no lease)" : "")}: {r.Publications:N0} publications in {r.Seconds:F1} s → {r.PerSecond:N0}/s; workers {w}; load {LoadAverage()}");
        Console.WriteLine($"  CPU per publication: clients + sandboxes (this process) {r.HarnessCpuSeconds * 1000 / r.Publications:F2} ms, redis-server {r.RedisCpuSeconds * 1000 / r.Publications:F2} ms; "
                          + $"{r.CommandsPerPublication:F1} Redis commands per publication; bare Streams cycle {baseline.CyclePerSecond:N0} jobs/s");
    }
}

async Task MemoryAsync(int publications, int accounts, int w)
{
    await using var world = await HarnessWorld.StartAsync(repo, accounts, TimeSpan.Zero, [$"--Publishing:Workers={w}", .. passThrough], separate);
    var items = publications / accounts;
    var due = DateTimeOffset.UtcNow.AddDays(1);
    if (world.GatewayProcess is { } started)
    {
        Console.WriteLine($"gateway process ready: RSS {RssMb(started, "VmRSS"):N0} MB, {await GatewayHeapAsync(world)}");
    }

    var redisBefore = (await world.RedisCpuAsync()).UsedMemory;
    var clock = Stopwatch.StartNew();
    var next = 0;
    await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
    {
        while (Interlocked.Increment(ref next) <= items)
        {
            await world.SubmitAsync("内存" + Guid.NewGuid().ToString("N")[..8], world.AllAccounts, due, 3);
        }
    })));
    Console.WriteLine($"queued {items * accounts:N0} publications ({items} items × {accounts} accounts, due tomorrow) in {clock.Elapsed.TotalSeconds:F0} s");
    await RedisBytesAsync(world, redisBefore, items * accounts);
    if (world.GatewayProcess is { } gateway)
    {
        // Sampled while the workers idle over the queue and the background consumers (events, audit) catch up.
        for (var waited = 0; waited <= Option("idle", 60); waited += 10)
        {
            Console.WriteLine($"  after {waited,2} s: gateway RSS {RssMb(gateway, "VmRSS"):N0} MB, {await GatewayHeapAsync(world)}");
            await Task.Delay(TimeSpan.FromSeconds(10));
        }

        var r = await world.RedisCpuAsync();
        Console.WriteLine($"gateway process (its own, as deployed): RSS {RssMb(gateway, "VmRSS"):N0} MB, peak RSS while queueing {RssMb(gateway, "VmHWM"):N0} MB; redis used_memory {r.UsedMemory / 1048576.0:N0} MB");
        Console.WriteLine($"SUMMARY memory, {items * accounts:N0} queued: gateway RSS settled {RssMb(gateway, "VmRSS"):N0} MB (target ≤ 200), peak {RssMb(gateway, "VmHWM"):N0} MB (target ≤ 300); "
                          + $"Redis {(r.UsedMemory - redisBefore) / (double)(items * accounts):N0} bytes per queued publication (target ≤ 1,536)");
        await RedisBytesAsync(world, redisBefore, items * accounts);
        return;
    }

    await Task.Delay(TimeSpan.FromSeconds(Option("idle", 10))); // workers idle over the queue; background consumers (webhooks, audit) catch up

    var peakBefore = Process.GetCurrentProcess().PeakWorkingSet64;
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    var heap = GC.GetTotalMemory(forceFullCollection: true);
    var info = GC.GetGCMemoryInfo();
    var redis = await world.RedisCpuAsync();
    Console.WriteLine($"this process (gateway + both sandboxes + harness): GC heap {heap / 1048576.0:N1} MB, committed {info.TotalCommittedBytes / 1048576.0:N1} MB, "
                      + $"working set {Environment.WorkingSet / 1048576.0:N0} MB (peak while queueing {peakBefore / 1048576.0:N0} MB); redis used_memory {redis.UsedMemory / 1048576.0:N0} MB");
}

// Where Redis's bytes go: used_memory grown since before queueing, per queued publication, and the main key families
// (MEMORY USAGE of every key, summed by family: the key with its id-like parts replaced by *).
async Task RedisBytesAsync(HarnessWorld world, long before, int queued)
{
    var used = (await world.RedisCpuAsync()).UsedMemory;
    var server = world.Multiplexer.GetServers()[0];
    var db = world.Multiplexer.GetDatabase();
    var families = new Dictionary<string, (long Bytes, int Keys)>();
    await foreach (var key in server.KeysAsync(pageSize: 1000))
    {
        var bytes = (long?)await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0") ?? 0;
        var family = System.Text.RegularExpressions.Regex.Replace(key.ToString(), @"[^:{}]*\d[^:{}]*$", "*");
        var (b, k) = families.GetValueOrDefault(family);
        families[family] = (b + bytes, k + 1);
    }

    Console.WriteLine($"  Redis used_memory {used / 1048576.0:N0} MB, {(used - before) / (double)queued:N0} bytes per queued publication; by key family (bytes per queued publication):");
    foreach (var (family, (bytes, keys)) in families.OrderByDescending(f => f.Value.Bytes).Take(8))
    {
        Console.WriteLine($"    {family,-40} {keys,7:N0} keys {bytes / (double)queued,8:N0}");
    }
}

// The gateway's own figures from its /metrics (the .NET "System.Runtime" meter): GC heap after the last collection, committed.
static async Task<string> GatewayHeapAsync(HarnessWorld world)
{
    using var http = new HttpClient { BaseAddress = world.BaseAddress };
    var text = await http.GetStringAsync("metrics");
    double Sum(string name) => text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal) && !l.StartsWith('#'))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    var byGeneration = string.Join(" ", text.Split('\n').Where(l => l.StartsWith("dotnet_gc_last_collection_heap_size_bytes{", StringComparison.Ordinal))
        .Select(l => $"{l[(l.IndexOf("generation=\"", StringComparison.Ordinal) + 12)..l.IndexOf('"', l.IndexOf("generation=\"", StringComparison.Ordinal) + 12)]}:{double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) / 1048576.0:N0}"));
    return $"GC heap after last collection {Sum("dotnet_gc_last_collection_heap_size_bytes") / 1048576.0:N0} MB ({byGeneration}), GC committed {Sum("dotnet_gc_last_collection_memory_committed_size_bytes") / 1048576.0:N0} MB, allocated in all {Sum("dotnet_gc_heap_total_allocated_bytes") / 1048576.0:N0} MB, collections {Sum("dotnet_gc_collections_total"):N0}";
}

static TimeSpan CpuOf(Process process)
{
    process.Refresh();
    return process.TotalProcessorTime;
}

// VmRSS (resident now) or VmHWM (peak resident) of a process, from /proc, in MB.
static double RssMb(Process process, string field)
{
    var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
}

static double PeakRssMb(Process process) => RssMb(process, "VmHWM");

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

static string FindRepo()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MediaGateway.sln"))) return dir.FullName;
        }
    }

    throw new InvalidOperationException("MediaGateway.sln not found above the working directory");
}
