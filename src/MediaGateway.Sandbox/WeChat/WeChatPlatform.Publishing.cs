using System.Text.Json.Nodes;
using static MediaGateway.Sandbox.WeChat.WeChatErrors;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>
/// Free publishing (freepublish/submit, get, delete, batchget, getarticle) and the lazy settling of its asynchronous
/// outcome.
/// </summary>
internal sealed partial class WeChatPlatform
{
    private readonly List<Publication> _publications = [];

    // Indexes of the same publications: by (app, publish_id) for freepublish/get, and those still publishing for Settle,
    // so neither scans every publication the sandbox ever took.
    private readonly Dictionary<(string AppId, long PublishId), Publication> _publicationsById = [];
    private readonly List<Publication> _publishing = [];

    public JsonObject Submit(string appId, JsonObject body)
    {
        lock (_gate)
        {
            Settle();
            if (FindDraft(appId, body) is not { } draft)
            {
                return Error(40007);
            }

            // Outcome plans (asynchronous publish outcomes of the sheet's "Publishing": 0 success, 2 originality, 4 review, …).
            var plan = _faults.TryTake("/cgi-bin/freepublish/submit",
                f => (f.PublishStatus is not null || f.PublishingPolls is not null) && (f.AppId is null || f.AppId == appId));
            var publication = new Publication(
                NextId(), NextId(), appId, draft.MediaId, draft.Articles.ToList(), Time.GetUtcNow(), plan?.PublishStatus ?? 0)
            {
                PollsLeft = Math.Max(0, plan?.PublishingPolls ?? 0),
            };
            _publications.Add(publication);
            _publicationsById[(appId, publication.PublishId)] = publication;
            _publishing.Add(publication);
            var answer = Ok();
            var asStrings = NextIdsAsStrings();
            answer["publish_id"] = IdNode(publication.PublishId, asStrings);
            answer["msg_data_id"] = IdNode(publication.MsgDataId, asStrings);
            return answer;
        }
    }

    public JsonObject PublishGet(string appId, JsonObject body)
    {
        lock (_gate)
        {
            Settle();
            var id = Json.GetLong(body, "publish_id");
            if (id is not { } publishId || !_publicationsById.TryGetValue((appId, publishId), out var p))
            {
                return Error(53502);
            }

            if (p.Status == 1 && p.PollsLeft > 0)
            {
                // A "publishing for N polls" plan: this poll is one of the N (sheet: publish_status 1 = publishing).
                p.PollsLeft--;
            }

            var answer = new JsonObject { ["publish_id"] = IdNode(p.PublishId, NextIdsAsStrings()), ["publish_status"] = p.Status };
            if (p.ArticleId is not null)
            {
                answer["article_id"] = p.ArticleId;
                var items = new JsonArray();
                for (var i = 0; i < p.Articles.Count; i++)
                {
                    items.Add(new JsonObject { ["idx"] = i + 1, ["article_url"] = ArticleUrl(p.ArticleId, i + 1) });
                }

                answer["article_detail"] = new JsonObject { ["count"] = p.Articles.Count, ["item"] = items };
            }

            answer["fail_idx"] = p.Status is 2 or 3 or 4
                ? new JsonArray(Enumerable.Range(1, p.Articles.Count).Select(i => (JsonNode)i).ToArray())
                : new JsonArray();
            return answer;
        }
    }

    public JsonObject PublishDelete(string appId, JsonObject body)
    {
        lock (_gate)
        {
            Settle();
            var articleId = Json.GetString(body, "article_id");
            var p = _publications.FirstOrDefault(x => x.AppId == appId && x.ArticleId is not null && x.ArticleId == articleId);
            if (p is null)
            {
                return Error(53600);
            }

            var index = Json.GetLong(body, "index") ?? 0;
            if (index < 0 || index > p.Articles.Count)
            {
                return Error(40035, "invalid args: index out of range");
            }

            for (var i = 0; i < p.Articles.Count; i++)
            {
                if (index == 0 || index == i + 1)
                {
                    p.Deleted[i] = true;
                }
            }

            if (p.Deleted.All(d => d))
            {
                p.Status = 5;
            }

            p.UpdatedAt = Time.GetUtcNow();
            return Ok();
        }
    }

    public JsonObject PublishBatchGet(string appId, JsonObject body)
    {
        if (ReadPage(body) is not { } page)
        {
            return Error(40035, "invalid args: offset >= 0 and count 1-20 required");
        }

        lock (_gate)
        {
            Settle();
            var published = _publications.Where(p => p.AppId == appId && p.ArticleId is not null)
                .OrderByDescending(p => p.UpdatedAt).ThenByDescending(p => p.PublishId).ToList();
            var items = new JsonArray();
            foreach (var p in published.Skip(page.Offset).Take(page.Count))
            {
                items.Add(new JsonObject
                {
                    ["article_id"] = p.ArticleId,
                    ["content"] = new JsonObject { ["news_item"] = PublishedItems(p, !page.NoContent) },
                    ["update_time"] = p.UpdatedAt.ToUnixTimeSeconds(),
                });
            }

            return new JsonObject { ["total_count"] = published.Count, ["item_count"] = items.Count, ["item"] = items };
        }
    }

    public JsonObject GetArticle(string appId, JsonObject body)
    {
        lock (_gate)
        {
            Settle();
            var articleId = Json.GetString(body, "article_id");
            var p = _publications.FirstOrDefault(x => x.AppId == appId && x.ArticleId is not null && x.ArticleId == articleId);
            return p is null ? Error(53600) : new JsonObject { ["news_item"] = PublishedItems(p, includeContent: true) };
        }
    }

    /// <summary>The published article behind {base}s/{articleId}(?idx=n), or null (unknown / still publishing).</summary>
    public (DraftArticle Article, bool Deleted)? FindPublished(string articleId, int index)
    {
        lock (_gate)
        {
            Settle();
            var p = _publications.FirstOrDefault(x => x.ArticleId == articleId);
            if (p is null || index < 1 || index > p.Articles.Count)
            {
                return null;
            }

            return (p.Articles[index - 1], p.Deleted[index - 1] || p.Status == 6);
        }
    }

    public IReadOnlyList<WeChatSandboxArticle> PublishedArticles()
    {
        lock (_gate)
        {
            Settle();
            var list = new List<WeChatSandboxArticle>();
            foreach (var p in _publications.Where(p => p.ArticleId is not null))
            {
                for (var i = 0; i < p.Articles.Count; i++)
                {
                    var a = p.Articles[i];
                    list.Add(new WeChatSandboxArticle(p.AppId, p.ArticleId!, p.PublishId, i + 1, a.Title, a.Author,
                        a.Digest, a.Content, ArticleUrl(p.ArticleId!, i + 1), a.ThumbMediaId, a.ContentSourceUrl,
                        p.PublishedAt!.Value, p.Deleted[i])
                    {
                        NeedOpenComment = a.NeedOpenComment, OnlyFansCanComment = a.OnlyFansCanComment,
                    });
                }
            }

            return list;
        }
    }

    /// <summary>How many freepublish/submit calls took effect for drafts whose first article has this title (each starts a publish job).</summary>
    public int SubmitCount(string title)
    {
        lock (_gate)
        {
            return _publications.Count(p => p.Articles.Count > 0 && p.Articles[0].Title == title);
        }
    }

    public int PublishEffectCount(string appId)
    {
        lock (_gate)
        {
            Settle();
            return _apps.TryGetValue(appId, out var app) ? app.PublishEffects : 0;
        }
    }

    private JsonArray PublishedItems(Publication p, bool includeContent)
    {
        var items = new JsonArray();
        for (var i = 0; i < p.Articles.Count; i++)
        {
            var item = NewsItem(p.Articles[i], includeContent);
            item["url"] = ArticleUrl(p.ArticleId!, i + 1);
            item["is_deleted"] = p.Deleted[i];
            items.Add(item);
        }

        return items;
    }

    private string ArticleUrl(string articleId, int index) =>
        index == 1 ? $"{BaseAddress}s/{articleId}" : $"{BaseAddress}s/{articleId}?idx={index}";

    /// <summary>Settles every publication whose PublishDelay has elapsed (caller holds the lock).</summary>
    private void Settle()
    {
        var now = Time.GetUtcNow();
        // Only publications still publishing can settle; those settled now or changed otherwise (deleted) leave the list.
        foreach (var p in _publishing)
        {
            if (p.Status != 1 || p.PollsLeft > 0 || now < p.SubmittedAt + _options.PublishDelay)
            {
                continue;
            }

            var at = p.SubmittedAt + _options.PublishDelay;
            p.UpdatedAt = at;
            if (p.PlannedStatus is 0 or 6)
            {
                p.Status = p.PlannedStatus;
                p.ArticleId = Ids.Random(44);
                p.PublishedAt = at;
                var app = _apps[p.AppId];
                app.PublishEffects += p.Articles.Count;
                app.Drafts.Remove(p.DraftMediaId);
            }
            else
            {
                p.Status = p.PlannedStatus;
            }

            // The sheet: the outcome is also pushed as PUBLISHJOBFINISH to the callback URL.
            QueuePublishFinished(p);
        }

        _publishing.RemoveAll(p => p.Status != 1);
        SettleMass(now);
    }

    private sealed class Publication(
        long publishId, long msgDataId, string appId, string draftMediaId, List<DraftArticle> articles,
        DateTimeOffset submittedAt, int plannedStatus)
    {
        public long PublishId { get; } = publishId;

        public long MsgDataId { get; } = msgDataId;

        public string AppId { get; } = appId;

        public string DraftMediaId { get; } = draftMediaId;

        public List<DraftArticle> Articles { get; } = articles;

        public DateTimeOffset SubmittedAt { get; } = submittedAt;

        public int PlannedStatus { get; } = plannedStatus;

        public int Status { get; set; } = 1;

        public string? ArticleId { get; set; }

        public DateTimeOffset? PublishedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; } = submittedAt;

        public bool[] Deleted { get; } = new bool[articles.Count];

        /// <summary>Polls of freepublish/get still to answer "publishing" (a PublishingPolls plan).</summary>
        public int PollsLeft { get; set; }
    }
}
