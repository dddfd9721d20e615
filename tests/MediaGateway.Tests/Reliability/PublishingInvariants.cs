using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Reliability;

/// <summary>
/// A post as the sandbox knows it: which account, its platform id (Weibo idstr, WeChat article_id, mass msg_id), which of the
/// run's items made it (by the item's marker: in a WeChat article's body, in a Weibo post's picture), and whether it is live.
/// </summary>
public sealed record SandboxPost(string AccountId, string PostId, int Owner, bool Live, string What);

/// <summary>The sandboxes' own truth after a run, read from their in-process state (not through the gateway).</summary>
public sealed class PlatformTruth
{
    /// <summary>In the articles another client (not the gateway) mass-sends to use up the quota: not the run's posts.</summary>
    public const string ElsewhereMarker = "ELSEWHERE";

    public required IReadOnlyList<SandboxPost> Posts { get; init; }

    /// <summary>Drafts handed to freepublish/submit (or accepted by mass/sendall) more than once: (kind, media_id, ids).</summary>
    public required IReadOnlyList<(string Kind, string DraftMediaId, string Ids)> RepeatedDrafts { get; init; }

    /// <summary>WeChat jobs still publishing (publish_status 1) and mass sends still SENDING.</summary>
    public required IReadOnlyList<string> InFlight { get; init; }

    public static PlatformTruth Read(GatewayTestHost world, IReadOnlyList<PublishingProperty.RunItem> items)
    {
        int OwnerOf(Func<PublishingProperty.RunItem, bool> made) => items.FirstOrDefault(made)?.Index ?? -1;
        var posts = new List<SandboxPost>();
        foreach (var s in world.Weibo.Statuses)
        {
            posts.Add(new SandboxPost("wb-city", s.IdStr, OwnerOf(i => s.OriginalPic?.Contains(i.CoverSha256, StringComparison.Ordinal) == true),
                !s.Destroyed, $"weibo {s.IdStr} at {s.CreatedAt:HH:mm:ss.fff}{(s.Destroyed ? " destroyed" : "")}"));
        }

        foreach (var a in world.WeChat.PublishedArticles.Where(a => a.AppId == GatewayTestHost.CityAppId))
        {
            posts.Add(new SandboxPost("wx-city", a.ArticleId, OwnerOf(i => a.Content.Contains(i.Marker, StringComparison.Ordinal)),
                !a.Deleted, $"article {a.ArticleId} (publish_id {a.PublishId}) at {a.PublishedAt:HH:mm:ss.fff}{(a.Deleted ? " deleted" : "")}"));
        }

        var submissions = world.WeChat.Submissions.Where(m => !m.Contents.Any(c => c.Contains(ElsewhereMarker, StringComparison.Ordinal))).ToList();
        foreach (var m in submissions.Where(m => m.Kind == "mass" && m.AppId == GatewayTestHost.MassAppId && m.Status is "SEND_SUCCESS" or "SENDING" or "DELETE"))
        {
            var id = m.Id.ToString(CultureInfo.InvariantCulture);
            posts.Add(new SandboxPost("wx-mass", id, OwnerOf(i => m.Contents.Any(c => c.Contains(i.Marker, StringComparison.Ordinal))),
                m.Status != "DELETE", $"mass msg_id {id} {m.Status} at {m.At:HH:mm:ss.fff}"));
        }

        var repeated = submissions.Where(s => s.Kind == "freepublish" || s.Status != "SEND_FAIL")
            .GroupBy(s => (s.Kind, s.DraftMediaId)).Where(g => g.Count() > 1)
            .Select(g => (g.Key.Kind, g.Key.DraftMediaId, string.Join(", ", g.Select(s => $"{s.Id} ({s.Status} at {s.At:HH:mm:ss.fff})")))).ToList();
        var inFlight = submissions.Where(s => s.Status is "1" or "SENDING")
            .Select(s => $"{s.Kind} {s.Id} of draft {s.DraftMediaId} still {(s.Status == "1" ? "publishing" : "SENDING")}").ToList();
        return new PlatformTruth { Posts = posts, RepeatedDrafts = repeated, InFlight = inFlight };
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var p in Posts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {p.AccountId}: {p.What}, made for {(p.Owner < 0 ? "no item of the run" : "#" + p.Owner)}");
        }

        foreach (var (kind, draft, ids) in RepeatedDrafts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {kind} draft {draft} sent {ids}");
        }

        foreach (var f in InFlight)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {f}");
        }

        return text.Length == 0 ? "  (no posts)\n" : text.ToString();
    }
}

/// <summary>Issue 18's invariants, each violation named by its number (docs/reliability-tests.md).</summary>
public static class Invariants
{
    private sealed record Pub(int Index, string AccountId, string State, string? PlatformId, string? Retraction, IReadOnlyList<string> Candidates, JsonObject Json);

    public static IEnumerable<string> Check(IReadOnlyList<PublishingProperty.RunItem> runItems, IReadOnlyDictionary<int, JsonObject> items,
        PlatformTruth truth, IReadOnlyList<string> unsettled)
    {
        var pubs = items.SelectMany(i => i.Value["publications"]!.AsArray().Select(p => Read(i.Key, p!.AsObject()))).ToList();
        Pub? PubOf(int index, string account) => pubs.FirstOrDefault(p => p.Index == index && p.AccountId == account);
        SandboxPost? PostOf(string account, string id) => truth.Posts.FirstOrDefault(p => p.AccountId == account && p.PostId == id);

        // 1. A platform post is held by at most one publication.
        foreach (var held in pubs.Where(p => p.PlatformId is not null).GroupBy(p => (p.AccountId, p.PlatformId)).Where(g => g.Count() > 1))
        {
            yield return $"[1] post {held.Key.PlatformId} on {held.Key.AccountId} is held by {string.Join(" and ", held.Select(p => $"#{p.Index} ({p.State})"))}";
        }

        // 2. A publication called published holds exactly one post, its own; every post belongs to exactly one publication.
        foreach (var p in pubs.Where(p => p.State is "published" or "retracted" || p.Retraction is not null))
        {
            if (p.PlatformId is null)
            {
                yield return $"[2] #{p.Index} {p.AccountId} is {p.State} without a platform id";
            }
            else if (PostOf(p.AccountId, p.PlatformId) is not { } post)
            {
                yield return $"[2] #{p.Index} {p.AccountId} holds {p.PlatformId}, which is no post on the platform";
            }
            else if (post.Owner != p.Index)
            {
                yield return $"[2] #{p.Index} {p.AccountId} holds {p.PlatformId}, which item #{post.Owner} made (same text, not an identity)";
            }
        }

        foreach (var post in truth.Posts)
        {
            if (post.Owner < 0)
            {
                yield return $"[2] {post.AccountId} {post.What} was made for no item of the run";
                continue;
            }

            var owner = PubOf(post.Owner, post.AccountId);
            if (owner?.PlatformId == post.PostId) continue;
            // Stopping to ask a person, with this post among the evidence, is the record telling the truth.
            if (pubs.Any(p => p.State == "needsDecision" && p.Candidates.Contains(post.PostId))) continue;
            yield return owner is null
                ? $"[2] {post.AccountId} {post.What} of #{post.Owner}, which has no publication on {post.AccountId}"
                : $"[2] {post.AccountId} {post.What} of #{post.Owner} is held by no publication of it (#{post.Owner} says {owner.State}, holds {owner.PlatformId ?? "nothing"})";
        }

        foreach (var twice in truth.Posts.Where(p => p.Owner >= 0).GroupBy(p => (p.Owner, p.AccountId)).Where(g => g.Count() > 1))
        {
            yield return $"[2] #{twice.Key.Owner} was posted {twice.Count()} times on {twice.Key.AccountId}: {string.Join("; ", twice.Select(p => p.What))}";
        }

        // 3. No WeChat draft is submitted (or mass-sent) twice.
        foreach (var (kind, draft, ids) in truth.RepeatedDrafts)
        {
            yield return $"[3] {kind} draft {draft} was sent more than once: {ids}";
        }

        // 4. A retraction deletes only its own publication's posts.
        foreach (var post in truth.Posts.Where(p => !p.Live && p.Owner >= 0 && !runItems[p.Owner].RetractionApproved))
        {
            yield return $"[4] {post.AccountId} {post.What} of #{post.Owner} was deleted, though #{post.Owner} was never retracted";
        }

        // 5. Every state shown equals the platform's truth.
        foreach (var p in pubs)
        {
            var own = truth.Posts.Where(x => x.Owner == p.Index && x.AccountId == p.AccountId).ToList();
            var held = p.PlatformId is null ? null : PostOf(p.AccountId, p.PlatformId);
            if (p.State == "published" && held is { Live: false })
            {
                yield return $"[5] #{p.Index} {p.AccountId} says published, but its post {held.PostId} is deleted"
                             + (p.Retraction == "retracted" ? " (the retraction was recorded, the state left published)" : string.Empty);
            }

            if (p.Retraction == "retracted" || p.State == "retracted")
            {
                foreach (var live in own.Where(x => x.Live))
                {
                    yield return $"[5] #{p.Index} {p.AccountId} says retracted, but its post {live.What} is live";
                }
            }

            if (p.State is "failed" or "cancelled" && own.Count > 0)
            {
                yield return $"[5] #{p.Index} {p.AccountId} says {p.State}, but the platform has its post(s): {string.Join("; ", own.Select(x => x.What))}";
            }

            if (p.State is "queued" or "scheduled" && own.Any(x => x.Live) && !unsettled.Contains(Key(p)))
            {
                yield return $"[5] #{p.Index} {p.AccountId} rests {p.State}, but its post is live: {string.Join("; ", own.Select(x => x.What))}";
            }

            if (unsettled.Contains(Key(p)))
            {
                var notes = p.Json["history"]!.AsArray().TakeLast(3).Select(h => h!["note"]!.GetValue<string>());
                yield return $"[5] #{p.Index} {p.AccountId} never came to rest in {PublishingProperty.SettleLimit.TotalSeconds:0} s: {p.State}, "
                             + $"due {p.Json["dueAt"]}; on the platform: {(own.Count == 0 ? "no post of it" : string.Join("; ", own.Select(x => x.What)))} — {string.Join(" | ", notes)}";
            }
        }
    }

    public static string Key(int index, string account) => $"#{index} {account}";

    private static string Key(Pub p) => Key(p.Index, p.AccountId);

    private static Pub Read(int index, JsonObject p) => new(
        index,
        p["accountId"]!.GetValue<string>(),
        // What a person is shown: the derived status says "retracted" once the post is taken down (the stored state stays
        // the machine's "published"); every other status is read from the state.
        p["status"]?.GetValue<string>() == "retracted" ? "retracted" : p["state"]!.GetValue<string>(),
        p["platformId"]?.GetValue<string>(),
        p["retraction"]?.GetValue<string>(),
        p["decision"]?["candidates"]?.AsArray().Select(c => c!["platformId"]!.GetValue<string>()).ToList() ?? [],
        p);
}
