using System.Globalization;
using MediaGateway.Content;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using StackExchange.Redis;

namespace MediaGateway.Audit;

/// <summary>
/// One verification of the audit chain (see <see cref="AuditLog.VerifyAsync"/>). Problems of one kind on consecutive
/// entries are reported as one range; each message is Chinese first, then English.
/// </summary>
internal sealed class AuditVerifier(IConnectionMultiplexer redis, RedisKeys keys, AuditKey key, AuditCheckpoints checkpoints)
{
    private const int MaxProblems = 100;
    /// <summary>A review newer than the last audited entry by less than this may still be on its way into the chain.</summary>
    private static readonly TimeSpan InFlight = TimeSpan.FromMinutes(1);

    private readonly List<AuditProblem> _problems = [];
    private int _omitted;
    private (string Kind, long From, long To, string Extra)? _run;
    /// <summary>Shared parts read so far (<see cref="AuditParts"/>): null when intact, else the problem's kind; and, for the bad ones, the entries that refer to them.</summary>
    private readonly Dictionary<string, string?> _parts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Where, long Seq)>> _partUsers = new(StringComparer.Ordinal);

    private sealed record AuditedReview(long Seq, string ContentId, int Revision, int Level, string Decision, string Actor);

    public async Task<AuditVerification> VerifyAsync(bool crossCheckItems, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var (headSeq, headHash) = await HeadAsync(db);

        // The checkpoints outside Redis: a line whose signature fails was edited, or written with another key.
        var read = checkpoints.ReadAll();
        foreach (var bad in read.Where(r => !r.Valid))
        {
            Add("checkpoint-signature", null, null, null,
                $"检查点文件 {bad.File} 第 {bad.Line} 行签名不符（被改动，或用另一把密钥写成） / checkpoint file {bad.File} line {bad.Line}: its signature does not match (edited, or written with another key)");
        }

        var first = await db.StreamRangeAsync(keys.AuditStream, "1-0", "1-0");
        var chainId = first.Length == 1 ? (string?)first[0]["hash"] : null;
        var valid = read.Where(r => r.Valid).Select(r => r.Checkpoint!).ToList();
        // Checkpoints of another chain (another Redis under the same prefix and directory) say nothing about this one.
        var ours = chainId is null ? valid : valid.Where(c => c.Chain == chainId).ToList();
        var bySeq = ours.ToLookup(c => c.Seq);
        var trustedKeyedFrom = ours.Where(c => c.KeyedFrom is not null).Select(c => c.KeyedFrom).Min();

        long expected = 1, last = 0, count = 0, legacy = 0;
        long? firstSigned = null;
        var previousHash = AuditLog.Genesis;
        var skipLink = false;
        DateTimeOffset? lastAt = null;
        var reviews = new List<AuditedReview>();
        RedisValue from = "-";
        while (expected <= headSeq)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await db.StreamRangeAsync(keys.AuditStream, from, $"{headSeq}-0", 500);
            var fresh = page.Where(raw => raw.Id != from).ToList();
            if (fresh.Count == 0) break;
            foreach (var raw in fresh)
            {
                var idSeq = long.Parse(((string)raw.Id!).Split('-')[0], CultureInfo.InvariantCulture);
                if (idSeq > expected) Add("missing", expected, idSeq - 1, null, null);
                StoredAuditEntry stored;
                try
                {
                    stored = AuditLog.Read(raw);
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
                {
                    Add("unreadable", idSeq, idSeq, null, $"第 {idSeq} 条无法读取 / entry {idSeq} cannot be read: {e.Message}");
                    previousHash = (string?)raw["hash"] ?? previousHash;
                    (skipLink, expected, last) = (true, idSeq + 1, idSeq);
                    continue;
                }

                var seq = stored.Entry.Seq;
                if (seq != idSeq)
                    Add("misnumbered", idSeq, idSeq, null, $"第 {idSeq} 条自称第 {seq} 条 / entry {raw.Id} claims sequence {seq}");
                seq = idSeq;
                var contentMatches = AuditLog.HashOf(stored.Body) == stored.Hash;
                if (!contentMatches) AddRun("altered", seq);

                var mac = (string?)raw["mac"];
                if (mac is null)
                {
                    var keyedFrom = trustedKeyedFrom ?? firstSigned;
                    if (keyedFrom is not null && seq >= keyedFrom) AddRun("unsigned", seq, keyedFrom.Value.ToString(CultureInfo.InvariantCulture));
                    else legacy++;
                }
                else
                {
                    firstSigned ??= seq;
                    var kid = (string?)raw["kid"] ?? "";
                    if (kid != key.Id) AddRun("other-key", seq, kid);
                    else if (contentMatches && !key.Verifies("entry", stored.Hash, mac)) AddRun("rewritten", seq);
                }

                if (!skipLink && stored.Entry.PreviousHash != previousHash) AddRun("unlinked", seq);
                foreach (var checkpoint in bySeq[seq].Where(c => c.Head != stored.Hash))
                {
                    Add("checkpoint-differs", seq, seq, null,
                        $"第 {seq} 条与检查点不符（{checkpoint.Instance}，{checkpoint.At}）：此条或其前的条目被改写 / entry {seq} differs from the checkpoint written by {checkpoint.Instance} at {checkpoint.At}: it or an entry before it was rewritten");
                }

                foreach (var (where, hash) in AuditParts.ReferencesIn(stored.Entry.Details))
                {
                    if (await PartProblemAsync(db, hash) is not null) _partUsers[hash].Add((where, seq));
                }

                Collect(stored, seq, reviews);
                (previousHash, skipLink, last, expected, lastAt) = (stored.Hash, false, seq, seq + 1, stored.Entry.At);
                count++;
            }

            from = fresh[^1].Id;
        }

        if (last < headSeq)
        {
            Add("missing", last + 1, headSeq, null,
                $"{Range(last + 1, headSeq, zh: true)}缺失：链头记录链有 {headSeq} 条 / {Range(last + 1, headSeq, zh: false)} {(last + 1 == headSeq ? "is" : "are")} missing: the head says the chain has {headSeq} entries");
        }
        else if (headSeq > 0 && headHash != previousHash)
        {
            Add("head-differs", headSeq, headSeq, null,
                $"第 {headSeq} 条被改动：链头记录的哈希（{AuditLog.Short(headHash)}）与链末（{AuditLog.Short(previousHash)}）不同 / entry {headSeq} was altered: the head records another hash ({AuditLog.Short(headHash)}) than the chain's last ({AuditLog.Short(previousHash)})");
        }

        var latest = ours.MaxBy(c => (c.Seq, c.At));
        if (latest is not null && latest.Seq > headSeq)
        {
            Add("cut", headSeq + 1, latest.Seq, null,
                $"{Range(headSeq + 1, latest.Seq, zh: true)}已被删除：检查点（{latest.Instance}，{latest.At}）记录链有 {latest.Seq} 条，现只有 {headSeq} 条 / {Range(headSeq + 1, latest.Seq, zh: false)} {(headSeq + 1 == latest.Seq ? "was" : "were")} deleted: the checkpoint written by {latest.Instance} at {latest.At} records {latest.Seq} entries, the chain now has {headSeq}");
        }

        Flush();
        foreach (var (hash, users) in _partUsers.Where(p => p.Value.Count > 0))
        {
            var (kind, where) = (_parts[hash]!, users[0].Where);
            var seqs = string.Join(", ", users.Take(10).Select(u => u.Seq)) + (users.Count > 10 ? " …" : "");
            var (zh, en) = kind == "part-missing" ? ("已不存在", "is gone") : ("被改动：内容与其哈希不符", "was altered: its content does not match its hash");
            Add(kind, users[0].Seq, users[^1].Seq, null,
                $"共享部分 {where} {AuditLog.Short(hash)} {zh}；引用它的 {users.Count} 条：第 {seqs} 条 / the shared part {where} {AuditLog.Short(hash)} {en}; {users.Count} entries refer to it: {seqs}");
        }

        var itemsChecked = crossCheckItems ? await CrossCheckAsync(db, reviews, lastAt, cancellationToken) : 0;
        Flush();

        var notes = new List<string>();
        if (legacy > 0)
        {
            notes.Add($"{legacy} 条旧条目写于审计链签名之前（未签名），只受哈希链和检查点保护 / {legacy} unkeyed legacy entries were written before the chain was signed: only the hash chain and the checkpoints protect them");
        }

        if (ours.Count == 0)
        {
            notes.Add("尚无检查点：在第一个检查点写出之前，删除链尾并回退链头无法被发现 / no checkpoint yet: until the first one is written, a cut tail with a rewound head cannot be detected");
        }

        if (valid.Count > ours.Count)
        {
            notes.Add($"{valid.Count - ours.Count} 个检查点属于另一条链（首条不同），未用于校验 / {valid.Count - ours.Count} checkpoints belong to another chain (its first entry differs) and were not used");
        }

        var intact = _problems.Count == 0;
        var firstProblem = _problems.FirstOrDefault();
        return new AuditVerification
        {
            Intact = intact,
            Summary = intact
                ? $"审计链完整：{count} 条，已对照 {ours.Count} 个检查点与 {itemsChecked} 件稿件 / audit chain intact: {count} entries, checked against {ours.Count} checkpoints and {itemsChecked} items"
                : $"审计链被改动：发现 {_problems.Count + _omitted} 处问题，首处：{firstProblem!.Message} / audit chain BROKEN: {_problems.Count + _omitted} problems",
            EntriesChecked = count,
            HeadHash = intact ? previousHash : headHash,
            FirstBadSeq = _problems.Select(p => p.FromSeq).FirstOrDefault(s => s is not null),
            Problem = firstProblem?.Message,
            Problems = _problems,
            UnkeyedLegacyEntries = legacy,
            KeyedFrom = trustedKeyedFrom ?? firstSigned,
            KeyId = key.Id,
            CheckpointsChecked = ours.Count,
            LastCheckpoint = latest is null ? null : new AuditCheckpointSeen(latest.Instance, latest.Seq, latest.At, latest.Reason),
            ItemsChecked = itemsChecked,
            Notes = notes,
        };
    }

    /// <summary>"part-missing" or "part-altered" for a shared part (<see cref="AuditParts"/>) that is not what its name says; each part is read once.</summary>
    private async Task<string?> PartProblemAsync(IDatabase db, string hash)
    {
        if (_parts.TryGetValue(hash, out var known)) return known;
        var stored = await db.StringGetAsync(keys.AuditPart(hash));
        var problem = stored.IsNull ? "part-missing" : AuditLog.HashOf((byte[])stored!) == hash ? null : "part-altered";
        _parts[hash] = problem;
        _partUsers[hash] = [];
        return problem;
    }

    private async Task<(long Seq, string Hash)> HeadAsync(IDatabase db)
    {
        var stored = await db.StringGetAsync(keys.AuditHead);
        if (stored.IsNull) return (0, AuditLog.Genesis);
        var text = (string)stored!;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return (long.Parse(text[..colon], CultureInfo.InvariantCulture), text[(colon + 1)..]);
    }

    /// <summary>Keeps a review decision's level, decision and actor, for the cross-check against the item.</summary>
    private static void Collect(StoredAuditEntry stored, long seq, List<AuditedReview> reviews)
    {
        var e = stored.Entry;
        if (e.Type != EventTypes.ReviewDecided || e.ContentId is null) return;
        if (e.Details["review"] is not System.Text.Json.Nodes.JsonObject review || e.Details["content"]?["revision"] is not { } revision) return;
        if (review["level"] is not { } level || review["decision"] is not { } decision) return;
        reviews.Add(new AuditedReview(seq, e.ContentId, revision.GetValue<int>(), level.GetValue<int>(), decision.GetValue<string>(), e.Actor));
    }

    /// <summary>
    /// Every review decision on an item's current revision has an audit entry with the same level, decision and actor, and
    /// every audited decision of that revision is on the item. Returns how many items were read.
    /// </summary>
    private async Task<int> CrossCheckAsync(IDatabase db, List<AuditedReview> audited, DateTimeOffset? lastAt, CancellationToken cancellationToken)
    {
        var byContent = audited.ToLookup(r => r.ContentId, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = 0;
        const int pageSize = 200;
        for (long start = 0; ; start += pageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ids = await db.SortedSetRangeByRankAsync(keys.ContentIndex, start, start + pageSize - 1);
            if (ids.Length == 0) break;
            var values = await db.StringGetAsync(ids.Select(i => (RedisKey)keys.Content(i!)).ToArray());
            foreach (var value in values.Where(v => !v.IsNull))
            {
                ContentItem item;
                try
                {
                    item = Json.Deserialize<ContentItem>(value);
                }
                catch (System.Text.Json.JsonException)
                {
                    continue;
                }

                items++;
                seen.Add(item.Id);
                CrossCheck(item, byContent[item.Id].Where(r => r.Revision == item.Revision).ToList(), lastAt);
            }

            if (ids.Length < pageSize) break;
        }

        foreach (var group in byContent.Where(g => !seen.Contains(g.Key)))
        {
            var firstSeq = group.Min(r => r.Seq);
            Add("item-missing", firstSeq, firstSeq, group.Key,
                $"审计链第 {firstSeq} 条等记录了稿件 {group.Key} 的审核，但该稿件已不存在 / audit entry {firstSeq} and others record reviews of item {group.Key}, which no longer exists");
        }

        return items;
    }

    private void CrossCheck(ContentItem item, List<AuditedReview> audited, DateTimeOffset? lastAt)
    {
        var unmatched = item.Reviews.ToList();
        var left = new List<AuditedReview>();
        foreach (var a in audited)
        {
            var same = unmatched.FindIndex(r => r.Level == a.Level && r.Decision.ToString() == a.Decision && r.ReviewerId == a.Actor);
            if (same >= 0) unmatched.RemoveAt(same);
            else left.Add(a);
        }

        foreach (var r in unmatched)
        {
            var other = left.FindIndex(a => a.Level == r.Level && a.Decision == r.Decision.ToString());
            if (other >= 0)
            {
                var a = left[other];
                left.RemoveAt(other);
                Add("item-differs", a.Seq, a.Seq, item.Id,
                    $"稿件 {item.Id} 第 {r.Level} 级{DecisionZh(a.Decision)}：稿件记录为 {r.ReviewerId}，审计链第 {a.Seq} 条为 {a.Actor} / item {item.Id} level {r.Level} {a.Decision.ToLowerInvariant()}: the item records {r.ReviewerId}, audit entry {a.Seq} records {a.Actor}");
            }
            else if (lastAt is { } at && r.At < at - InFlight)
            {
                Add("item-not-audited", null, null, item.Id,
                    $"稿件 {item.Id} 记录了第 {r.Level} 级{DecisionZh(r.Decision.ToString())}（{r.ReviewerId}），审计链中没有对应条目 / item {item.Id} records a level-{r.Level} {r.Decision.ToString().ToLowerInvariant()} by {r.ReviewerId} that the audit chain does not have");
            }
        }

        foreach (var a in left)
        {
            Add("audit-not-on-item", a.Seq, a.Seq, item.Id,
                $"审计链第 {a.Seq} 条记录了稿件 {item.Id} 第 {a.Level} 级{DecisionZh(a.Decision)}（{a.Actor}），稿件中没有 / audit entry {a.Seq} records a level-{a.Level} {a.Decision.ToLowerInvariant()} of item {item.Id} by {a.Actor} that the item does not have");
        }
    }

    private static string DecisionZh(string decision) => decision == nameof(ReviewDecision.Approve) ? "同意" : "退回";

    /// <summary>Extends the open run when this entry continues it (same kind, next entry); otherwise starts a new one.</summary>
    private void AddRun(string kind, long seq, string extra = "")
    {
        if (_run is { } run && run.Kind == kind && run.Extra == extra && run.To == seq - 1)
        {
            _run = run with { To = seq };
            return;
        }

        Flush();
        _run = (kind, seq, seq, extra);
    }

    private void Flush()
    {
        if (_run is not { } run) return;
        _run = null;
        var (zh, en) = (Range(run.From, run.To, zh: true), Range(run.From, run.To, zh: false));
        var one = run.From == run.To;
        var message = run.Kind switch
        {
            "altered" => $"{zh}被改动：内容与其哈希不符 / {en} {(one ? "was" : "were")} altered: the content does not match the hash",
            "rewritten" => $"{zh}被改写并重算了哈希：签名（HMAC）不符 / {en} {(one ? "was" : "were")} rewritten with a recomputed hash: the signature (HMAC) does not match",
            "other-key" => $"{zh}由另一把密钥（{run.Extra}）签名，不是所配置的密钥（{key.Id}） / {en} {(one ? "is" : "are")} signed with another key ({run.Extra}), not the configured one ({key.Id})",
            "unsigned" => $"{zh}没有签名，但从第 {run.Extra} 条起每条都应签名 / {en} {(one ? "carries" : "carry")} no signature, though every entry from {run.Extra} on must be signed",
            _ => $"{zh}未接续其前一条：二者之一被改动 / {en} {(one ? "does" : "do")} not follow the entry before: one of the two was altered",
        };
        Append(new AuditProblem(run.Kind, run.From, run.To, null, message));
    }

    private void Add(string kind, long? fromSeq, long? toSeq, string? contentId, string? message)
    {
        Flush();
        message ??= $"{Range(fromSeq!.Value, toSeq!.Value, zh: true)}缺失 / {Range(fromSeq.Value, toSeq.Value, zh: false)} {(fromSeq == toSeq ? "is" : "are")} missing";
        Append(new AuditProblem(kind, fromSeq, toSeq, contentId, message));
    }

    private void Append(AuditProblem problem)
    {
        if (_problems.Count < MaxProblems) _problems.Add(problem);
        else _omitted++;
    }

    private static string Range(long from, long to, bool zh) => (from == to, zh) switch
    {
        (true, true) => $"第 {from} 条",
        (false, true) => $"第 {from}–{to} 条",
        (true, false) => $"entry {from}",
        _ => $"entries {from}–{to}",
    };
}
