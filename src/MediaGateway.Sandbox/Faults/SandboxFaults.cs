using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGateway.Sandbox;

/// <summary>The fault switch of one sandbox: thread-safe, consumed request by request.</summary>
public sealed class SandboxFaults
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];
    private long _latencyTicks;

    /// <summary>
    /// Wall-clock latency added to every API request (control routes excepted) until changed, before any fault applies:
    /// a slow network for load runs and crash tests. Zero = none.
    /// </summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref _latencyTicks, value.Ticks);
        }
    }

    public void Add(SandboxFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (string.IsNullOrWhiteSpace(fault.Path))
        {
            throw new ArgumentException("A fault needs a path.", nameof(fault));
        }

        if (fault.Times < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fault), "Times must be at least 1.");
        }

        lock (_gate)
        {
            _entries.Add(new Entry(fault, fault.Times));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    /// <summary>Faults still armed (for the control endpoint), with the remaining count as Times.</summary>
    public IReadOnlyList<SandboxFault> Pending
    {
        get
        {
            lock (_gate)
            {
                return _entries.Select(e => e.Fault with { Times = e.Remaining }).ToList();
            }
        }
    }

    /// <summary>Takes one use of the first armed fault for this path (null when none).</summary>
    internal SandboxFault? TryTake(string path, Func<SandboxFault, bool>? filter = null)
    {
        var normalized = Normalize(path);
        lock (_gate)
        {
            for (var i = 0; i < _entries.Count; i++)
            {
                var entry = _entries[i];
                // Path "*" matches every path the middleware sees (control routes never reach it).
                if ((entry.Fault.Path.Trim() != "*" && !string.Equals(Normalize(entry.Fault.Path), normalized, StringComparison.OrdinalIgnoreCase))
                    || (filter is not null && !filter(entry.Fault)))
                {
                    continue;
                }

                entry.Remaining--;
                if (entry.Remaining <= 0)
                {
                    _entries.RemoveAt(i);
                }

                return entry.Fault;
            }
        }

        return null;
    }

    private static string Normalize(string path)
    {
        var p = path.Trim();
        if (!p.StartsWith('/'))
        {
            p = "/" + p;
        }

        return p.Length > 1 ? p.TrimEnd('/') : p;
    }

    /// <summary>Reads a fault posted to /_sandbox/faults: camelCase or PascalCase; Delay as "hh:mm:ss" or delayMs.</summary>
    internal static SandboxFault Parse(string json)
    {
        var node = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("A fault is a JSON object.");
        var fault = node.Deserialize<SandboxFault>(WebJson) ?? throw new JsonException("A fault is a JSON object.");
        foreach (var (key, value) in node)
        {
            if (string.Equals(key, "delayMs", StringComparison.OrdinalIgnoreCase) && value is not null)
            {
                fault = fault with { Delay = TimeSpan.FromMilliseconds(value.GetValue<double>()) };
            }
        }

        return fault;
    }

    /// <summary>camelCase JSON for the control routes; non-ASCII written raw like the platforms do.</summary>
    internal static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed class Entry(SandboxFault fault, int remaining)
    {
        public SandboxFault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}
