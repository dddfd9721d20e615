using BenchmarkDotNet.Attributes;
using MediaGateway.Rules.Text;

namespace MediaGateway.Rules.Benchmarks;

/// <summary>
/// The full phrase pipeline on one core: normalise (with the offset map), find all overlapping matches, apply the
/// allow-list, map back to original offsets. Throughput in MB/s of UTF-8 is the "MB/s" column.
/// </summary>
[MemoryDiagnoser]
public class ScanBenchmarks
{
    private PhraseScanner _scanner = null!;
    private string _text = null!;
    private readonly List<PhraseHit> _hits = new(1 << 20);

    [Params("sparse", "dense")]
    public string List { get; set; } = "sparse";

    [GlobalSetup]
    public void Setup()
    {
        _text = BenchData.GenerateText();
        _scanner = new PhraseScanner(BenchData.Words(List), BenchData.AllowList(), FoldOptions.All, collapseRepeats: true);
    }

    [Benchmark]
    public int Scan()
    {
        _hits.Clear();
        _scanner.Scan(_text, _hits);
        return _hits.Count;
    }
}

/// <summary>Building the matcher for a 50k list (normalising every entry included).</summary>
[MemoryDiagnoser]
public class BuildBenchmarks
{
    private string[] _words = null!;

    [Params("sparse", "dense")]
    public string List { get; set; } = "sparse";

    [GlobalSetup]
    public void Setup() => _words = BenchData.Words(List);

    [Benchmark]
    public PhraseScanner Build() => new(_words, [], FoldOptions.All, collapseRepeats: true);
}

/// <summary>
/// The "every keystroke" case: every rule (50k sensitive list, markers, personal data, links, limits, corrections)
/// over one 3,000-character article.
/// </summary>
[MemoryDiagnoser]
public class ArticleBenchmarks
{
    private RuleSet _rules = null!;
    private RuleInput[] _inputs = null!;

    [GlobalSetup]
    public void Setup()
    {
        var sensitive = WordList.Parse("bench-sparse", string.Join('\n', BenchData.Words("sparse").Select(w => w.Replace('|', ' '))), Severity.Flag);
        var markers = WordList.Parse("markers", "绝密★\n机密★\n秘密★\n内部资料\n内部文件\n不得外传\n注意保密", Severity.Block);
        _rules = RuleSet.Create(new RuleLists(markers, sensitive)
        {
            Corrections = WordList.Parse("corrections", "再接再励 => 再接再厉 | flag | typo\n按装 => 安装 | flag | typo", Severity.Flag),
        });
        var body = BenchData.GenerateText(3_000) + "联系电话13800138000，详见 https://www.gov.cn/ 。";
        _inputs = [new RuleInput("title", body[..20]), new RuleInput("body", body)];
    }

    [Benchmark]
    public int EvaluateArticle() => _rules.Evaluate(_inputs, new RuleContext { AllowedLinkDomains = ["gov.cn"] }).Count;
}
