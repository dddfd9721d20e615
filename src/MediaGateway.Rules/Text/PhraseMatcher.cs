namespace MediaGateway.Rules.Text;

/// <summary>One match in normalised coordinates: pattern id and the span [Start, End).</summary>
public readonly record struct PhraseMatch(int Pattern, int Start, int End);

/// <summary>
/// Finds every occurrence, overlapping included, of many patterns at once.
/// <para>
/// Layout: a direct 64K table for the first character, a bigram bit filter (hashed, 128 KB) that rejects most start
/// positions with one bit test, then an anchored walk down a trie whose edges live in one open-addressing hash table
/// of (node, char) → child, each edge packed into one 64-bit word. Node values carry two flag bits (terminal, has children), so
/// the walk touches the output arrays only on a hit.
/// </para>
/// <para>
/// With <c>collapseRepeats</c>, a text character equal to the previous one may be absorbed (法法轮 matches 法轮):
/// a pattern p1…pk matches text that reads p1+ p2+ … pk (each character repeated one or more times), matches start
/// only at the first character of a run, and the reported end is the shortest.
/// </para>
/// </summary>
public sealed class PhraseMatcher
{
    // A node value: 22-bit node index, a terminal bit and a has-children bit (24 bits). An edge is one ulong:
    // key = parent index << 16 | char (38 bits) in the low bits, the child's node value in the high 24 bits.
    private const int Terminal = 1 << 22;
    private const int HasChildren = 1 << 23;
    private const int IndexMask = Terminal - 1;
    private const int KeyBits = 38;
    private const ulong KeyMask = (1UL << KeyBits) - 1;
    private const int BigramBits = 20;
    private const int MaxPendingBranches = 64;

    private readonly int[] _root = new int[65536];
    private readonly ulong[] _edges;
    private readonly int _shift;
    private readonly int[] _outFirst;
    private readonly int[] _outNext;
    private readonly ulong[] _bigrams = new ulong[(1 << BigramBits) / 64];
    private readonly bool _collapseRepeats;

    /// <param name="patterns">Already normalised patterns; pattern id = index. Empty patterns never match.</param>
    /// <param name="collapseRepeats">Whether repeated text characters may be absorbed (see the class remarks).</param>
    public PhraseMatcher(IReadOnlyList<string> patterns, bool collapseRepeats)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _collapseRepeats = collapseRepeats;
        PatternCount = patterns.Count;

        // Build with a dictionary, then pack into flat arrays.
        var edges = new Dictionary<ulong, int>();
        var terminalOf = new List<int> { -1 }; // node 0 = root
        var hasChildren = new List<bool> { false };
        _outNext = new int[patterns.Count];
        Array.Fill(_outNext, -1);
        var rootRaw = new int[65536];
        for (var p = 0; p < patterns.Count; p++)
        {
            var pattern = patterns[p];
            if (string.IsNullOrEmpty(pattern))
            {
                continue;
            }

            var node = rootRaw[pattern[0]];
            if (node == 0)
            {
                node = terminalOf.Count;
                terminalOf.Add(-1);
                hasChildren.Add(false);
                rootRaw[pattern[0]] = node;
            }

            for (var k = 1; k < pattern.Length; k++)
            {
                var key = ((ulong)node << 16) | pattern[k];
                if (!edges.TryGetValue(key, out var child))
                {
                    child = terminalOf.Count;
                    terminalOf.Add(-1);
                    hasChildren.Add(false);
                    edges.Add(key, child);
                    hasChildren[node] = true;
                }

                node = child;
            }

            // Chain patterns that normalise to the same string (e.g. a traditional and a simplified entry).
            _outNext[p] = terminalOf[node];
            terminalOf[node] = p;
            if (pattern.Length >= 2)
            {
                SetBigram(pattern[0], pattern[1]);
            }
        }

        NodeCount = terminalOf.Count;
        if (NodeCount > IndexMask)
        {
            throw new ArgumentException($"too many trie nodes ({NodeCount}); the packed layout holds {IndexMask}", nameof(patterns));
        }

        _outFirst = [.. terminalOf];
        for (var c = 0; c < 65536; c++)
        {
            if (rootRaw[c] != 0)
            {
                _root[c] = Encode(rootRaw[c]);
            }
        }

        var capacityBits = Math.Max(4, (int)Math.Ceiling(Math.Log2(Math.Max(16, edges.Count * 2))));
        _edges = new ulong[1 << capacityBits];
        _shift = 64 - capacityBits;
        var mask = (1 << capacityBits) - 1;
        foreach (var (key, child) in edges)
        {
            var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
            while (_edges[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _edges[slot] = key | ((ulong)(uint)Encode(child) << KeyBits);
        }

        int Encode(int node) => node | (terminalOf[node] >= 0 ? Terminal : 0) | (hasChildren[node] ? HasChildren : 0);
    }

    public int PatternCount { get; }

    public int NodeCount { get; }

    /// <summary>The bytes held by the packed structure (what stays alive after the build).</summary>
    public long ApproximateBytes =>
        (_root.Length * 4L) + (_edges.Length * 8L) + (_outFirst.Length * 4L) + (_outNext.Length * 4L) + (_bigrams.Length * 8L);

    /// <summary>Appends every match in <paramref name="text"/>, ordered by start.</summary>
    public void FindAll(ReadOnlySpan<char> text, List<PhraseMatch> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (_collapseRepeats)
        {
            FindAllCollapsing(text, results);
            return;
        }

        var root = _root;
        var n = text.Length;
        for (var i = 0; i < n; i++)
        {
            var c0 = text[i];
            var v = root[c0];
            if (v == 0)
            {
                continue;
            }

            if ((v & Terminal) != 0)
            {
                Report(v, i, i + 1, results, -1);
            }

            if ((v & HasChildren) == 0 || i + 1 >= n || !MaybeBigram(c0, text[i + 1]))
            {
                continue;
            }

            var j = i + 1;
            while (true)
            {
                v = Child(v & IndexMask, text[j]);
                if (v == 0)
                {
                    break;
                }

                j++;
                if ((v & Terminal) != 0)
                {
                    Report(v, i, j, results, -1);
                }

                if ((v & HasChildren) == 0 || j >= n)
                {
                    break;
                }
            }
        }
    }

    private void FindAllCollapsing(ReadOnlySpan<char> text, List<PhraseMatch> results)
    {
        var root = _root;
        var n = text.Length;
        Span<Pending> pending = stackalloc Pending[MaxPendingBranches];
        for (var i = 0; i < n; i++)
        {
            var c0 = text[i];
            if (i > 0 && text[i - 1] == c0)
            {
                continue; // matches start at the first character of a run
            }

            var v = root[c0];
            if (v == 0)
            {
                continue;
            }

            if ((v & Terminal) != 0)
            {
                Report(v, i, i + 1, results, -1);
            }

            if ((v & HasChildren) == 0 || i + 1 >= n)
            {
                continue;
            }

            var c1 = text[i + 1];
            if (c1 != c0 && !MaybeBigram(c0, c1))
            {
                continue;
            }

            var firstOfStart = results.Count;
            var branched = false;
            var count = 0;
            pending[count++] = new Pending(v, i + 1, c0);
            while (count > 0)
            {
                var state = pending[--count];
                v = state.Node;
                var j = state.Next;
                var prev = state.Prev;
                while (j < n && (v & HasChildren) != 0)
                {
                    var c = text[j];
                    var child = Child(v & IndexMask, c);
                    if (c == prev)
                    {
                        if (child == 0)
                        {
                            j++; // absorb the repeat
                            continue;
                        }

                        // Either the repeat is the pattern's next character, or it is absorbed: try both.
                        if (count < MaxPendingBranches)
                        {
                            pending[count++] = new Pending(v, j + 1, prev);
                            branched = true;
                        }
                    }

                    if (child == 0)
                    {
                        break;
                    }

                    v = child;
                    j++;
                    prev = c;
                    if ((v & Terminal) != 0)
                    {
                        Report(v, i, j, results, branched ? firstOfStart : -1);
                    }
                }
            }
        }
    }

    private readonly record struct Pending(int Node, int Next, char Prev);

    private void Report(int value, int start, int end, List<PhraseMatch> results, int dedupeFrom)
    {
        for (var p = _outFirst[value & IndexMask]; p >= 0; p = _outNext[p])
        {
            if (dedupeFrom >= 0 && AlreadyReported(results, dedupeFrom, p))
            {
                continue;
            }

            results.Add(new PhraseMatch(p, start, end));
        }

        static bool AlreadyReported(List<PhraseMatch> results, int from, int pattern)
        {
            for (var k = from; k < results.Count; k++)
            {
                if (results[k].Pattern == pattern)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private int Child(int node, char c)
    {
        var key = ((ulong)node << 16) | c;
        var edges = _edges;
        var mask = edges.Length - 1;
        var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
        while (true)
        {
            var e = edges[slot];
            if ((e & KeyMask) == key)
            {
                return (int)(e >> KeyBits);
            }

            if (e == 0)
            {
                return 0;
            }

            slot = (slot + 1) & mask;
        }
    }

    private static int BigramSlot(char c0, char c1) => (int)((((uint)c0 << 16) | c1) * 0x9E3779B1u >> (32 - BigramBits));

    private void SetBigram(char c0, char c1)
    {
        var slot = BigramSlot(c0, c1);
        _bigrams[slot >> 6] |= 1UL << (slot & 63);
    }

    private bool MaybeBigram(char c0, char c1)
    {
        var slot = BigramSlot(c0, c1);
        return (_bigrams[slot >> 6] & (1UL << (slot & 63))) != 0;
    }
}
