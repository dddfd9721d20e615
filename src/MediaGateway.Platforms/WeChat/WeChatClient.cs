using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using MediaGateway.Platforms.Internal;
using Microsoft.Extensions.Logging;
using RestSharp;

namespace MediaGateway.Platforms.WeChat;

/// <summary>
/// The WeChat Official Account API (shared/platforms/wechat-mp.md): token, images, drafts, publishing.
/// Every failure is a classified <see cref="PlatformException"/>; a refused token is refreshed and the call retried once.
/// Thread-safe; meant to be a singleton.
/// </summary>
public sealed class WeChatClient : IDisposable
{
    private const string StableTokenPath = "cgi-bin/stable_token";

    /// <summary>The safe clientmsgid length (wechat-mp.md: ≤64 bytes per two SDKs, one says 32: use ≤32).</summary>
    public const int MaxClientMsgIdBytes = 32;

    private const int MassAlreadySent = 45065;

    private readonly WeChatClientOptions _options;
    private readonly IWeChatTokenCache _tokenCache;
    private readonly TimeProvider _time;
    private readonly ILogger<WeChatClient> _logger;
    private readonly RestClient _rest;

    /// <summary>The token last read from or written to the shared cache, per appid, with when (see <see cref="WeChatClientOptions.LocalTokenHold"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (WeChatAccessToken Token, DateTimeOffset ReadAt)> _local = new(StringComparer.Ordinal);

    public WeChatClient(WeChatClientOptions options, IWeChatTokenCache tokenCache, TimeProvider timeProvider, ILogger<WeChatClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokenCache);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _tokenCache = tokenCache;
        _time = timeProvider;
        _logger = logger;
        _rest = Transport.CreateClient(options.BaseUrl, options.Timeout);
    }

    /// <summary>
    /// The account's access token: from the shared cache while it is not within <see cref="WeChatClientOptions.RefreshAhead"/>
    /// of expiry, otherwise fetched with <c>stable_token</c> under the cache's refresh lock and stored.
    /// <paramref name="forceRefresh"/> asks the platform for a new token (limited: 20 a day, 30 s apart).
    /// </summary>
    public Task<WeChatAccessToken> GetAccessTokenAsync(WeChatCredentials credentials, bool forceRefresh, CancellationToken cancellationToken) =>
        GetTokenAsync(credentials, forceRefresh, useHeld: true, cancellationToken);

    /// <summary>
    /// Makes sure the shared cache holds a fresh token for the account (reading it, not the copy held in memory), and
    /// fetches one when it is missing or near expiry: for keeping tokens ahead of use.
    /// </summary>
    public Task<WeChatAccessToken> KeepAccessTokenAsync(WeChatCredentials credentials, CancellationToken cancellationToken) =>
        GetTokenAsync(credentials, forceRefresh: false, useHeld: false, cancellationToken);

    private async Task<WeChatAccessToken> GetTokenAsync(WeChatCredentials credentials, bool forceRefresh, bool useHeld, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var appId = credentials.AppId;
        var now = _time.GetUtcNow();
        if (useHeld && !forceRefresh && _local.TryGetValue(appId, out var held) && now - held.ReadAt < _options.LocalTokenHold && IsFresh(held.Token))
        {
            return held.Token;
        }

        var seen = await _tokenCache.GetAsync(appId, cancellationToken).ConfigureAwait(false);
        if (!forceRefresh && IsFresh(seen))
        {
            Hold(appId, seen, now);
            return seen;
        }

        var refreshLock = await _tokenCache.AcquireRefreshLockAsync(appId, _options.RefreshLockWait, cancellationToken).ConfigureAwait(false);
        try
        {
            if (refreshLock is null)
            {
                WeChatLog.RefreshLockNotAcquired(_logger, appId);
            }

            // Whoever held the lock may have refreshed already: a fresh token (a different one, when forcing) is the answer.
            var current = await _tokenCache.GetAsync(appId, cancellationToken).ConfigureAwait(false);
            if (IsFresh(current) && (!forceRefresh || current.Token != seen?.Token))
            {
                Hold(appId, current, _time.GetUtcNow());
                return current;
            }

            WeChatAccessToken fetched;
            try
            {
                fetched = await FetchTokenAsync(credentials, forceRefresh, cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformException ex) when (!forceRefresh && ex.ErrorClass == PlatformErrorClass.Transient
                && current is not null && current.ExpiresAt > _time.GetUtcNow())
            {
                // Refreshing ahead of expiry failed, but the token still works for a while.
                WeChatLog.RefreshFailedUsingCached(_logger, appId, ex.Code);
                return current;
            }

            await _tokenCache.SetAsync(appId, fetched, cancellationToken).ConfigureAwait(false);
            Hold(appId, fetched, _time.GetUtcNow());
            return fetched;
        }
        finally
        {
            if (refreshLock is not null)
            {
                await refreshLock.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary><c>media/uploadimg</c>: an image for use inside article HTML; returns its platform URL.</summary>
    public async Task<string> UploadArticleImageAsync(WeChatCredentials credentials, MediaFile image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        const string path = "cgi-bin/media/uploadimg";
        var result = await CallAsync<UrlResult>(credentials, path,
            token => MultipartPost(path, token, image, type: null), cancellationToken).ConfigureAwait(false);
        return Required(result.Url, path, "url");
    }

    /// <summary><c>material/add_material</c>: a permanent image or thumb (the cover's <c>thumb_media_id</c>).</summary>
    public async Task<WeChatMaterial> AddMaterialAsync(WeChatCredentials credentials, WeChatMaterialType type, MediaFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        const string path = "cgi-bin/material/add_material";
        var typeName = type switch
        {
            WeChatMaterialType.Image => "image",
            WeChatMaterialType.Thumb => "thumb",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown material type."),
        };
        var result = await CallAsync<MediaIdResult>(credentials, path,
            token => MultipartPost(path, token, file, typeName), cancellationToken).ConfigureAwait(false);
        return new WeChatMaterial(Required(result.MediaId, path, "media_id"), string.IsNullOrEmpty(result.Url) ? null : result.Url);
    }

    /// <summary><c>draft/add</c>: returns the draft's media_id.</summary>
    public async Task<string> AddDraftAsync(WeChatCredentials credentials, IReadOnlyList<WeChatArticle> articles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articles);
        if (articles.Count == 0)
        {
            throw new ArgumentException("A draft needs at least one article.", nameof(articles));
        }

        const string path = "cgi-bin/draft/add";
        var body = new DraftAddRequest { Articles = articles.Select(ArticleWire.From).ToList() };
        var result = await CallAsync<MediaIdResult>(credentials, path,
            token => JsonPost(path, token, body), cancellationToken).ConfigureAwait(false);
        return Required(result.MediaId, path, "media_id");
    }

    /// <summary><c>draft/get</c>: the articles of a draft.</summary>
    public async Task<IReadOnlyList<WeChatArticle>> GetDraftAsync(WeChatCredentials credentials, string draftMediaId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(draftMediaId);
        const string path = "cgi-bin/draft/get";
        var result = await CallAsync<DraftGetResult>(credentials, path,
            token => JsonPost(path, token, new MediaIdRequest { MediaId = draftMediaId }), cancellationToken).ConfigureAwait(false);
        return (result.NewsItem ?? []).Select(a => a.ToContract()).ToList();
    }

    /// <summary>
    /// Whether the draft is still in the draft box (<c>draft/get</c>; 40007 "invalid media_id" means it is gone). A draft
    /// leaves the box once published or mass-sent; whether at submit or when the job succeeds, the docs do not say
    /// (wechat-mp.md, "How to reconcile without guessing").
    /// </summary>
    public async Task<bool> DraftExistsAsync(WeChatCredentials credentials, string draftMediaId, CancellationToken cancellationToken)
    {
        try
        {
            await GetDraftAsync(credentials, draftMediaId, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PlatformException e) when (e.Code == "40007")
        {
            return false;
        }
    }

    /// <summary><c>draft/delete</c>.</summary>
    public async Task DeleteDraftAsync(WeChatCredentials credentials, string draftMediaId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(draftMediaId);
        const string path = "cgi-bin/draft/delete";
        await CallAsync<WeChatResult>(credentials, path,
            token => JsonPost(path, token, new MediaIdRequest { MediaId = draftMediaId }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>freepublish/submit</c>: submitted, not yet published; poll <see cref="GetPublishAsync"/>.
    /// No idempotency key: after an <see cref="PlatformException.OutcomeUnknown"/> failure, reconcile before submitting again.
    /// </summary>
    public async Task<WeChatPublishSubmitted> SubmitPublishAsync(WeChatCredentials credentials, string draftMediaId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(draftMediaId);
        const string path = "cgi-bin/freepublish/submit";
        SubmitResult result;
        try
        {
            result = await CallAsync<SubmitResult>(credentials, path,
                token => JsonPost(path, token, new MediaIdRequest { MediaId = draftMediaId }), cancellationToken).ConfigureAwait(false);
        }
        catch (PlatformException e) when (e.Code == "40007")
        {
            // A draft leaves the box once published (wechat-mp.md, "Drafts"): a draft this caller made and never deleted
            // that is now "invalid" was taken by an earlier submit. That is a repeat, not bad content.
            throw new PlatformException(e.Platform, e.Code, e.PlatformMessage, e.ErrorClass,
                "草稿已被此前的提交取走 / the draft was already taken by an earlier submit", e.RetryAfter, e.OutcomeUnknown, e)
            {
                RefusedAsRepeat = true,
            };
        }

        return new WeChatPublishSubmitted(Required(result.PublishId, path, "publish_id"),
            string.IsNullOrEmpty(result.MsgDataId) ? null : result.MsgDataId);
    }

    /// <summary><c>freepublish/get</c>: the publish job's state, with the article URLs once it succeeded.</summary>
    public async Task<WeChatPublishOutcome> GetPublishAsync(WeChatCredentials credentials, string publishId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(publishId);
        const string path = "cgi-bin/freepublish/get";
        var result = await CallAsync<PublishGetResult>(credentials, path,
            token => JsonPost(path, token, new PublishIdRequest { PublishId = publishId }), cancellationToken).ConfigureAwait(false);
        var articles = (result.ArticleDetail?.Item ?? [])
            .Where(i => !string.IsNullOrEmpty(i.ArticleUrl))
            .Select(i => new WeChatPublishedArticle(i.Idx, i.ArticleUrl!))
            .ToList();
        return new WeChatPublishOutcome(
            string.IsNullOrEmpty(result.PublishId) ? publishId : result.PublishId,
            (WeChatPublishStatus)result.PublishStatus,
            string.IsNullOrEmpty(result.ArticleId) ? null : result.ArticleId,
            articles,
            result.FailIdx ?? []);
    }

    /// <summary><c>freepublish/delete</c>, the retraction path: <paramref name="index"/> is 1-based, 0 deletes every article.</summary>
    public async Task DeletePublishedAsync(WeChatCredentials credentials, string articleId, int index, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(articleId);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        const string path = "cgi-bin/freepublish/delete";
        await CallAsync<WeChatResult>(credentials, path,
            token => JsonPost(path, token, new DeletePublishedRequest { ArticleId = articleId, Index = index }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>draft/update</c>: replaces the article at 0-based <paramref name="index"/> of the draft.</summary>
    public async Task UpdateDraftAsync(WeChatCredentials credentials, string draftMediaId, int index, WeChatArticle article, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(draftMediaId);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(article);
        const string path = "cgi-bin/draft/update";
        var body = new DraftUpdateRequest { MediaId = draftMediaId, Index = index, Articles = ArticleWire.From(article) };
        await CallAsync<WeChatResult>(credentials, path, token => JsonPost(path, token, body), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>freepublish/batchget</c>: one page of published items, newest first (<paramref name="count"/> 1–20).
    /// After a submit whose outcome is unknown, look here (by title and time) before submitting again: submit has no idempotency key.
    /// </summary>
    public async Task<WeChatPublishedPage> BatchGetPublishedAsync(WeChatCredentials credentials, int offset, int count, bool noContent, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 20);
        const string path = "cgi-bin/freepublish/batchget";
        var body = new PageRequest { Offset = offset, Count = count, NoContent = noContent ? 1 : 0 };
        var result = await CallAsync<PublishedBatchResult>(credentials, path,
            token => JsonPost(path, token, body), cancellationToken).ConfigureAwait(false);
        var items = (result.Item ?? [])
            .Where(i => !string.IsNullOrEmpty(i.ArticleId))
            .Select(i => new WeChatPublishedItem(
                i.ArticleId!,
                DateTimeOffset.FromUnixTimeSeconds(i.UpdateTime),
                (i.Content?.NewsItem ?? []).Select((a, k) => new WeChatPublishedItemArticle(
                    k + 1,
                    a.Title ?? string.Empty,
                    string.IsNullOrEmpty(a.Url) ? null : a.Url,
                    a.IsDeleted,
                    string.IsNullOrEmpty(a.Content) ? null : a.Content,
                    string.IsNullOrEmpty(a.ContentSourceUrl) ? null : a.ContentSourceUrl)).ToList()))
            .ToList();
        return new WeChatPublishedPage(result.TotalCount, items);
    }

    /// <summary>
    /// Reconciliation helper: pages through <c>freepublish/batchget</c> (newest first) for the first item that
    /// <paramref name="match"/> accepts, stopping at items last updated before <paramref name="notBefore"/> or after
    /// <paramref name="maxPages"/> pages. Null when none matches.
    /// </summary>
    public async Task<WeChatPublishedItem?> FindPublishedAsync(WeChatCredentials credentials, Func<WeChatPublishedItem, bool> match,
        DateTimeOffset notBefore, int maxPages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        const int pageSize = 20;
        for (var page = 0; page < maxPages; page++)
        {
            var found = await BatchGetPublishedAsync(credentials, page * pageSize, pageSize, noContent: true, cancellationToken).ConfigureAwait(false);
            foreach (var item in found.Items)
            {
                if (match(item))
                {
                    return item;
                }
            }

            if (found.Items.Count < pageSize || found.Items.Any(i => i.UpdateTime < notBefore) || (page + 1) * pageSize >= found.TotalCount)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Every published item (newest first, at most <paramref name="maxPages"/> pages of <c>freepublish/batchget</c>) that
    /// <paramref name="match"/> accepts, stopping at items last updated before <paramref name="notBefore"/>. Title and link
    /// are not an identity: the caller decides which, if any, is its own.
    /// </summary>
    public async Task<IReadOnlyList<WeChatPublishedItem>> FindPublishedItemsAsync(WeChatCredentials credentials, Func<WeChatPublishedItem, bool> match,
        DateTimeOffset notBefore, int maxPages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        const int pageSize = 20;
        var matches = new List<WeChatPublishedItem>();
        for (var page = 0; page < maxPages; page++)
        {
            var found = await BatchGetPublishedAsync(credentials, page * pageSize, pageSize, noContent: true, cancellationToken).ConfigureAwait(false);
            matches.AddRange(found.Items.Where(i => i.UpdateTime >= notBefore && match(i)));
            if (found.Items.Count < pageSize || found.Items.Any(i => i.UpdateTime < notBefore) || (page + 1) * pageSize >= found.TotalCount)
            {
                break;
            }
        }

        return matches;
    }

    /// <summary>
    /// A <c>clientmsgid</c> for a publication: the first 32 hex digits of SHA-256(publication id), so a retry of the same
    /// publication reuses the idempotency key and stays within the safe 32-byte limit (wechat-mp.md, Mass send).
    /// </summary>
    public static string ClientMsgIdFor(string publicationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(publicationId);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(publicationId));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>
    /// <c>message/mass/sendall</c> to every follower (<c>is_to_all</c>) with the draft as <c>mpnews</c>.
    /// 45065 (this clientmsgid was sent within 24 h) is success: the existing msg_id is returned with <see cref="WeChatMassSent.AlreadySent"/>.
    /// 45066 throws RateLimited (RetryAfter 60 s; retry with the same id); 45028 throws Quota with RetryAfter to the next period
    /// of <see cref="WeChatCredentials.AccountKind"/>. After an <see cref="PlatformException.OutcomeUnknown"/> failure, send again with the same id.
    /// </summary>
    public async Task<WeChatMassSent> SendMassAsync(WeChatCredentials credentials, string draftMediaId, string clientMsgId, bool sendIgnoreReprint,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(draftMediaId);
        ArgumentException.ThrowIfNullOrEmpty(clientMsgId);
        if (System.Text.Encoding.UTF8.GetByteCount(clientMsgId) > MaxClientMsgIdBytes)
        {
            throw new ArgumentException($"clientmsgid must be at most {MaxClientMsgIdBytes} bytes (use ClientMsgIdFor).", nameof(clientMsgId));
        }

        const string path = "cgi-bin/message/mass/sendall";
        var body = new MassSendRequest
        {
            MpNews = new MassNewsWire { MediaId = draftMediaId },
            SendIgnoreReprint = sendIgnoreReprint ? 1 : 0,
            ClientMsgId = clientMsgId,
        };
        var result = await CallAsync<MassSendResult>(credentials, path,
            token => JsonPost(path, token, body), cancellationToken, acceptedErrcode: MassAlreadySent).ConfigureAwait(false);
        if (result.ErrCode == MassAlreadySent)
        {
            WeChatLog.MassAlreadySent(_logger, credentials.AppId, result.MsgId ?? "?");
            return new WeChatMassSent(string.IsNullOrEmpty(result.MsgId) ? null : result.MsgId,
                string.IsNullOrEmpty(result.MsgDataId) ? null : result.MsgDataId, AlreadySent: true);
        }

        return new WeChatMassSent(Required(result.MsgId, path, "msg_id"),
            string.IsNullOrEmpty(result.MsgDataId) ? null : result.MsgDataId, AlreadySent: false);
    }

    /// <summary><c>message/mass/get</c>: SEND_SUCCESS | SENDING | SEND_FAIL | DELETE.</summary>
    public async Task<WeChatMassOutcome> GetMassAsync(WeChatCredentials credentials, string msgId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(msgId);
        const string path = "cgi-bin/message/mass/get";
        var result = await CallAsync<MassGetResult>(credentials, path,
            token => JsonPost(path, token, new MassIdRequest { MsgId = msgId }), cancellationToken).ConfigureAwait(false);
        var raw = result.MsgStatus ?? string.Empty;
        var status = raw switch
        {
            "SEND_SUCCESS" => WeChatMassStatus.SendSuccess,
            "SENDING" => WeChatMassStatus.Sending,
            "SEND_FAIL" => WeChatMassStatus.SendFail,
            "DELETE" => WeChatMassStatus.Deleted,
            _ => WeChatMassStatus.Unknown,
        };
        return new WeChatMassOutcome(string.IsNullOrEmpty(result.MsgId) ? msgId : result.MsgId, status, raw);
    }

    /// <summary><c>message/mass/delete</c>, the retraction path of a mass send: <paramref name="articleIndex"/> is 1-based, 0 deletes every article.</summary>
    public async Task DeleteMassAsync(WeChatCredentials credentials, string msgId, int articleIndex, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(msgId);
        ArgumentOutOfRangeException.ThrowIfNegative(articleIndex);
        const string path = "cgi-bin/message/mass/delete";
        await CallAsync<WeChatResult>(credentials, path,
            token => JsonPost(path, token, new MassDeleteRequest { MsgId = msgId, ArticleIdx = articleIndex }), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _rest.Dispose();

    private void Hold(string appId, WeChatAccessToken token, DateTimeOffset readAt)
    {
        if (_options.LocalTokenHold > TimeSpan.Zero)
        {
            _local[appId] = (token, readAt);
        }
    }

    /// <summary>Forgets the held copy of a token the platform refused, so the next call reads the shared cache.</summary>
    private void Forget(string appId, string token)
    {
        if (_local.TryGetValue(appId, out var held) && held.Token.Token == token)
        {
            _local.TryRemove(new KeyValuePair<string, (WeChatAccessToken, DateTimeOffset)>(appId, held));
        }
    }

    private bool IsFresh([NotNullWhen(true)] WeChatAccessToken? token) =>
        token is not null && !string.IsNullOrEmpty(token.Token) && token.ExpiresAt - _options.RefreshAhead > _time.GetUtcNow();

    private async Task<WeChatAccessToken> FetchTokenAsync(WeChatCredentials credentials, bool forceRefresh, CancellationToken cancellationToken)
    {
        var body = new StableTokenRequest { AppId = credentials.AppId, Secret = credentials.AppSecret, ForceRefresh = forceRefresh };
        var result = await ExecuteAsync<TokenResult>(JsonPost(StableTokenPath, token: null, body), StableTokenPath,
            credentials, token: null, cancellationToken).ConfigureAwait(false);
        var token = Required(result.AccessToken, StableTokenPath, "access_token");
        if (result.ExpiresIn <= 0)
        {
            throw MissingField(StableTokenPath, "expires_in");
        }

        WeChatLog.TokenFetched(_logger, credentials.AppId, forceRefresh, result.ExpiresIn);
        return new WeChatAccessToken(token, _time.GetUtcNow().AddSeconds(result.ExpiresIn));
    }

    /// <summary>A call that carries the token; on 40001/40014/42001 the token is dropped, a new one fetched, and the call retried once.</summary>
    private async Task<T> CallAsync<T>(WeChatCredentials credentials, string path, Func<string, RestRequest> buildRequest, CancellationToken cancellationToken,
        int acceptedErrcode = 0)
        where T : WeChatResult
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var token = await GetAccessTokenAsync(credentials, forceRefresh: false, cancellationToken).ConfigureAwait(false);
        try
        {
            return await ExecuteAsync<T>(buildRequest(token.Token), path, credentials, token.Token, cancellationToken, acceptedErrcode).ConfigureAwait(false);
        }
        catch (PlatformException ex) when (TokenRejected(ex))
        {
            // The platform refused the token before doing anything, so the retry cannot double an effect.
            WeChatLog.TokenRejected(_logger, path, credentials.AppId, int.Parse(ex.Code, System.Globalization.CultureInfo.InvariantCulture));
            Forget(credentials.AppId, token.Token);
            await _tokenCache.InvalidateAsync(credentials.AppId, token.Token, cancellationToken).ConfigureAwait(false);
            var renewed = await GetAccessTokenAsync(credentials, forceRefresh: false, cancellationToken).ConfigureAwait(false);
            return await ExecuteAsync<T>(buildRequest(renewed.Token), path, credentials, renewed.Token, cancellationToken, acceptedErrcode).ConfigureAwait(false);
        }
    }

    private static bool TokenRejected(PlatformException ex) =>
        int.TryParse(ex.Code, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var code)
        && WeChatErrors.IsTokenRejected(code);

    /// <param name="acceptedErrcode">A non-zero errcode whose answer is a result, not an error (45065 for mass sends); 0 for none.</param>
    private async Task<T> ExecuteAsync<T>(RestRequest request, string path, WeChatCredentials credentials, string? token, CancellationToken cancellationToken,
        int acceptedErrcode = 0)
        where T : WeChatResult
    {
        var appId = credentials.AppId;
        var secret = credentials.AppSecret;
        var response = await _rest.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        if (Transport.Failure(Platform.WeChat, response, token, secret) is { } transportFailure)
        {
            WeChatLog.TransportError(_logger, path, appId, transportFailure.Code, transportFailure.OutcomeUnknown);
            throw transportFailure;
        }

        var raw = response.RawBytes ?? [];
        WeChatResult? envelope = null;
        T? result = null;
        Exception? parseError = null;
        try
        {
            if (raw.Length > 0)
            {
                envelope = WireJson.Deserialize<WeChatResult>(raw);
                if (envelope is not null && (envelope.ErrCode == 0 || (acceptedErrcode != 0 && envelope.ErrCode == acceptedErrcode)))
                {
                    result = WireJson.Deserialize<T>(raw);
                }
            }
        }
        catch (JsonException ex)
        {
            parseError = ex;
        }

        var serverError = (int)response.StatusCode >= 500;
        if (envelope is { ErrCode: not 0 } failed && !(result is not null && failed.ErrCode == acceptedErrcode))
        {
            var error = WeChatErrors.ToException(failed.ErrCode, Secrets.Redact(failed.ErrMsg, token, secret),
                _time.GetUtcNow(), outcomeUnknown: serverError, credentials.AccountKind);
            if (error.ErrorClass == PlatformErrorClass.Permanent && !WeChatErrors.IsTokenRejected(failed.ErrCode))
            {
                WeChatLog.MalformedRequest(_logger, path, appId, failed.ErrCode);
            }
            else
            {
                WeChatLog.PlatformError(_logger, path, appId, failed.ErrCode, error.ErrorClass);
            }

            throw error;
        }

        if (!Transport.IsSuccess(response))
        {
            var error = Transport.HttpStatusFailure(Platform.WeChat, response, token, secret);
            WeChatLog.TransportError(_logger, path, appId, error.Code, error.OutcomeUnknown);
            throw error;
        }

        if (result is null)
        {
            var error = Transport.UnreadableBody(Platform.WeChat, response, parseError, token, secret);
            WeChatLog.TransportError(_logger, path, appId, error.Code, error.OutcomeUnknown);
            throw error;
        }

        return result;
    }

    private static RestRequest JsonPost<TBody>(string path, string? token, TBody body)
    {
        var request = new RestRequest(path, Method.Post);
        if (token is not null)
        {
            request.AddQueryParameter("access_token", token);
        }

        request.AddStringBody(WireJson.Serialize(body), ContentType.Json);
        return request;
    }

    private static RestRequest MultipartPost(string path, string token, MediaFile file, string? type)
    {
        var request = new RestRequest(path, Method.Post);
        request.AddQueryParameter("access_token", token);
        if (type is not null)
        {
            request.AddQueryParameter("type", type);
        }

        UploadFile.Add(request, "media", file);
        return request;
    }

    private static string Required(string? value, string path, string field) =>
        string.IsNullOrEmpty(value) ? throw MissingField(path, field) : value;

    private static PlatformException MissingField(string path, string field) =>
        new(Platform.WeChat, "bad-response", $"{path} answered success without {field}", PlatformErrorClass.Transient,
            $"平台的应答缺少 {field}，平台可能已处理该请求 / The platform's answer lacks {field}; it may have acted on the request",
            outcomeUnknown: true);
}
