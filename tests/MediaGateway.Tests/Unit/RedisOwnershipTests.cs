using System.Text.RegularExpressions;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Unit;

/// <summary>
/// Decision 34: Redis keys and commands belong to the stores. Only a store (a class named …Store, the Storage folder, or
/// one of the few classes below that own their keys) holds the connection; watchers, APIs, health, observability and
/// reports ask a store. This reads the gateway's sources and names every file that breaks the rule.
/// </summary>
public sealed partial class RedisOwnershipTests
{
    /// <summary>Files that may talk to Redis although their name does not end in Store, each with the reason.</summary>
    private static readonly Dictionary<string, string> Owners = new(StringComparer.Ordinal)
    {
        ["Audit/AuditLog.cs"] = "the audit chain's store",
        ["Audit/AuditVerifier.cs"] = "part of AuditLog (made by AuditLog.VerifyAsync): reads the chain it checks",
        ["Audit/AuditCheckpoints.cs"] = "compares the chain with its checkpoints outside Redis",
        ["Calendar/CalendarNotices.cs"] = "owns {mg}:calendar:notices",
        ["Publishing/DeadLetters.cs"] = "owns {mg}:publish:dead-letters",
        ["Publishing/PostOwnership.cs"] = "owns {mg}:post:… and {mg}:sends:… (decision 22)",
        ["Publishing/PublishingControl.cs"] = "owns pauses, holds and parked sets ({mg}:pause:…)",
        ["Publishing/PublishQueue.cs"] = "owns the work streams, due sets and leases",
        ["Publishing/RedisWeChatTokenCache.cs"] = "owns {mg}:wechat:token:… and its lock",
        ["Publishing/StepInputs.cs"] = "reads what a step needs in one round trip (decision 19)",
        ["Publishing/WeChatMassSlots.cs"] = "owns {mg}:wechat:mass-slots:…",
    };

    [GeneratedRegex(@"\bIConnectionMultiplexer\b|\bIDatabase\b|\bGetDatabase\(")]
    private static partial Regex TalksToRedis();

    private static readonly string Sources = Path.Combine(RepoPaths.Root, "src", "MediaGateway");

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Sources, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Sources, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal));

    private static bool IsStore(string file) =>
        file.StartsWith("Storage/", StringComparison.Ordinal) || file.EndsWith("Store.cs", StringComparison.Ordinal) || Owners.ContainsKey(file);

    [Fact]
    public void OnlyStores_HoldTheRedisConnection()
    {
        var offenders = SourceFiles()
            .Where(f => !IsStore(f) && TalksToRedis().IsMatch(File.ReadAllText(Path.Combine(Sources, f))))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offenders.Count == 0,
            "These files use Redis directly; move their commands into the store that owns the keys (decision 34):\n  " + string.Join("\n  ", offenders));
    }

    [Fact]
    public void EveryNamedOwner_StillTalksToRedis()
    {
        // An owner that no longer uses Redis comes off the list, so the list stays the list of exceptions that exist.
        var stale = Owners.Keys
            .Where(f => !File.Exists(Path.Combine(Sources, f)) || !TalksToRedis().IsMatch(File.ReadAllText(Path.Combine(Sources, f))))
            .ToList();

        Assert.True(stale.Count == 0, "Listed as Redis owners but not using Redis: " + string.Join(", ", stale));
    }
}
