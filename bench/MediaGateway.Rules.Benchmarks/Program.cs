using System.Diagnostics;
using System.Globalization;
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

/// <summary>Stopwatch figures that BenchmarkDotNet does not give directly: retained memory of the built matcher.</summary>
internal static class QuickReport
{
    public static void Run()
    {
        foreach (var list in new[] { "sparse", "dense" })
        {
            var words = BenchData.Words(list);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetTotalMemory(true);
            var built = new PhraseScanner(words, [], FoldOptions.All, collapseRepeats: true);
            var retainedBytes = GC.GetTotalMemory(true) - before;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{list,-6}: matcher retained after build {retainedBytes / 1e6:F1} MB (packed arrays {built.Matcher.ApproximateBytes / 1e6:F1} MB)"));
            GC.KeepAlive(built);
            GC.KeepAlive(words);
        }

        var text = BenchData.GenerateText();
        var bytes = Encoding.UTF8.GetByteCount(text);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"text: {text.Length:N0} chars, {bytes / 1e6:F2} MB UTF-8 (seed {BenchData.Seed})"));
        foreach (var list in new[] { "sparse", "dense" })
        {
            var words = BenchData.Words(list);
            var allow = BenchData.AllowList();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var before = GC.GetTotalMemory(true);
            var sw = Stopwatch.StartNew();
            var scanner = new PhraseScanner(words, allow, FoldOptions.All, collapseRepeats: true);
            var buildMs = sw.Elapsed.TotalMilliseconds;
            var hits = new List<PhraseHit>(1 << 20);
            var best = double.MaxValue;
            for (var run = 0; run < 7; run++)
            {
                hits.Clear();
                sw.Restart();
                scanner.Scan(text, hits);
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }

            var bestNormalize = double.MaxValue;
            var bestMatch = double.MaxValue;
            var matches = new List<PhraseMatch>(1 << 20);
            for (var run = 0; run < 5; run++)
            {
                sw.Restart();
                using var normalized = scanner.Normalizer.Normalize(text);
                bestNormalize = Math.Min(bestNormalize, sw.Elapsed.TotalSeconds);
                matches.Clear();
                sw.Restart();
                scanner.Matcher.FindAll(normalized.Text, matches);
                bestMatch = Math.Min(bestMatch, sw.Elapsed.TotalSeconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"        normalise alone {bytes / 1e6 / bestNormalize:F0} MB/s, matcher alone {bytes / 1e6 / bestMatch:F0} MB/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{list,-6}: build {buildMs:F0} ms (first, cold), (packed {scanner.Matcher.ApproximateBytes / 1e6:F1} MB, {scanner.Matcher.NodeCount:N0} nodes), best scan {bytes / 1e6 / best:F0} MB/s, {hits.Count:N0} hits"));
            GC.KeepAlive(scanner);
        }
    }
}
