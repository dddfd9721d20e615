using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediaGateway.Hosting;
using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Audit;

/// <summary>Section "Audit".</summary>
internal sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Secret reference (env:NAME or file:path) to the key that signs the chain; required in Production.</summary>
    public string? KeyRef { get; set; }

    /// <summary>Where checkpoints are appended, relative to the config directory's parent (like Redis:Embedded:DataDirectory).</summary>
    public string CheckpointDirectory { get; set; } = ".data/audit";

    /// <summary>How often a checkpoint is written (when the chain moved); one is always written at a graceful stop.</summary>
    public int CheckpointMinutes { get; set; } = 5;

    /// <summary>Names this gateway's checkpoint file; default the machine name. Give each instance on one machine its own.</summary>
    public string? InstanceName { get; set; }
}

/// <summary>
/// One checkpoint: the chain's length and head hash as seen at <see cref="At"/>, its first entry's hash (which chain it
/// is), from which entry on the chain is signed, all signed with the audit key. Kept outside Redis, so cutting the tail
/// of the chain and rewinding its head — which the chain alone cannot show — disagrees with the last checkpoint.
/// </summary>
internal sealed record AuditCheckpoint
{
    public int V { get; init; } = 1;
    public required string Prefix { get; init; }
    public required string Instance { get; init; }
    public required long Seq { get; init; }
    public required string Head { get; init; }
    public required string Chain { get; init; }
    public long? KeyedFrom { get; init; }
    public required string At { get; init; }
    public required string Reason { get; init; }
    public required string Kid { get; init; }
    public string? Mac { get; init; }

    [JsonIgnore]
    public string SignedText => string.Join('\n', Prefix, Instance, Seq.ToString(CultureInfo.InvariantCulture), Head, Chain,
        KeyedFrom?.ToString(CultureInfo.InvariantCulture) ?? "", At, Reason);
}

/// <summary>A checkpoint as read back, with where it was found and whether its signature holds.</summary>
internal sealed record ReadCheckpoint(AuditCheckpoint? Checkpoint, string File, int Line, bool Valid);

/// <summary>
/// The checkpoint files: one append-only JSON-lines file per gateway instance and key prefix
/// (<c>{prefix}.{instance}.checkpoints.jsonl</c>) in <see cref="AuditOptions.CheckpointDirectory"/>. Lines are only
/// ever appended; every instance's file is read when verifying.
/// </summary>
internal sealed class AuditCheckpoints(IConnectionMultiplexer redis, RedisKeys keys, AuditKey key, AuditCheckpointLocation location, TimeProvider time)
{
    private readonly string _prefix = keys.Tag[1..^1];

    private static readonly JsonSerializerOptions LineOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private string? _chain;
    private long? _keyedFrom;
    private (long Seq, string Hash)? _lastWritten;

    public string Directory => location.Directory;

    private string FileName => Path.Combine(location.Directory, $"{_prefix}.{location.Instance}.checkpoints.jsonl");

    /// <summary>
    /// Appends a checkpoint of the chain as it is now, unless the chain is empty or this instance already wrote one at
    /// this head. Returns what was written.
    /// </summary>
    public async Task<AuditCheckpoint?> TakeAsync(string reason)
    {
        var db = redis.GetDatabase();
        var head = await db.StringGetAsync(keys.AuditHead);
        if (head.IsNull) return null;
        var text = (string)head!;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var (seq, hash) = (long.Parse(text[..colon], CultureInfo.InvariantCulture), text[(colon + 1)..]);
        if (_lastWritten == (seq, hash)) return null;
        if (_chain is null)
        {
            var first = await db.StreamRangeAsync(keys.AuditStream, "1-0", "1-0");
            if (first.Length == 0) return null;
            _chain = (string?)first[0]["hash"];
            if (_chain is null) return null;
        }

        if (_keyedFrom is null)
        {
            var keyedFrom = await db.StringGetAsync(keys.AuditKeyedFrom);
            _keyedFrom = keyedFrom.IsNull ? null : (long)keyedFrom;
        }

        var checkpoint = new AuditCheckpoint
        {
            Prefix = _prefix, Instance = location.Instance, Seq = seq, Head = hash, Chain = _chain, KeyedFrom = _keyedFrom,
            At = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), Reason = reason, Kid = key.Id,
        };
        checkpoint = checkpoint with { Mac = key.Sign("checkpoint", checkpoint.SignedText) };
        Append(JsonSerializer.Serialize(checkpoint, LineOptions) + "\n");
        _lastWritten = (seq, hash);
        return checkpoint;
    }

    /// <summary>Every checkpoint of this key prefix, from every instance's file, with its signature checked.</summary>
    public IReadOnlyList<ReadCheckpoint> ReadAll()
    {
        var result = new List<ReadCheckpoint>();
        if (!System.IO.Directory.Exists(location.Directory)) return result;
        foreach (var path in System.IO.Directory.GetFiles(location.Directory, $"{_prefix}.*.checkpoints.jsonl").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var lineNumber = 0;
            foreach (var line in WithRetry(() => File.ReadAllLines(path)))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                AuditCheckpoint? checkpoint;
                try
                {
                    checkpoint = JsonSerializer.Deserialize<AuditCheckpoint>(line, LineOptions);
                }
                catch (JsonException)
                {
                    checkpoint = null;
                }

                var valid = checkpoint is not null && checkpoint.Prefix == _prefix && key.Verifies("checkpoint", checkpoint.SignedText, checkpoint.Mac);
                result.Add(new ReadCheckpoint(checkpoint, name, lineNumber, valid));
            }
        }

        return result;
    }

    /// <summary>One write of the whole line, with the file locked, flushed to disk: lines of two writers never mix.</summary>
    private void Append(string line)
    {
        System.IO.Directory.CreateDirectory(location.Directory);
        var bytes = Encoding.UTF8.GetBytes(line);
        WithRetry(() =>
        {
            using var file = new FileStream(FileName, FileMode.Append, FileAccess.Write, FileShare.None);
            file.Write(bytes);
            file.Flush(flushToDisk: true);
            return true;
        });
    }

    private static T WithRetry<T>(Func<T> action)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return action();
            }
            catch (IOException) when (attempt < 50)
            {
                // Another process holds the file for the few microseconds of its write: a real wait, on no test clock.
#pragma warning disable RS0030 // banned API: this synchronous retry waits out another process, in real time
                Thread.Sleep(20);
#pragma warning restore RS0030
            }
        }
    }
}

/// <summary>Where this gateway's checkpoints go, and the instance name its file carries.</summary>
internal sealed record AuditCheckpointLocation(string Directory, string Instance)
{
    public static AuditCheckpointLocation From(AuditOptions options, ConfigDirectory configDirectory)
    {
        var directory = Path.GetFullPath(Path.Combine(configDirectory.Path, "..", options.CheckpointDirectory));
        var instance = string.IsNullOrWhiteSpace(options.InstanceName) ? Environment.MachineName : options.InstanceName.Trim();
        var safe = new string(instance.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return new AuditCheckpointLocation(directory, safe);
    }
}
