using System.Globalization;
using System.Text.Json;
using MediaGateway.Platforms.Internal;
using Microsoft.Extensions.Logging;
using RestSharp;

namespace MediaGateway.Platforms.Weibo;

/// <summary>
/// The Sina Weibo Open API (shared/platforms/weibo.md): post, delete, token info, rate limits.
/// Every failure is a classified <see cref="PlatformException"/>, except 20032/20053 which mean the post exists.
/// Thread-safe; meant to be a singleton.
/// </summary>
public sealed class WeiboClient : IDisposable
{
    /// <summary>The platform's maximum <c>count</c> for a timeline page.</summary>
    public const int MaxTimelineCount = 100;

    /// <summary>How far before <c>since</c> a status may be dated and still match: the platform's clock is not ours.</summary>
    public static readonly TimeSpan ReconcileClockSkew = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly ILogger<WeiboClient> _logger;
    private readonly RestClient _rest;

    public WeiboClient(WeiboClientOptions options, TimeProvider timeProvider, ILogger<WeiboClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _time = timeProvider;
        _logger = logger;
        _rest = Transport.CreateClient(options.BaseUrl, options.Timeout);
    }

    /// <summary>
    /// <c>statuses/share</c>: posts the text (which must hold a link on the app's safe domain), with one picture if given.
    /// No idempotency key: after an <see cref="PlatformException.OutcomeUnknown"/> failure, look for the post before posting again.
    /// 20032/20053 come back as a status with <see cref="WeiboStatus.AcceptedWithoutStatus"/>.
    /// </summary>
    public async Task<WeiboStatus> ShareAsync(WeiboCredentials credentials, WeiboShareRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Status);
        const string path = "2/statuses/share.json";

        var http = new RestRequest(path, Method.Post);
        http.AddParameter("access_token", credentials.AccessToken);
        http.AddParameter("status", request.Status);
        http.AddParameter("rip", request.ClientIp);
        if (request.Picture is { } picture)
        {
            UploadFile.Add(http, "pic", picture);
        }

        return await ExecuteStatusAsync(http, path, credentials, request.Status, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>statuses/destroy</c>, the retraction path: returns the deleted status.</summary>
    public async Task<WeiboStatus> DestroyAsync(WeiboCredentials credentials, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrEmpty(id);
        const string path = "2/statuses/destroy.json";

        var http = new RestRequest(path, Method.Post);
        http.AddParameter("access_token", credentials.AccessToken);
        http.AddParameter("id", id);
        return await ExecuteStatusAsync(http, path, credentials, fallbackText: string.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>oauth2/get_token_info</c>: whose token it is and how long it has left (warn the owner before it runs out).</summary>
    public async Task<WeiboTokenInfo> GetTokenInfoAsync(WeiboCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        const string path = "oauth2/get_token_info";

        var http = new RestRequest(path, Method.Post);
        http.AddParameter("access_token", credentials.AccessToken);
        var info = await ExecuteAsync<TokenInfoWire>(http, path, credentials, cancellationToken).ConfigureAwait(false);
        return new WeiboTokenInfo(
            Required(info.Uid, path, "uid"),
            info.AppKey ?? string.Empty,
            string.IsNullOrEmpty(info.Scope) ? null : info.Scope,
            info.CreateAt is > 0 and var created ? DateTimeOffset.FromUnixTimeSeconds(created) : null,
            TimeSpan.FromSeconds(Math.Max(0, info.ExpireIn)));
    }

    /// <summary><c>account/rate_limit_status</c>: the hourly limits left for this token and the caller's IP.</summary>
    public async Task<WeiboRateLimitStatus> GetRateLimitStatusAsync(WeiboCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        const string path = "2/account/rate_limit_status.json";

        var http = new RestRequest(path, Method.Get);
        http.AddQueryParameter("access_token", credentials.AccessToken);
        var r = await ExecuteAsync<RateLimitWire>(http, path, credentials, cancellationToken).ConfigureAwait(false);
        return new WeiboRateLimitStatus(r.IpLimit, r.RemainingIpHits, r.RemainingUserHits, r.ResetTimeInSeconds, r.UserLimit,
            string.IsNullOrEmpty(r.LimitTimeUnit) ? null : r.LimitTimeUnit);
    }

    /// <summary>
    /// <c>statuses/user_timeline</c>: one page (1-based) of the token owner's statuses, newest first; <paramref name="count"/> 1–100.
    /// NOTE: weibo.md does not list this endpoint; its shape (access_token, uid, count, page →
    /// <c>{statuses:[Status…], total_number}</c>) is the platform's documented v2 API, and the sandbox implements the same.
    /// </summary>
    public async Task<WeiboTimelinePage> GetUserTimelineAsync(WeiboCredentials credentials, string? uid, int count, int page,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxTimelineCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        const string path = "2/statuses/user_timeline.json";

        var http = new RestRequest(path, Method.Get);
        http.AddQueryParameter("access_token", credentials.AccessToken);
        if (!string.IsNullOrEmpty(uid))
        {
            http.AddQueryParameter("uid", uid);
        }

        http.AddQueryParameter("count", count.ToString(CultureInfo.InvariantCulture));
        http.AddQueryParameter("page", page.ToString(CultureInfo.InvariantCulture));
        var timeline = await ExecuteAsync<TimelineWire>(http, path, credentials, cancellationToken).ConfigureAwait(false);
        var statuses = new List<WeiboStatus>();
        foreach (var s in timeline.Statuses ?? [])
        {
            var id = NullIfEmpty(s.IdStr) ?? NullIfEmpty(s.Id);
            if (id is null)
            {
                continue;
            }

            statuses.Add(new WeiboStatus(id, NullIfEmpty(s.Mid), s.Text ?? string.Empty, WeiboDates.ParseCreatedAt(s.CreatedAt),
                NullIfEmpty(s.User?.IdStr) ?? NullIfEmpty(s.User?.Id), NullIfEmpty(s.OriginalPic)));
        }

        var total = long.TryParse(timeline.TotalNumber, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : statuses.Count;
        return new WeiboTimelinePage(statuses, total);
    }

    /// <summary>
    /// Reconciliation after an unknown outcome (timeout, 5xx after send, 20017/20019/20111): looks through the token owner's
    /// statuses created since <paramref name="since"/> (less <see cref="ReconcileClockSkew"/>) for one with this text, before
    /// anything is posted again. Null when no such status exists. Reads at most <paramref name="maxPages"/> pages of 100.
    /// NOTE: weibo.md does not list <c>statuses/user_timeline</c>; see <see cref="GetUserTimelineAsync"/>.
    /// A post held for review (20053) may stay invisible here for about 3 minutes (weibo.md, "20053 … held for a 3-minute
    /// manual review"): a caller that got 20053 already knows the post exists and needs no lookup.
    /// </summary>
    public async Task<WeiboStatus?> FindRecentPostAsync(WeiboCredentials credentials, string text, DateTimeOffset since,
        CancellationToken cancellationToken) =>
        await FindRecentPostAsync(credentials, uid: null, text, since, maxPages: 3, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc cref="FindRecentPostAsync(WeiboCredentials, string, DateTimeOffset, CancellationToken)"/>
    public async Task<WeiboStatus?> FindRecentPostAsync(WeiboCredentials credentials, string? uid, string text, DateTimeOffset since,
        int maxPages, CancellationToken cancellationToken)
    {
        var found = await FindRecentPostsAsync(credentials, uid, text, since - ReconcileClockSkew, maxPages, cancellationToken)
            .ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    /// <summary>
    /// Every live status of the account with this text (<see cref="WeiboPostMatch.SameText"/>) created at or after
    /// <paramref name="notBefore"/>, newest first, reading at most <paramref name="maxPages"/> timeline pages. Text is not an
    /// identity (weibo.md): the caller decides which, if any, is its own, from the creation time and who already holds each.
    /// </summary>
    public async Task<IReadOnlyList<WeiboStatus>> FindRecentPostsAsync(WeiboCredentials credentials, string? uid, string text, DateTimeOffset notBefore,
        int maxPages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrEmpty(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPages, 1);
        var from = notBefore;
        var matches = new List<WeiboStatus>();
        for (var page = 1; page <= maxPages; page++)
        {
            var timeline = await GetUserTimelineAsync(credentials, uid, MaxTimelineCount, page, cancellationToken)
                .ConfigureAwait(false);
            foreach (var status in timeline.Statuses)
            {
                if (status.CreatedAt is { } created && created < from)
                {
                    continue;
                }

                if (WeiboPostMatch.SameText(text, status.Text) && !string.IsNullOrEmpty(status.IdStr))
                {
                    WeiboLog.Reconciled(_logger, status.IdStr, page);
                    matches.Add(status);
                }
            }

            // Newest first: once a page reaches back before the window (or is short), older pages cannot match.
            var pastWindow = timeline.Statuses.Count > 0 && timeline.Statuses[^1].CreatedAt is { } oldest && oldest < from;
            if (pastWindow || timeline.Statuses.Count < MaxTimelineCount)
            {
                break;
            }
        }

        return matches;
    }

    public void Dispose() => _rest.Dispose();

    private async Task<WeiboStatus> ExecuteStatusAsync(RestRequest http, string path, WeiboCredentials credentials, string fallbackText,
        CancellationToken cancellationToken)
    {
        (var body, var acceptedCode) = await ExecuteAsync<StatusWire>(http, path, credentials, postExistsIsSuccess: true,
            cancellationToken).ConfigureAwait(false);
        if (acceptedCode != 0)
        {
            WeiboLog.AcceptedWithoutStatus(_logger, path, acceptedCode);
            return new WeiboStatus(
                NullIfEmpty(body?.IdStr) ?? NullIfEmpty(body?.Id),
                NullIfEmpty(body?.Mid),
                body?.Text ?? fallbackText,
                WeiboDates.ParseCreatedAt(body?.CreatedAt),
                NullIfEmpty(body?.User?.IdStr) ?? NullIfEmpty(body?.User?.Id),
                NullIfEmpty(body?.OriginalPic))
            {
                AcceptedWithoutStatus = true,
            };
        }

        var status = body!;
        return new WeiboStatus(
            NullIfEmpty(status.IdStr) ?? Required(status.Id, path, "idstr"),
            NullIfEmpty(status.Mid),
            status.Text ?? fallbackText,
            WeiboDates.ParseCreatedAt(status.CreatedAt),
            NullIfEmpty(status.User?.IdStr) ?? NullIfEmpty(status.User?.Id),
            NullIfEmpty(status.OriginalPic));
    }

    private async Task<T> ExecuteAsync<T>(RestRequest request, string path, WeiboCredentials credentials, CancellationToken cancellationToken)
        where T : WeiboResult
    {
        (var result, _) = await ExecuteAsync<T>(request, path, credentials, postExistsIsSuccess: false, cancellationToken).ConfigureAwait(false);
        return result!;
    }

    /// <summary>
    /// The answer's body; with <paramref name="postExistsIsSuccess"/>, a 20032/20053 answer comes back as its code
    /// (and whatever body it had) instead of an exception.
    /// </summary>
    private async Task<(T? Result, int AcceptedCode)> ExecuteAsync<T>(RestRequest request, string path, WeiboCredentials credentials,
        bool postExistsIsSuccess, CancellationToken cancellationToken)
        where T : WeiboResult
    {
        var token = credentials.AccessToken;
        var response = await _rest.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        if (Transport.Failure(Platform.Weibo, response, token) is { } transportFailure)
        {
            WeiboLog.TransportError(_logger, path, transportFailure.Code, transportFailure.OutcomeUnknown);
            throw transportFailure;
        }

        var raw = response.RawBytes ?? [];
        T? result = null;
        WeiboResult? envelope = null;
        Exception? parseError = null;
        try
        {
            if (raw.Length > 0)
            {
                envelope = WireJson.Deserialize<WeiboResult>(raw);
                result = WireJson.Deserialize<T>(raw);
            }
        }
        catch (JsonException ex)
        {
            parseError = ex;
        }

        // Any body with error_code is a failure, whatever the HTTP status.
        if (envelope is { ErrorCode: { Length: > 0 } code })
        {
            if (postExistsIsSuccess && int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var numeric)
                && WeiboErrors.MeansPostExists(numeric))
            {
                return (result, numeric);
            }

            var error = WeiboErrors.ToException(code, Secrets.Redact(envelope.Error, token), _time.GetUtcNow(),
                outcomeUnknown: (int)response.StatusCode >= 500);
            if (error.ErrorClass == PlatformErrorClass.Permanent)
            {
                WeiboLog.MalformedRequest(_logger, path, code);
            }
            else
            {
                WeiboLog.PlatformError(_logger, path, code, error.ErrorClass);
            }

            throw error;
        }

        if (!Transport.IsSuccess(response))
        {
            var error = Transport.HttpStatusFailure(Platform.Weibo, response, token);
            WeiboLog.TransportError(_logger, path, error.Code, error.OutcomeUnknown);
            throw error;
        }

        if (result is null)
        {
            var error = Transport.UnreadableBody(Platform.Weibo, response, parseError, token);
            WeiboLog.TransportError(_logger, path, error.Code, error.OutcomeUnknown);
            throw error;
        }

        return (result, 0);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string Required(string? value, string path, string field) =>
        string.IsNullOrEmpty(value)
            ? throw new PlatformException(Platform.Weibo, "bad-response", $"{path} answered success without {field}", PlatformErrorClass.Transient,
                $"平台的应答缺少 {field}，平台可能已处理该请求 / The platform's answer lacks {field}; it may have acted on the request",
                outcomeUnknown: true)
            : value;
}
