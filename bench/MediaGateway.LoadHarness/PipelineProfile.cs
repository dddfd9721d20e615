using System.Diagnostics;
using MediaGateway.Accounts;
using MediaGateway.Content;
using MediaGateway.Publishing;
using MediaGateway.Storage;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.LoadHarness;

/// <summary>
/// Stopwatch sampling of what one publication step costs outside the platforms, on an approved item of the harness:
/// the pre-send guard's parts (render + fingerprint, rules over the payload), the Redis reads each step makes, and
/// one compare-and-set save. Single thread, repeated, best and median.
/// </summary>
internal static class PipelineProfile
{
    public static async Task RunAsync(HarnessWorld world, string contentId, int repeats = 300)
    {
        var services = world.Services;
        var renderer = services.GetRequiredService<ContentRenderer>();
        var rules = services.GetRequiredService<RuleSetProvider>();
        var registry = services.GetRequiredService<AccountRegistry>();
        var contents = services.GetRequiredService<ContentStore>();
        var accountStates = services.GetRequiredService<AccountStore>();
        var publications = services.GetRequiredService<PublicationStore>();
        var item = (await contents.GetAsync(contentId))!.Value;
        var wx = registry.Find(world.WeChatAccounts[0])!;
        var wb = registry.Find(world.WeiboAccounts[0])!;

        Measure("render WeChat article + fingerprint (guard, once per item version and account)", repeats, () => renderer.FingerprintFor(item, wx));
        Measure("render Weibo post + fingerprint (guard, once per item version and account)", repeats, () => renderer.FingerprintFor(item, wb));
        Measure("rules over the WeChat payload (guard, once per item version, account and lists)", repeats, () => rules.Current.Evaluate(ContentRuleInputs.For(item, wx, renderer)).Count);
        Measure("rules over the Weibo payload (guard, once per item version, account and lists)", repeats, () => rules.Current.Evaluate(ContentRuleInputs.For(item, wb, renderer)).Count);
        Measure("render WeChat article for draft/add", repeats, () => renderer.RenderWeChat(item, wx).Html.Length);
        var pubId = Publication.IdFor(contentId, item.Revision, wb.Id);
        var reader = services.GetRequiredService<StepInputReader>();
        await MeasureAsync("step inputs, every step (one MGET; item unchanged, so kept)", repeats, async () =>
        {
            var read = await reader.ReadAsync(contentId, wx.Id);
            _ = reader.Prepare(read.Snapshot!, read.Account!);
        });
        await MeasureAsync("Redis: read content item (GET + JSON)", repeats, async () => await contents.GetAsync(contentId));
        await MeasureAsync("Redis: read account state (GET + JSON)", repeats, async () => await accountStates.GetAsync(wb.Id));
        await MeasureAsync("Redis: read publication (GET + JSON)", repeats, async () => await publications.GetAsync(pubId));
        await MeasureAsync("Redis: save publication (WATCH/MULTI/SET/EXEC, unchanged)", repeats, async () =>
        {
            var current = (await publications.GetAsync(pubId))!;
            await publications.TrySaveAsync(current, current.Value);
        });
        var db = world.Multiplexer.GetDatabase();
        await MeasureAsync("Redis: bare PING round trip", repeats, async () => await db.PingAsync());
    }

    private static void Measure(string what, int repeats, Func<object> action)
    {
        for (var i = 0; i < 20; i++) action();
        var times = new List<double>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        Report(what, times, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / repeats);
    }

    private static async Task MeasureAsync(string what, int repeats, Func<Task> action)
    {
        for (var i = 0; i < 20; i++) await action();
        var times = new List<double>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            await action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        Report(what, times, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / repeats);
    }

    private static void Report(string what, List<double> times, double cpuMsPerCall)
    {
        times.Sort();
        Console.WriteLine($"  {what,-62} best {times[0]:F3} ms, median {times[times.Count / 2]:F3} ms, process CPU {cpuMsPerCall:F3} ms/call");
    }
}
