using System.Text;
using System.Text.Json.Nodes;
using static MediaGateway.Sandbox.WeChat.WeChatErrors;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>Mass send (群发). Every rule cites wechat-mp.md.</summary>
internal sealed partial class WeChatPlatform
{
    /// <summary>The sheet ("Mass send"): 60 mass-send calls per minute.</summary>
    public const int MassCallsPerMinute = 60;

    /// <summary>The sheet: clientmsgid "≤64 bytes per two SDKs"; longer → 45067.</summary>
    public const int MaxClientMsgIdBytes = 64;

    /// <summary>The sheet: a repeat clientmsgid "within 24 h" returns 45065.</summary>
    public static readonly TimeSpan ClientMsgIdWindow = TimeSpan.FromHours(24);

    /// <summary>The sheet: 45066 = "same id retried within a minute".</summary>
    public static readonly TimeSpan ClientMsgIdRetrySpacing = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private readonly List<MassSend> _massSends = [];
    private readonly Dictionary<string, MassApp> _massApps = new(StringComparer.Ordinal);

    public JsonObject MassSendAll(string appId, JsonObject body)
    {
        var clientMsgId = Json.GetString(body, "clientmsgid");
        // The sheet: 45067 = clientmsgid too long (≤64 bytes per two SDKs).
        if (clientMsgId is not null && Encoding.UTF8.GetByteCount(clientMsgId) > MaxClientMsgIdBytes)
        {
            return Error(45067);
        }

        lock (_gate)
        {
            Settle();
            var now = Time.GetUtcNow();
            var app = MassAppOf(appId);

            // The sheet: "60 mass-send calls/minute"; over it the general per-minute code 45011.
            var minute = now.ToUnixTimeSeconds() / 60;
            if (app.Minute != minute)
            {
                app.Minute = minute;
                app.CallsThisMinute = 0;
            }

            if (++app.CallsThisMinute > MassCallsPerMinute)
            {
                return Failed(app, clientMsgId, now, Error(45011));
            }

            if (!string.IsNullOrEmpty(clientMsgId))
            {
                // The sheet: "a repeat within 24 h returns 45065 with the existing msg_id (treat as success)".
                var sent = _massSends.LastOrDefault(m => m.AppId == appId && m.ClientMsgId == clientMsgId);
                if (sent is not null && now - sent.AcceptedAt < ClientMsgIdWindow)
                {
                    var duplicate = Error(45065, "clientmsgid exist");
                    var asStrings = NextIdsAsStrings();
                    duplicate["msg_id"] = IdNode(sent.MsgId, asStrings);
                    duplicate["msg_data_id"] = IdNode(sent.MsgDataId, asStrings);
                    return duplicate;
                }

                // The sheet: "45066 = same id retried within a minute (wait ≥60 s)" — after a failed attempt.
                if (app.FailedAt.TryGetValue(clientMsgId, out var failedAt) && now - failedAt < ClientMsgIdRetrySpacing)
                {
                    return Error(45066, "clientmsgid retry too fast");
                }
            }

            // The sheet's request shape: filter {is_to_all | tag_id}, msgtype "mpnews", mpnews {media_id}.
            if (body["filter"] is not JsonObject filter
                || (Json.GetBool(filter, "is_to_all") != true && Json.GetLong(filter, "tag_id") is null))
            {
                return Failed(app, clientMsgId, now, Error(47001, "data format error: filter needs is_to_all or tag_id"));
            }

            if (Json.GetString(body, "msgtype") != "mpnews" || body["mpnews"] is not JsonObject news)
            {
                return Failed(app, clientMsgId, now, Error(47001, "data format error: msgtype must be mpnews with mpnews.media_id"));
            }

            var mediaId = Json.GetString(news, "media_id");
            if (mediaId is null || !_apps[appId].Drafts.TryGetValue(mediaId, out var draft))
            {
                return Failed(app, clientMsgId, now, Error(40007));
            }

            // The sheet's quotas: subscription 1 successful mass send per day, service 4 per calendar month
            // ("per follower", modelled per account); China days and months. Exhausted: 45028.
            var service = _apps[appId].App.Kind == "service";
            var periodStart = MassPeriodStart(service, now);
            var used = _massSends.Count(m => m.AppId == appId && m.AcceptedAt >= periodStart && m.Status != "SEND_FAIL"
                && m.PlannedStatus != "SEND_FAIL");
            if (used >= (service ? 4 : 1))
            {
                return Failed(app, clientMsgId, now, Error(45028, "has no masssend quota"));
            }

            var plan = _faults.TryTake("/cgi-bin/message/mass/sendall",
                f => f.MassStatus is not null && (f.AppId is null || f.AppId == appId));
            var send = new MassSend(NextId(), NextId(), appId, clientMsgId, draft.MediaId, draft.Articles.ToList(), now,
                plan?.MassStatus ?? "SEND_SUCCESS");
            _massSends.Add(send);
            app.FailedAt.Remove(clientMsgId ?? string.Empty);
            var answer = Ok();
            var idsAsStrings = NextIdsAsStrings();
            answer["msg_id"] = IdNode(send.MsgId, idsAsStrings);
            answer["msg_data_id"] = IdNode(send.MsgDataId, idsAsStrings);
            return answer;
        }
    }

    public JsonObject MassGet(string appId, JsonObject body)
    {
        lock (_gate)
        {
            Settle();
            // The sheet: mass/get {msg_id} → msg_status SEND_SUCCESS|SENDING|SEND_FAIL|DELETE.
            if (FindMass(appId, body) is not { } send)
            {
                return Error(40035, "invalid args: unknown msg_id");
            }

            return new JsonObject { ["msg_id"] = IdNode(send.MsgId, NextIdsAsStrings()), ["msg_status"] = send.Status };
        }
    }

    public JsonObject MassDelete(string appId, JsonObject body)
    {
        lock (_gate)
        {
            Settle();
            // The sheet: mass/delete {msg_id, article_idx} (1-based; 0 or absent = every article).
            if (FindMass(appId, body) is not { } send)
            {
                return Error(40035, "invalid args: unknown msg_id");
            }

            var index = Json.GetLong(body, "article_idx") ?? 0;
            if (index < 0 || index > send.Articles.Count)
            {
                return Error(40035, "invalid args: article_idx out of range");
            }

            for (var i = 0; i < send.Articles.Count; i++)
            {
                if (index == 0 || index == i + 1)
                {
                    send.Deleted[i] = true;
                }
            }

            if (send.Deleted.All(d => d))
            {
                send.Status = "DELETE";
            }

            return Ok();
        }
    }

    /// <summary>Mass sends accepted for the app (each msg_id once, whatever its later status): the effect count.</summary>
    public int MassSendEffectCount(string appId)
    {
        lock (_gate)
        {
            return MassSendEffectCountLocked(appId);
        }
    }

    public IReadOnlyList<WeChatSandboxMassSend> MassSends()
    {
        lock (_gate)
        {
            Settle();
            return _massSends.Select(m => new WeChatSandboxMassSend(m.AppId, m.MsgId, m.MsgDataId, m.ClientMsgId, m.DraftMediaId,
                m.Articles.Select(a => a.Title).ToList(), m.AcceptedAt, m.Status, m.Deleted.ToList())).ToList();
        }
    }

    /// <summary>Every draft handed to freepublish/submit or accepted by mass/sendall, in order: who sent what, and what became of it.</summary>
    public IReadOnlyList<WeChatSandboxSubmission> Submissions()
    {
        lock (_gate)
        {
            Settle();
            var free = _publications.Select(p => new WeChatSandboxSubmission(p.AppId, "freepublish", p.DraftMediaId, p.PublishId,
                p.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), p.ArticleId, p.Articles.Select(a => a.Content).ToList(), p.SubmittedAt));
            var mass = _massSends.Select(m => new WeChatSandboxSubmission(m.AppId, "mass", m.DraftMediaId, m.MsgId, m.Status, null,
                m.Articles.Select(a => a.Content).ToList(), m.AcceptedAt));
            return free.Concat(mass).OrderBy(s => s.At).ToList();
        }
    }

    private int MassSendEffectCountLocked(string appId) => _massSends.Count(m => m.AppId == appId);

    private MassSend? FindMass(string appId, JsonObject body)
    {
        var id = Json.GetLong(body, "msg_id");
        return id is null ? null : _massSends.FirstOrDefault(m => m.AppId == appId && m.MsgId == id);
    }

    private static JsonObject Failed(MassApp app, string? clientMsgId, DateTimeOffset now, JsonObject error)
    {
        if (!string.IsNullOrEmpty(clientMsgId))
        {
            app.FailedAt[clientMsgId] = now;
        }

        return error;
    }

    private MassApp MassAppOf(string appId)
    {
        if (!_massApps.TryGetValue(appId, out var app))
        {
            app = new MassApp();
            _massApps[appId] = app;
        }

        return app;
    }

    private static DateTimeOffset MassPeriodStart(bool service, DateTimeOffset now)
    {
        var local = now.ToOffset(China);
        return service
            ? new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, China)
            : new DateTimeOffset(local.Year, local.Month, local.Day, 0, 0, 0, China);
    }

    /// <summary>Mass sends stay SENDING for PublishDelay, then reach their planned status (caller holds the lock).</summary>
    private void SettleMass(DateTimeOffset now)
    {
        foreach (var m in _massSends)
        {
            if (m.Status != "SENDING" || now < m.AcceptedAt + _options.PublishDelay)
            {
                continue;
            }

            m.Status = m.PlannedStatus;
            if (m.Status == "SEND_SUCCESS")
            {
                // The sheet (Drafts): "A draft disappears from the draft box once published or mass-sent."
                _apps[m.AppId].Drafts.Remove(m.DraftMediaId);
            }

            // The sheet: mass/get … "push event MASSSENDJOBFINISH".
            QueueMassFinished(m, now);
        }
    }

    private sealed class MassApp
    {
        public long Minute { get; set; } = -1;

        public int CallsThisMinute { get; set; }

        public Dictionary<string, DateTimeOffset> FailedAt { get; } = new(StringComparer.Ordinal);
    }

    private sealed class MassSend(
        long msgId, long msgDataId, string appId, string? clientMsgId, string draftMediaId, List<DraftArticle> articles,
        DateTimeOffset acceptedAt, string plannedStatus)
    {
        public long MsgId { get; } = msgId;

        public long MsgDataId { get; } = msgDataId;

        public string AppId { get; } = appId;

        public string? ClientMsgId { get; } = clientMsgId;

        public string DraftMediaId { get; } = draftMediaId;

        public List<DraftArticle> Articles { get; } = articles;

        public DateTimeOffset AcceptedAt { get; } = acceptedAt;

        public string PlannedStatus { get; } = plannedStatus;

        public string Status { get; set; } = "SENDING";

        public bool[] Deleted { get; } = new bool[articles.Count];
    }
}
