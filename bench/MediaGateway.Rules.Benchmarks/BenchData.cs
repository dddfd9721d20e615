using System.Text;

namespace MediaGateway.Rules.Benchmarks;

/// <summary>The 50k dictionaries (path from --data or RULES_BENCH_DATA) and the reproducibly generated text.</summary>
public static class BenchData
{
    public const string EnvironmentVariable = "RULES_BENCH_DATA";
    public const int Seed = 20240517;
    public const int TextChars = 2_000_000; // ≈ 5.9 MB of UTF-8, the size of the anchors' novel

    public static string Folder =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } folder
            ? folder
            : throw new InvalidOperationException($"pass --data <folder> or set {EnvironmentVariable} to the folder holding bench-words-*.txt");

    public static string[] Words(string list) =>
        File.ReadAllLines(Path.Combine(Folder, $"bench-words-{list}-50k.txt"), Encoding.UTF8)
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    /// <summary>
    /// Chinese text sampled from the dense dictionary, which lists the jieba dictionary's most frequent words first:
    /// word at rank r is drawn with Zipf weight 1/(r+10), clauses of 3–12 words end in "，", sentences of 1–4 clauses in
    /// "。", paragraphs of 3–8 sentences in a line break; now and then a number or a Latin word. Same seed, same text.
    /// </summary>
    public static string GenerateText(int chars = TextChars)
    {
        var words = Words("dense");
        var cumulative = new double[words.Length];
        var total = 0.0;
        for (var r = 0; r < words.Length; r++)
        {
            total += 1.0 / (r + 10);
            cumulative[r] = total;
        }

        var random = new Random(Seed);
        var sb = new StringBuilder(chars + 64);
        string[] latin = ["APP", "5G", "GDP", "PM2.5", "WiFi", "CPI"];
        while (sb.Length < chars)
        {
            var sentences = random.Next(3, 9);
            for (var s = 0; s < sentences; s++)
            {
                var clauses = random.Next(1, 5);
                for (var c = 0; c < clauses; c++)
                {
                    var n = random.Next(3, 13);
                    for (var w = 0; w < n; w++)
                    {
                        var roll = random.Next(100);
                        if (roll == 0)
                        {
                            sb.Append(random.Next(1, 2030));
                        }
                        else if (roll == 1)
                        {
                            sb.Append(latin[random.Next(latin.Length)]);
                        }
                        else
                        {
                            var x = random.NextDouble() * total;
                            var i = Array.BinarySearch(cumulative, x);
                            sb.Append(words[i < 0 ? ~i : i]);
                        }
                    }

                    sb.Append(c == clauses - 1 ? '。' : '，');
                }
            }

            sb.Append('\n');
        }

        return sb.ToString(0, chars);
    }

    /// <summary>A small allow-list: 200 dictionary words chosen with the same seed (the pipeline must apply it).</summary>
    public static string[] AllowList() =>
        Words("dense").Where((_, i) => i % 250 == 7).Select(w => w + "工作").ToArray();
}
