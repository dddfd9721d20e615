using System.Text.Json.Nodes;
using MediaGateway.Storage;

namespace MediaGateway.Audit;

/// <summary>
/// The large, repeated lists in an entry's details are stored once, under the SHA-256 of their JSON, and the entry names
/// them by that hash: <c>{"part": "&lt;hex&gt;", "count": n}</c> in place of the target accounts with their ownership
/// records (<c>accounts</c>) and of the item's fingerprints per account (<c>content.fingerprints</c>). An item for 200
/// accounts has eight or more entries (submitted, every review request and decision, approved), and each copied the same
/// ~76 KB; now they share one copy. Nothing is weaker for it: the entry's hash and signature cover the part's name, and the
/// name is the hash of the part's bytes, so verification (<see cref="AuditVerifier"/>) finds a changed or missing part and
/// names every entry that refers to it. Small lists (a publication's one account) stay in the entry.
/// </summary>
internal static class AuditParts
{
    /// <summary>A list whose JSON is at least this long is stored as a part.</summary>
    public const int Threshold = 2048;

    /// <summary>A stored part: its name (the SHA-256 of <see cref="Json"/>, lower-case hex) and its bytes.</summary>
    internal sealed record Part(string Hash, byte[] Json);

    /// <summary>
    /// The details to store in the entry: a copy of <paramref name="details"/> with each large list replaced by its
    /// reference, the lists themselves added to <paramref name="parts"/>. The event's own details are left as they were.
    /// </summary>
    public static JsonObject Split(JsonObject details, ICollection<Part> parts)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(parts);
        var accounts = details["accounts"] is JsonArray list ? PartOf(list) : null;
        var fingerprints = details["content"] is JsonObject content && content["fingerprints"] is JsonObject map ? PartOf(map) : null;
        if (accounts is null && fingerprints is null)
        {
            return details; // nothing long (a publication's one account): the entry holds the details as they are
        }

        var result = new JsonObject();
        foreach (var (name, value) in details)
        {
            result[name] = (name, value) switch
            {
                ("accounts", JsonArray a) when accounts is not null => Reference(accounts, a.Count, parts),
                ("content", JsonObject c) when fingerprints is not null => WithFingerprints(c, fingerprints, parts),
                _ => value?.DeepClone(),
            };
        }

        return result;
    }

    /// <summary>The parts an entry's details name, as (where, hash): "accounts" or "content.fingerprints".</summary>
    public static IEnumerable<(string Where, string Hash)> ReferencesIn(JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        if (HashOf(details["accounts"]) is { } accounts) yield return ("accounts", accounts);
        if (HashOf(details["content"]?["fingerprints"]) is { } fingerprints) yield return ("content.fingerprints", fingerprints);
    }

    private static string? HashOf(JsonNode? node) =>
        node is JsonObject reference && reference["part"] is JsonValue value && value.TryGetValue<string>(out var hash) ? hash : null;

    private static JsonObject WithFingerprints(JsonObject content, Part fingerprints, ICollection<Part> parts)
    {
        var result = new JsonObject();
        foreach (var (name, value) in content)
        {
            result[name] = name == "fingerprints" && value is JsonObject map ? Reference(fingerprints, map.Count, parts) : value?.DeepClone();
        }

        return result;
    }

    /// <summary>The list as a part when its JSON is long enough to be worth storing once; otherwise null.</summary>
    private static Part? PartOf(JsonNode list)
    {
        var json = Json.SerializeUtf8(list);
        return json.Length < Threshold ? null : new Part(AuditLog.HashOf(json), json);
    }

    private static JsonObject Reference(Part part, int count, ICollection<Part> parts)
    {
        parts.Add(part);
        return new JsonObject { ["part"] = part.Hash, ["count"] = count };
    }
}
