using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using MediaGateway.Rules.Benchmarks;
using MediaGateway.Rules.Text;

// Usage: dotnet run -c Release --project bench/MediaGateway.Rules.Benchmarks -- --data <folder> [--quick] [BenchmarkDotNet args]
//   --quick: a Stopwatch report only (build time, retained memory, MB/s), no BenchmarkDotNet run.
var rest = new List<string>();
var quick = false;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--data" && i + 1 < args.Length)
    {
        Environment.SetEnvironmentVariable(BenchData.EnvironmentVariable, Path.GetFullPath(args[++i])); // inherited by BDN's child processes
    }
    else if (args[i] == "--quick")
    {
        quick = true;
    }
    else
    {
        rest.Add(args[i]);
    }
}

QuickReport.Run();
if (quick)
{
    return;
}

var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithId("ShortRun"))
    .AddColumn(new ThroughputColumn())
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(ScanBenchmarks).Assembly).Run([.. rest], config);

/// <summary>MB/s of UTF-8 text for the scan benchmark (the generated text is deterministic, so its size is known here).</summary>
internal sealed class ThroughputColumn : IColumn
{
    private static readonly Lazy<long> Bytes = new(() => Encoding.UTF8.GetByteCount(BenchData.GenerateText()));

    public string Id => "MBps";
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Throughput: MB (10^6 bytes) of UTF-8 text per second, one core";

    public bool IsDefault(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (benchmarkCase.Descriptor.Type != typeof(ScanBenchmarks) || summary[benchmarkCase]?.ResultStatistics is not { } stats)
        {
            return "-";
        }

        return (Bytes.Value / 1e6 / (stats.Mean / 1e9)).ToString("F0", CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Stopwatch figures that BenchmarkDotNet does not give directly: retained memory of the built matcher, and throughput
/// as both wall-clock time and the scanning thread's own CPU time (clock_gettime(CLOCK_THREAD_CPUTIME_ID)), best and median of
/// <see cref="Runs"/> runs. On a shared machine the CPU-time figure is the one-core figure: time the thread spent
/// waiting for a core is not counted (cache pollution by neighbours still is).
/// </summary>
internal static class QuickReport
{
    private const int Runs = 21;

    public static void Run()
    {
        // Retained memory: the shared fold tables are built first (they are per process, not per matcher), then three
        // matchers are built and kept alive; the heap growth divided by three is what one matcher holds.
        GC.KeepAlive(new PhraseScanner(["预热"], [], FoldOptions.All, collapseRepeats: true));
        foreach (var list in new[] { "sparse", "dense" })
        {
            MeasureRetained(list);
        }

        var text = BenchData.GenerateText();
        var bytes = Encoding.UTF8.GetByteCount(text);
        var mb = bytes / 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"text: {text.Length:N0} chars, {mb:F2} MB UTF-8 (seed {BenchData.Seed}); {Runs} runs each"));
        Console.WriteLine(ThreadClock.Available ? "MB/s as wall-clock best / median, then thread CPU time best / median" : "MB/s as wall-clock best / median (no thread CPU clock here)");
        foreach (var list in new[] { "sparse", "dense" })
        {
            var words = BenchData.Words(list);
            var allow = BenchData.AllowList();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var sw = Stopwatch.StartNew();
            var scanner = new PhraseScanner(words, allow, FoldOptions.All, collapseRepeats: true);
            var buildMs = sw.Elapsed.TotalMilliseconds;
            var buildTimes = new List<double>();
            for (var run = 0; run < 5; run++)
            {
                sw.Restart();
                GC.KeepAlive(new PhraseScanner(words, allow, FoldOptions.All, collapseRepeats: true));
                buildTimes.Add(sw.Elapsed.TotalMilliseconds);
            }

            var hits = new List<PhraseHit>(1 << 20);
            var full = Measure(() =>
            {
                hits.Clear();
                scanner.Scan(text, hits);
            });

            var matches = new MatchBuffer(1 << 21);
            using var normalizedOnce = scanner.Normalizer.Normalize(text);
            var normalize = Measure(() =>
            {
                using var normalized = scanner.Normalizer.Normalize(text);
            });
            var match = Measure(() =>
            {
                matches.Clear();
                scanner.Matcher.FindAll(normalizedOnce.Text, matches);
            });

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{list,-6}: build {buildMs:F0} ms cold, {buildTimes.Min():F0} ms warm (packed {scanner.Matcher.ApproximateBytes / 1e6:F1} MB, {scanner.Matcher.NodeCount:N0} nodes), {hits.Count:N0} hits"));
            Console.WriteLine($"        full pipeline   {full.Format(mb)}");
            Console.WriteLine($"        normalise alone {normalize.Format(mb)}");
            Console.WriteLine($"        matcher alone   {match.Format(mb)}");
            GC.KeepAlive(scanner);
        }
    }

    /// <summary>In its own frame, so that nothing of the previous list stays reachable from a stale stack slot.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void MeasureRetained(string list)
    {
        var words = BenchData.Words(list);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        var built = new PhraseScanner[3];
        for (var k = 0; k < built.Length; k++)
        {
            built[k] = new PhraseScanner(words, [], FoldOptions.All, collapseRepeats: true);
        }

        var retainedBytes = (GC.GetTotalMemory(true) - before) / built.Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{list,-6}: matcher retained after build {retainedBytes / 1e6:F1} MB (packed arrays {built[0].Matcher.ApproximateBytes / 1e6:F1} MB)"));
        GC.KeepAlive(built);
        GC.KeepAlive(words);
    }

    private static Timing Measure(Action action)
    {
        action(); // warm-up (tiering)
        action();
        var wall = new double[Runs];
        var cpu = new double[Runs];
        var sw = new Stopwatch();
        for (var run = 0; run < Runs; run++)
        {
            var c0 = ThreadClock.Seconds();
            sw.Restart();
            action();
            wall[run] = sw.Elapsed.TotalSeconds;
            cpu[run] = ThreadClock.Seconds() - c0;
        }

        Array.Sort(wall);
        Array.Sort(cpu);
        return new Timing(wall[0], wall[Runs / 2], cpu[0], cpu[Runs / 2]);
    }

    private readonly record struct Timing(double WallBest, double WallMedian, double CpuBest, double CpuMedian)
    {
        public string Format(double mb) => ThreadClock.Available
            ? string.Create(CultureInfo.InvariantCulture, $"wall {mb / WallBest,5:F0} / {mb / WallMedian,5:F0} MB/s   cpu {mb / CpuBest,5:F0} / {mb / CpuMedian,5:F0} MB/s")
            : string.Create(CultureInfo.InvariantCulture, $"wall {mb / WallBest,5:F0} / {mb / WallMedian,5:F0} MB/s");
    }
}

/// <summary>The calling thread's CPU time: clock_gettime(CLOCK_THREAD_CPUTIME_ID) on Linux, exact to the nanosecond.</summary>
internal static partial class ThreadClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool Available { get; } = OperatingSystem.IsLinux() && Probe();

    public static double Seconds() => Available && ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0 ? ts.Seconds + (ts.Nanoseconds / 1e9) : 0;

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec value);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
