using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static MediaGateway.Sandbox.WeChat.WeChatErrors;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>
/// The simulated Official Account platform: tokens, media, draft box and free publishing. All state sits behind one
/// lock; the asynchronous publish outcome is settled lazily against the TimeProvider whenever state is read.
/// Character limits are counted in UTF-16 code units (string.Length): close enough for a sandbox, and stricter than
/// code points for characters outside the BMP.
/// </summary>
internal sealed partial class WeChatPlatform
{
    public static readonly TimeSpan TokenOverlap = TimeSpan.FromMinutes(5);
    public const int DailyTokenQuota = 2000;
    public const int DailyForceRefreshQuota = 20;
    public static readonly TimeSpan ForceRefreshSpacing = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly WeChatSandboxOptions _options;
    private readonly SandboxFaults _faults;
    private readonly Dictionary<string, AppState> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenRecord> _tokens = new(StringComparer.Ordinal);
    private readonly List<Publication> _publications = [];

    // Indexes of the same publications: by (app, publish_id) for freepublish/get, and those still publishing for Settle,
    // so neither scans every publication the sandbox ever took.
    private readonly Dictionary<(string AppId, long PublishId), Publication> _publicationsById = [];
    private readonly List<Publication> _publishing = [];
    private long _nextId = 2_247_483_700;
    private long _idResponses;
    private long _sequence;

    public WeChatPlatform(WeChatSandboxOptions options, SandboxFaults faults)
    {
        _options = options;
        _faults = faults;
        foreach (var app in options.Apps)
        {
            if (app.Kind is not ("subscription" or "service"))
            {
                throw new ArgumentException($"App {app.AppId}: Kind must be \"subscription\" or \"service\".", nameof(options));
            }

            if (!_apps.TryAdd(app.AppId, new AppState(app)))
            {
                throw new ArgumentException($"App {app.AppId} is listed twice.", nameof(options));
            }
        }
    }

    public ImageStore Images { get; } = new();

    public Uri BaseAddress { get; set; } = new("http://127.0.0.1/");

    private TimeProvider Time => _options.TimeProvider;

    private string ImagePrefix => BaseAddress + "mmbiz/";

    // ---------------------------------------------------------------- tokens

    public JsonObject GetToken(string? grantType, string? appId, string? secret)
    {
        lock (_gate)
        {
            if (CheckCredentials(grantType, appId, secret, out var app) is { } error)
            {
                return error;
            }

            var now = Time.GetUtcNow();
            if (!app!.TakeDailyTokenQuota(now))
            {
                return Error(45009);
            }

            foreach (var old in app.NormalTokens)
            {
                var cap = now + TokenOverlap;
                old.InvalidAt = old.InvalidAt is { } at && at < cap ? at : cap;
            }

            var token = Issue(app, now);
            app.NormalTokens.Add(token);
            return TokenAnswer(token, now);
        }
    }

    public JsonObject GetStableToken(JsonObject body)
    {
        lock (_gate)
        {
            if (CheckCredentials(Json.GetString(body, "grant_type"), Json.GetString(body, "appid"),
                    Json.GetString(body, "secret"), out var app) is { } error)
            {
                return error;
            }

            var now = Time.GetUtcNow();
            var force = Json.GetBool(body, "force_refresh") ?? false;
            if (force)
            {
                // The sheet: force_refresh is limited to 20/day and at least 30 s apart.
                if (app!.LastForceRefresh is { } last && now - last < ForceRefreshSpacing)
                {
                    return Error(45011);
                }

                if (!app.TakeForceRefreshQuota(now))
                {
                    return Error(45009);
                }

                app.LastForceRefresh = now;
                if (app.StableToken is { } previous)
                {
                    previous.InvalidAt = now;
                }
            }
            else if (app!.StableToken is { } current && current.IsUsable(now))
            {
                app.TokenFetches++;
                return TokenAnswer(current, now);
            }

            if (!app.TakeDailyTokenQuota(now))
            {
                return Error(45009);
            }

            app.StableToken = Issue(app, now);
            return TokenAnswer(app.StableToken, now);
        }
    }

    /// <summary>Makes every token of the app expired now (the next API call answers 42001).</summary>
    public void ExpireTokens(string appId)
    {
        lock (_gate)
        {
            var now = Time.GetUtcNow();
            foreach (var token in _tokens.Values.Where(t => t.AppId == appId && t.ExpiresAt > now))
            {
                token.ExpiresAt = now;
            }
        }
    }

    public int TokenFetchCount(string appId)
    {
        lock (_gate)
        {
            return _apps.TryGetValue(appId, out var app) ? app.TokenFetches : 0;
        }
    }

    /// <summary>Resolves ?access_token= to the app, or the platform's error.</summary>
    public (string? AppId, JsonObject? Error) Authenticate(string? accessToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return (null, Error(41001));
        }

        lock (_gate)
        {
            var now = Time.GetUtcNow();
            if (!_tokens.TryGetValue(accessToken, out var token) || token.InvalidAt is { } at && at <= now)
            {
                return (null, Error(40001));
            }

            return token.ExpiresAt <= now ? (null, Error(42001)) : (token.AppId, null);
        }
    }

    private JsonObject? CheckCredentials(string? grantType, string? appId, string? secret, out AppState? app)
    {
        app = null;
        if (grantType != "client_credential")
        {
            return Error(40002);
        }

        if (string.IsNullOrEmpty(appId))
        {
            return Error(41002);
        }

        if (string.IsNullOrEmpty(secret))
        {
            return Error(41004);
        }

        if (!_apps.TryGetValue(appId, out app))
        {
            return Error(40013);
        }

        return CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(app.App.AppSecret))
            ? null
            : Error(40125);
    }

    private TokenRecord Issue(AppState app, DateTimeOffset now)
    {
        var token = new TokenRecord(Ids.Random(136), app.App.AppId, now + _options.TokenLifetime);
        _tokens[token.Token] = token;
        app.TokenFetches++;
        return token;
    }

    private static JsonObject TokenAnswer(TokenRecord token, DateTimeOffset now) => new()
    {
        ["access_token"] = token.Token,
        ["expires_in"] = (long)Math.Max(0, Math.Floor((token.ExpiresAt - now).TotalSeconds)),
    };

    // ---------------------------------------------------------------- media

    /// <summary>
    /// media/uploadimg: jpg/png under 1 MB. Like the platform, the type is judged twice: by the file name's extension as
    /// it came on the wire (<paramref name="fileName"/>, never decoded: an RFC 2047 encoded word has no extension) and by
    /// the bytes. Either wrong → 40005.
    /// </summary>
    public JsonObject UploadImg(byte[]? bytes, string? fileName)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return Error(41005);
        }

        var kind = ImageSniffer.Detect(bytes);
        if (Uploads.Extension(fileName) is not ("jpg" or "jpeg" or "png") || kind is not (ImageKind.Jpeg or ImageKind.Png))
        {
            return Error(40005);
        }

        if (bytes.Length >= 1024 * 1024)
        {
            return Error(40006);
        }

        return new JsonObject { ["url"] = ImagePrefix + Images.Put(bytes, kind) };
    }

    /// <summary>
    /// material/add_material: image ≤10 MB bmp/png/jpeg/jpg/gif, thumb ≤64 KB jpg. The file name's extension as it came on
    /// the wire and the bytes must both be of an allowed type, else 40005 (see <see cref="UploadImg"/>).
    /// </summary>
    public JsonObject AddMaterial(string appId, string? type, byte[]? bytes, string? fileName)
    {
        if (type is not ("image" or "thumb"))
        {
            return Error(40004);
        }

        if (bytes is null || bytes.Length == 0)
        {
            return Error(41005);
        }

        var kind = ImageSniffer.Detect(bytes);
        var extension = Uploads.Extension(fileName);
        var (allowed, limit) = type == "thumb"
            ? (kind == ImageKind.Jpeg && extension is "jpg" or "jpeg", 64 * 1024)
            : (kind is ImageKind.Jpeg or ImageKind.Png or ImageKind.Gif or ImageKind.Bmp
               && extension is "bmp" or "png" or "jpeg" or "jpg" or "gif", 10 * 1024 * 1024);
        if (!allowed)
        {
            return Error(40005);
        }

        if (bytes.Length > limit)
        {
            return Error(40006);
        }

        var url = ImagePrefix + Images.Put(bytes, kind);
        var mediaId = Ids.Random(64);
        lock (_gate)
        {
            _apps[appId].Materials[mediaId] = new Material(mediaId, type, url);
        }

        return new JsonObject { ["media_id"] = mediaId, ["url"] = url };
    }

    // ---------------------------------------------------------------- drafts

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
            (int)(Json.GetLong(a, "need_open_comment") ?? 0) == 1 ? 1 : 0,
            (int)(Json.GetLong(a, "only_fans_can_comment") ?? 0) == 1 ? 1 : 0,
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

    // ---------------------------------------------------------------- free publishing

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
                        p.PublishedAt!.Value, p.Deleted[i]));
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

    public JsonObject Stats()
    {
        lock (_gate)
        {
            Settle();
            var apps = new JsonArray();
            foreach (var app in _apps.Values)
            {
                apps.Add(new JsonObject
                {
                    ["appId"] = app.App.AppId,
                    ["kind"] = app.App.Kind,
                    ["tokenFetches"] = app.TokenFetches,
                    ["publishEffects"] = app.PublishEffects,
                    ["drafts"] = app.Drafts.Count,
                    ["publishing"] = _publications.Count(p => p.AppId == app.App.AppId && p.Status == 1),
                    ["massEffects"] = MassSendEffectCountLocked(app.App.AppId),
                    ["materials"] = app.Materials.Count,
                });
            }

            return new JsonObject { ["apps"] = apps };
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

    private long NextId() => _nextId += 1 + RandomNumberGenerator.GetInt32(7);

    /// <summary>Ids go out as digit strings in one answer and integers in the next: clients must accept both.</summary>
    private bool NextIdsAsStrings() => _idResponses++ % 2 == 0;

    private static JsonValue IdNode(long id, bool asString) =>
        asString ? JsonValue.Create(id.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(id);

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

    // ---------------------------------------------------------------- state

    private sealed class AppState(WeChatSandboxApp app)
    {
        public WeChatSandboxApp App { get; } = app;

        public List<TokenRecord> NormalTokens { get; } = [];

        public TokenRecord? StableToken { get; set; }

        public DateTimeOffset? LastForceRefresh { get; set; }

        public int TokenFetches { get; set; }

        public int PublishEffects { get; set; }

        public Dictionary<string, Material> Materials { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Draft> Drafts { get; } = new(StringComparer.Ordinal);

        private DateOnly _quotaDay;
        private int _tokensToday;
        private int _forceRefreshesToday;

        public bool TakeDailyTokenQuota(DateTimeOffset now)
        {
            Roll(now);
            return ++_tokensToday <= DailyTokenQuota;
        }

        public bool TakeForceRefreshQuota(DateTimeOffset now)
        {
            Roll(now);
            return ++_forceRefreshesToday <= DailyForceRefreshQuota;
        }

        private void Roll(DateTimeOffset now)
        {
            var day = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
            if (day != _quotaDay)
            {
                _quotaDay = day;
                _tokensToday = 0;
                _forceRefreshesToday = 0;
            }
        }
    }

    private sealed class TokenRecord(string token, string appId, DateTimeOffset expiresAt)
    {
        public string Token { get; } = token;

        public string AppId { get; } = appId;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public DateTimeOffset? InvalidAt { get; set; }

        public bool IsUsable(DateTimeOffset now) => ExpiresAt > now && (InvalidAt is null || InvalidAt > now);
    }

    private sealed record Material(string MediaId, string Type, string Url);

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
