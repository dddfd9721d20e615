using System.Text;
using System.Text.Json.Nodes;
using static MediaGateway.Sandbox.WeChat.WeChatErrors;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>The draft box: draft/add, get, update, delete, count, batchget, and the article rules they check.</summary>
internal sealed partial class WeChatPlatform
{
    private long _sequence;

    public JsonObject DraftAdd(string appId, JsonObject body)
    {
        if (body["articles"] is not JsonArray items)
        {
            return Error(47001, "data format error: articles must be an array");
        }

        if (items.Count == 0)
        {
            return Error(44003);
        }

        if (items.Count > 8)
        {
            return Error(45008);
        }

        lock (_gate)
        {
            Settle();
            var app = _apps[appId];
            var articles = new List<DraftArticle>();
            foreach (var item in items)
            {
                if (item is not JsonObject obj)
                {
                    return Error(47001, "data format error: an article must be an object");
                }

                if (ValidateArticle(app, obj, single: items.Count == 1, out var article) is { } error)
                {
                    return error;
                }

                articles.Add(article!);
            }

            var now = Time.GetUtcNow();
            var draft = new Draft(Ids.Random(64), articles, now, ++_sequence) { UpdatedAt = now };
            app.Drafts[draft.MediaId] = draft;
            return new JsonObject { ["media_id"] = draft.MediaId };
        }
    }

    public JsonObject DraftGet(string appId, JsonObject body)
    {
        lock (_gate)
        {
            Settle();
            if (FindDraft(appId, body) is not { } draft)
            {
                return Error(40007);
            }

            var answer = DraftContent(draft, includeContent: true);
            answer["create_time"] = draft.CreatedAt.ToUnixTimeSeconds();
            answer["update_time"] = draft.UpdatedAt.ToUnixTimeSeconds();
            return answer;
        }
    }

    public JsonObject DraftUpdate(string appId, JsonObject body)
    {
        lock (_gate)
        {
            Settle();
            if (FindDraft(appId, body) is not { } draft)
            {
                return Error(40007);
            }

            var index = Json.GetLong(body, "index");
            if (index is null || index < 0 || index >= draft.Articles.Count)
            {
                // The sheet is silent: an index outside the draft is an invalid argument.
                return Error(40035, "invalid args: index out of range");
            }

            if (body["articles"] is not JsonObject obj)
            {
                return Error(47001, "data format error: articles must be an object");
            }

            if (ValidateArticle(_apps[appId], obj, single: draft.Articles.Count == 1, out var article) is { } error)
            {
                return error;
            }

            draft.Articles[(int)index] = article!;
            draft.UpdatedAt = Time.GetUtcNow();
            return Ok();
        }
    }

    public JsonObject DraftDelete(string appId, JsonObject body)
    {
        lock (_gate)
        {
            Settle();
            if (FindDraft(appId, body) is not { } draft)
            {
                return Error(40007);
            }

            _apps[appId].Drafts.Remove(draft.MediaId);
            return Ok();
        }
    }

    public JsonObject DraftCount(string appId)
    {
        lock (_gate)
        {
            Settle();
            return new JsonObject { ["total_count"] = _apps[appId].Drafts.Count };
        }
    }

    public JsonObject DraftBatchGet(string appId, JsonObject body)
    {
        if (ReadPage(body) is not { } page)
        {
            return Error(40035, "invalid args: offset >= 0 and count 1-20 required");
        }

        lock (_gate)
        {
            Settle();
            var drafts = _apps[appId].Drafts.Values
                .OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Sequence).ToList();
            var items = new JsonArray();
            foreach (var draft in drafts.Skip(page.Offset).Take(page.Count))
            {
                items.Add(new JsonObject
                {
                    ["media_id"] = draft.MediaId,
                    ["content"] = DraftContent(draft, !page.NoContent),
                    ["update_time"] = draft.UpdatedAt.ToUnixTimeSeconds(),
                });
            }

            return new JsonObject { ["total_count"] = drafts.Count, ["item_count"] = items.Count, ["item"] = items };
        }
    }

    public IReadOnlyList<DraftArticle>? FindDraftForPreview(string mediaId)
    {
        lock (_gate)
        {
            Settle();
            return _apps.Values.Select(a => a.Drafts.GetValueOrDefault(mediaId))
                .FirstOrDefault(d => d is not null)?.Articles.ToList();
        }
    }

    private Draft? FindDraft(string appId, JsonObject body) =>
        Json.GetString(body, "media_id") is { } id ? _apps[appId].Drafts.GetValueOrDefault(id) : null;

    private JsonObject? ValidateArticle(AppState app, JsonObject a, bool single, out DraftArticle? article)
    {
        article = null;
        var type = Json.GetString(a, "article_type") ?? "news";
        if (type is not ("news" or "newspic"))
        {
            return Error(47001, "data format error: article_type must be news or newspic");
        }

        // The sheet gives 45003 for the title and 45002 for the content; the sandbox uses them for "missing" too.
        var title = Json.GetString(a, "title");
        if (string.IsNullOrEmpty(title))
        {
            return Error(45003, "title is empty");
        }

        if (title.Length > 32)
        {
            return Error(45003);
        }

        var author = Json.GetString(a, "author") ?? string.Empty;
        if (author.Length > 16)
        {
            return Error(45110);
        }

        var digest = Json.GetString(a, "digest") ?? string.Empty;
        if (digest.Length > 128)
        {
            return Error(45004);
        }

        var content = Json.GetString(a, "content");
        if (string.IsNullOrEmpty(content))
        {
            return Error(45002, "content is empty");
        }

        if (content.Length >= 20_000 || Encoding.UTF8.GetByteCount(content) >= 1024 * 1024)
        {
            return Error(45002);
        }

        var sourceUrl = Json.GetString(a, "content_source_url") ?? string.Empty;
        if (Encoding.UTF8.GetByteCount(sourceUrl) > 1024)
        {
            return Error(45005);
        }

        // wechat-mp.md, "need_open_comment 0/1, only_fans_can_comment 0/1". The sheet names no code for another value: the sandbox
        // answers 47001 (data format error, the sheet's "malformed request").
        var comments = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var flag in new[] { "need_open_comment", "only_fans_can_comment" })
        {
            if (a[flag] is null)
            {
                comments[flag] = 0;
                continue;
            }

            var value = Json.GetLong(a, flag);
            if (value is not (0 or 1))
            {
                return Error(47001, $"data format error: {flag} must be 0 or 1, not {a[flag]!.ToJsonString()}");
            }

            comments[flag] = (int)value.Value;
        }

        var thumb = Json.GetString(a, "thumb_media_id");
        Material? material = null;
        if (type == "news" || !string.IsNullOrEmpty(thumb))
        {
            if (string.IsNullOrEmpty(thumb) || !app.Materials.TryGetValue(thumb, out material))
            {
                return Error(40007);
            }
        }

        var sanitized = ArticleHtml.Sanitize(content, ImagePrefix);
        article = new DraftArticle(
            type,
            title,
            author,
            single ? (digest.Length > 0 ? digest : ArticleHtml.AutoDigest(sanitized)) : string.Empty,
            sanitized,
            sourceUrl,
            thumb,
            material?.Url ?? string.Empty,
            comments["need_open_comment"],
            comments["only_fans_can_comment"],
            Json.GetString(a, "pic_crop_235_1") ?? string.Empty,
            Json.GetString(a, "pic_crop_1_1") ?? string.Empty);
        return null;
    }

    private JsonObject DraftContent(Draft draft, bool includeContent)
    {
        var items = new JsonArray();
        for (var i = 0; i < draft.Articles.Count; i++)
        {
            var item = NewsItem(draft.Articles[i], includeContent);
            item["url"] = $"{BaseAddress}draft/{draft.MediaId}/{i}";
            items.Add(item);
        }

        return new JsonObject { ["news_item"] = items };
    }

    private static JsonObject NewsItem(DraftArticle a, bool includeContent) => new()
    {
        ["article_type"] = a.Type,
        ["title"] = a.Title,
        ["author"] = a.Author,
        ["digest"] = a.Digest,
        ["content"] = includeContent ? a.Content : string.Empty,
        ["content_source_url"] = a.ContentSourceUrl,
        ["thumb_media_id"] = a.ThumbMediaId ?? string.Empty,
        ["thumb_url"] = a.ThumbUrl,
        ["need_open_comment"] = a.NeedOpenComment,
        ["only_fans_can_comment"] = a.OnlyFansCanComment,
        ["pic_crop_235_1"] = a.PicCrop2351,
        ["pic_crop_1_1"] = a.PicCrop11,
    };

    private static (int Offset, int Count, bool NoContent)? ReadPage(JsonObject body)
    {
        var offset = Json.GetLong(body, "offset") ?? 0;
        var count = Json.GetLong(body, "count");
        if (offset < 0 || count is null or < 1 or > 20)
        {
            return null;
        }

        return ((int)Math.Min(offset, int.MaxValue), (int)count, Json.GetBool(body, "no_content") ?? false);
    }
}

internal sealed record DraftArticle(
    string Type,
    string Title,
    string Author,
    string Digest,
    string Content,
    string ContentSourceUrl,
    string? ThumbMediaId,
    string ThumbUrl,
    int NeedOpenComment,
    int OnlyFansCanComment,
    string PicCrop2351,
    string PicCrop11);

internal sealed class Draft(string mediaId, List<DraftArticle> articles, DateTimeOffset createdAt, long sequence)
{
    public string MediaId { get; } = mediaId;

    public List<DraftArticle> Articles { get; } = articles;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset UpdatedAt { get; set; }

    public long Sequence { get; } = sequence;
}
