using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MediaGateway.Sandbox.Weibo;

/// <summary>
/// The simulated Weibo platform: tokens of pre-authorised users, share.json posting with the platform's checks,
/// destroy, rate limits. All state sits behind one lock.
/// </summary>
internal sealed partial class WeiboPlatform
{
    public const int MaxPictureBytes = 5 * 1024 * 1024;
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private readonly Lock _gate = new();
    private readonly WeiboSandboxOptions _options;
    private readonly Dictionary<string, WeiboSandboxApp> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WeiboSandboxUser> _users = new(StringComparer.Ordinal);
    private readonly List<StatusRecord> _statuses = [];

    // The same statuses by author, so the per-user checks of share.json stay cheap however many posts the sandbox holds.
    private readonly Dictionary<string, List<StatusRecord>> _statusesByUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HourCounter> _userHits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HourCounter> _ipHits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _destroyEffects = new(StringComparer.Ordinal);
    // Limits switched to "exhausted" from the control route until the end of the clock hour: (code, uid or "*") → hour.
    private readonly Dictionary<(int Code, string Uid), DateTimeOffset> _exhausted = [];
    private readonly DateTimeOffset _startedAt;
    private long _nextId = 5_012_345_678_900_000;

    public WeiboPlatform(WeiboSandboxOptions options)
    {
        _options = options;
        _startedAt = options.TimeProvider.GetUtcNow();
        foreach (var app in options.Apps)
        {
            if (!_apps.TryAdd(app.AppKey, app))
            {
                throw new ArgumentException($"App {app.AppKey} is listed twice.", nameof(options));
            }
        }

        foreach (var user in options.Users)
        {
            if (!long.TryParse(user.Uid, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new ArgumentException($"User {user.ScreenName}: Uid must be a decimal number.", nameof(options));
            }

            if (!_apps.ContainsKey(user.AppKey))
            {
                throw new ArgumentException($"User {user.Uid}: unknown app {user.AppKey}.", nameof(options));
            }

            if (!_users.TryAdd(user.AccessToken, user))
            {
                throw new ArgumentException($"User {user.Uid}: access token listed twice.", nameof(options));
            }
        }
    }

    public ImageStore Images { get; } = new();

    public Uri BaseAddress { get; set; } = new("http://127.0.0.1/");

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    /// <summary>
    /// Resolves a token and, when <paramref name="counted"/>, applies and counts the hourly call limits
    /// (rate_limit_status itself is not counted, as on the platform).
    /// </summary>
    public (WeiboSandboxUser? User, WeiboError? Error) Authenticate(string? accessToken, string? ip, bool counted = true)
    {
        // weibo.md, "Auth errors … 21327 expired_token, 21332 invalid_access_token, 21301": missing → 21301.
        if (string.IsNullOrEmpty(accessToken))
        {
            return (null, WeiboError.Of(21301));
        }

        lock (_gate)
        {
            var now = Now;
            if (!_users.TryGetValue(accessToken, out var user))
            {
                return (null, WeiboError.Of(21332));
            }

            // weibo.md, "Lifetime depends on app level … an expired token needs the account owner to re-authorise".
            if (user.ExpiresAt <= now)
            {
                return (null, WeiboError.Of(21327));
            }

            if (!counted)
            {
                return (user, null);
            }

            // weibo.md, "150–1000 calls per user-app per hour, 1,000–10,000 per IP per hour" and "10022 IP limit,
            // 10023 user limit … wait for the hourly window": refused calls are not counted.
            var ipKey = ip ?? "?";
            if (IsExhausted(10022, user.Uid, now) || Count(_ipHits, ipKey, now) >= _options.CallsPerIpPerHour)
            {
                return (null, WeiboError.Of(10022));
            }

            if (IsExhausted(10023, user.Uid, now) || Count(_userHits, user.AccessToken, now) >= _options.CallsPerUserPerHour)
            {
                return (null, WeiboError.Of(10023));
            }

            Hit(_ipHits, ipKey, now);
            Hit(_userHits, user.AccessToken, now);
            return (user, null);
        }
    }

    /// <summary>The uid of a known token (no limits applied, nothing counted): for faults limited to one account.</summary>
    public string? UidOf(string? accessToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return null;
        }

        lock (_gate)
        {
            return _users.TryGetValue(accessToken, out var user) ? user.Uid : null;
        }
    }

    /// <summary>
    /// Control: the limit <paramref name="code"/> (10022, 10023 or 10024) counts as used up for <paramref name="uid"/>
    /// (null = every account) until the end of the current clock hour, when it resets (weibo.md, "wait for the hourly window").
    /// </summary>
    public DateTimeOffset ExhaustLimit(int code, string? uid)
    {
        if (code is not (10022 or 10023 or 10024))
        {
            throw new ArgumentException("code must be 10022 (IP), 10023 (user) or 10024 (user, one API).", nameof(code));
        }

        lock (_gate)
        {
            if (uid is not null && _users.Values.All(u => u.Uid != uid))
            {
                throw new ArgumentException($"unknown uid {uid}", nameof(uid));
            }

            var now = Now;
            _exhausted[(code, uid ?? "*")] = HourStart(now);
            return HourStart(now).AddHours(1);
        }
    }

    /// <summary>Control: every rate-limit counter and switched limit cleared (as if a new hour began).</summary>
    public void ResetLimits()
    {
        lock (_gate)
        {
            _exhausted.Clear();
            _userHits.Clear();
            _ipHits.Clear();
        }
    }

    private bool IsExhausted(int code, string uid, DateTimeOffset now)
    {
        var hour = HourStart(now);
        return (_exhausted.TryGetValue((code, uid), out var mine) && mine == hour)
               || (_exhausted.TryGetValue((code, "*"), out var all) && all == hour);
    }

    /// <summary>weibo.md, "POST /oauth2/get_token_info {access_token} → {uid, appkey, scope, create_at, expire_in} (remaining seconds)".</summary>
    public JsonObject TokenInfo(WeiboSandboxUser user)
    {
        var now = Now;
        return new JsonObject
        {
            ["uid"] = long.Parse(user.Uid, CultureInfo.InvariantCulture),
            ["appkey"] = user.AppKey,
            ["scope"] = string.Empty,
            ["create_at"] = _startedAt.ToUnixTimeSeconds(),
            ["expire_in"] = (long)Math.Max(0, Math.Floor((user.ExpiresAt - now).TotalSeconds)),
        };
    }

    /// <summary>statuses/share.json after authentication: the platform's checks, in its order, then the post.</summary>
    public (JsonObject? Status, WeiboError? Error) Share(
        WeiboSandboxUser user, string? text, string? rip, byte[]? picture, bool picNotMultipart, int pictureCount = 0)
    {
        // weibo.md, error table: "20008 … empty text".
        if (string.IsNullOrEmpty(text))
        {
            return (null, WeiboError.Of(20008));
        }

        // weibo.md, "rip (end user's IP, required in the current docs)"; 10016 missing / 10017 invalid parameter.
        if (string.IsNullOrEmpty(rip))
        {
            return (null, WeiboError.Of(10016, "miss required parameter (rip) , see doc for more info."));
        }

        if (!IPAddress.TryParse(rip, out _))
        {
            return (null, WeiboError.Of(10017, $"parameter (rip)'s value invalid,expect (ip) , but get ({rip}) , see doc for more info."));
        }

        // weibo.md, "status (≤140 characters …)" and "20012 … >140". Counted in text elements (what a reader sees as one character); the real counter may weigh
        // half-width characters or links differently.
        if (new StringInfo(text).LengthInTextElements > 140)
        {
            return (null, WeiboError.Of(20012));
        }

        // weibo.md, "no #topic#". The sheet forbids #topic# in share.json but names no code: the sandbox answers 10017 (invalid parameter
        // value), a permanent content error, like the safe-domain rule.
        var app = _apps[user.AppKey];
        if (!app.TopicsAllowed && Topic().Match(text) is { Success: true } topic)
        {
            return (null, WeiboError.Of(10017, $"parameter (status)'s value invalid, topic {topic.Value} is not supported by share"));
        }

        // weibo.md, "must contain at least one URL on the app's registered safe domain", "10017 "text not find domain!"
        // … 10017 "appkey not bind domain!": app has no safe domain".
        if (string.IsNullOrWhiteSpace(app.SafeDomain))
        {
            return (null, WeiboError.Of(10017, "appkey not bind domain!"));
        }

        if (!ContainsSafeDomainLink(text, app.SafeDomain))
        {
            return (null, WeiboError.Of(10017, "text not find domain!"));
        }

        // weibo.md, "optional pic (one image, multipart, JPEG/GIF/PNG, <5 MB)" and "20005, 20006, 20007 | image type / size /
        // not multipart".
        string? picName = null;
        if (picNotMultipart)
        {
            return (null, WeiboError.Of(20007));
        }

        // "one image": the sheet names no code for more; the sandbox answers 10017 (invalid parameter value).
        if (pictureCount > 1)
        {
            return (null, WeiboError.Of(10017, $"parameter (pic)'s value invalid, share takes one image, but get ({pictureCount}) , see doc for more info."));
        }

        if (picture is not null)
        {
            var kind = ImageSniffer.Detect(picture);
            if (kind is not (ImageKind.Jpeg or ImageKind.Gif or ImageKind.Png))
            {
                return (null, WeiboError.Of(20005));
            }

            if (picture.Length >= MaxPictureBytes)
            {
                return (null, WeiboError.Of(20006));
            }

            picName = Images.Put(picture, kind);
        }

        lock (_gate)
        {
            var now = Now;
            var hourStart = HourStart(now);
            var mine = StatusesOf(user.Uid);
            // weibo.md, "30 posts per user per hour" and "10024 user limit for one API: wait for the hourly window".
            if (IsExhausted(10024, user.Uid, now) || mine.Count(s => s.CreatedAt >= hourStart) >= _options.PostsPerUserPerHour)
            {
                return (null, WeiboError.Of(10024));
            }

            // weibo.md, "Identical text twice is rejected (20019 "repeat content" …)".
            if (mine.Any(s => !s.Destroyed && string.Equals(s.Text, text, StringComparison.Ordinal)))
            {
                return (null, WeiboError.Of(20019));
            }

            _nextId += 1 + Random.Shared.Next(1, 5000);
            var pic = picName is null ? null : $"{BaseAddress}large/{picName}";
            var record = new StatusRecord(_nextId, user, text, pic, rip, now);
            _statuses.Add(record);
            mine.Add(record);
            return (StatusJson(record), null);
        }
    }

    /// <summary>weibo.md, "POST /2/statuses/destroy.json {access_token, id} → the deleted Status; 20101 no such post, 20102 not your own".</summary>
    public (JsonObject? Status, WeiboError? Error) Destroy(WeiboSandboxUser user, string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return (null, WeiboError.Of(10016, "miss required parameter (id) , see doc for more info."));
        }

        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var statusId))
        {
            return (null, WeiboError.Of(10017, $"parameter (id)'s value invalid,expect (long) , but get ({id}) , see doc for more info."));
        }

        lock (_gate)
        {
            var record = _statuses.FirstOrDefault(s => s.Id == statusId && !s.Destroyed);
            if (record is null)
            {
                return (null, WeiboError.Of(20101));
            }

            if (record.User.Uid != user.Uid)
            {
                return (null, WeiboError.Of(20102));
            }

            record.Destroyed = true;
            _destroyEffects[user.Uid] = _destroyEffects.GetValueOrDefault(user.Uid) + 1;
            return (StatusJson(record), null);
        }
    }

    /// <summary>
    /// weibo.md, "GET /2/account/rate_limit_status.json → {ip_limit, remaining_ip_hits, remaining_user_hits,
    /// reset_time_in_seconds, user_limit, limit_time_unit}"; a switched-off limit shows 0 remaining until the reset.
    /// </summary>
    public JsonObject RateLimitStatus(WeiboSandboxUser user, string? ip)
    {
        lock (_gate)
        {
            var now = Now;
            var next = HourStart(now).AddHours(1);
            var posts = IsExhausted(10024, user.Uid, now)
                ? _options.PostsPerUserPerHour
                : StatusesOf(user.Uid).Count(s => s.CreatedAt >= HourStart(now));
            var ipHits = IsExhausted(10022, user.Uid, now) ? _options.CallsPerIpPerHour : Count(_ipHits, ip ?? "?", now);
            var userHits = IsExhausted(10023, user.Uid, now) ? _options.CallsPerUserPerHour : Count(_userHits, user.AccessToken, now);
            return new JsonObject
            {
                ["api_rate_limits"] = new JsonArray(new JsonObject
                {
                    ["api"] = "update_status",
                    ["limit"] = _options.PostsPerUserPerHour,
                    ["limit_time_unit"] = "HOURS",
                    ["remaining_hits"] = Math.Max(0, _options.PostsPerUserPerHour - posts),
                }),
                ["ip_limit"] = _options.CallsPerIpPerHour,
                ["limit_time_unit"] = "HOURS",
                ["remaining_ip_hits"] = Math.Max(0, _options.CallsPerIpPerHour - ipHits),
                ["remaining_user_hits"] = Math.Max(0, _options.CallsPerUserPerHour - userHits),
                ["reset_time"] = next.ToOffset(China).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                ["reset_time_in_seconds"] = (long)Math.Ceiling((next - now).TotalSeconds),
                ["user_limit"] = _options.CallsPerUserPerHour,
            };
        }
    }

    /// <summary>
    /// statuses/user_timeline.json: the user's live statuses, newest first, <paramref name="count"/> per page (default 20,
    /// at most 100), pages from 1, with <c>total_number</c>. Not in weibo.md (the client's reconciliation reads it); shaped
    /// after the platform's v2 API, where a token reads only its own user's timeline: another <paramref name="uid"/> is 10017.
    /// </summary>
    public (JsonObject? Timeline, WeiboError? Error) Timeline(WeiboSandboxUser user, string? uid, string? count, string? page)
    {
        if (uid is not null && uid != user.Uid)
        {
            return (null, WeiboError.Of(10017, $"parameter (uid)'s value invalid, only the authorised user's timeline can be read, but get ({uid})"));
        }

        var perPage = 20;
        if (count is not null && (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out perPage) || perPage < 1))
        {
            return (null, WeiboError.Of(10017, $"parameter (count)'s value invalid,expect (int) , but get ({count}) , see doc for more info."));
        }

        var pageNumber = 1;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out pageNumber) || pageNumber < 1))
        {
            return (null, WeiboError.Of(10017, $"parameter (page)'s value invalid,expect (int) , but get ({page}) , see doc for more info."));
        }

        perPage = Math.Min(perPage, 100);
        lock (_gate)
        {
            var mine = StatusesOf(user.Uid).Where(s => !s.Destroyed)
                .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToList();
            var items = new JsonArray();
            foreach (var s in mine.Skip((pageNumber - 1) * perPage).Take(perPage))
            {
                items.Add(StatusJson(s));
            }

            return (new JsonObject
            {
                ["statuses"] = items,
                ["previous_cursor"] = 0,
                ["next_cursor"] = 0,
                ["total_number"] = mine.Count,
            }, null);
        }
    }

    public WeiboSandboxStatus? FindStatus(string uid, long id)
    {
        lock (_gate)
        {
            var record = _statuses.FirstOrDefault(s => s.Id == id && s.User.Uid == uid);
            return record is null ? null : Snapshot(record);
        }
    }

    public IReadOnlyList<WeiboSandboxStatus> Statuses()
    {
        lock (_gate)
        {
            return _statuses.Select(Snapshot).ToList();
        }
    }

    public int PostEffectCount(string uid)
    {
        lock (_gate)
        {
            return StatusesOf(uid).Count;
        }
    }

    /// <summary>The user's statuses, oldest first (the live list: callers hold the gate).</summary>
    private List<StatusRecord> StatusesOf(string uid)
    {
        if (!_statusesByUid.TryGetValue(uid, out var list))
        {
            _statusesByUid[uid] = list = [];
        }

        return list;
    }

    /// <summary>How many statuses/destroy calls took effect for the user.</summary>
    public int DestroyEffectCount(string uid)
    {
        lock (_gate)
        {
            return _destroyEffects.GetValueOrDefault(uid);
        }
    }

    public JsonObject Stats()
    {
        lock (_gate)
        {
            var users = new JsonArray();
            foreach (var user in _users.Values)
            {
                users.Add(new JsonObject
                {
                    ["uid"] = user.Uid,
                    ["screenName"] = user.ScreenName,
                    ["appKey"] = user.AppKey,
                    ["postEffects"] = _statuses.Count(s => s.User.Uid == user.Uid),
                    ["live"] = _statuses.Count(s => s.User.Uid == user.Uid && !s.Destroyed),
                    ["destroyed"] = _statuses.Count(s => s.User.Uid == user.Uid && s.Destroyed),
                    ["destroyEffects"] = _destroyEffects.GetValueOrDefault(user.Uid),
                });
            }

            return new JsonObject { ["users"] = users };
        }
    }

    /// <summary>"Wed Oct 24 23:49:17 +0800 2012": China time, English names.</summary>
    public static string FormatCreatedAt(DateTimeOffset at) =>
        at.ToOffset(China).ToString("ddd MMM dd HH:mm:ss '+0800' yyyy", CultureInfo.InvariantCulture);

    private static bool ContainsSafeDomainLink(string text, string safeDomain)
    {
        var domain = safeDomain.Trim().TrimEnd('.');
        foreach (Match m in Link().Matches(text))
        {
            var host = m.Groups["host"].Value.TrimEnd('.');
            if (string.Equals(host, domain, StringComparison.OrdinalIgnoreCase)
                || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private JsonObject StatusJson(StatusRecord s)
    {
        var uid = long.Parse(s.User.Uid, CultureInfo.InvariantCulture);
        var idstr = s.Id.ToString(CultureInfo.InvariantCulture);
        var json = new JsonObject
        {
            ["created_at"] = FormatCreatedAt(s.CreatedAt),
            ["id"] = s.Id,
            ["idstr"] = idstr,
            ["mid"] = idstr,
            ["text"] = s.Text,
            ["source"] = "<a href=\"https://app.weibo.com/t/feed/sandbox\" rel=\"nofollow\">MediaGateway</a>",
            ["favorited"] = false,
            ["truncated"] = false,
            ["reposts_count"] = 0,
            ["comments_count"] = 0,
            ["attitudes_count"] = 0,
            ["user"] = new JsonObject
            {
                ["id"] = uid,
                ["idstr"] = s.User.Uid,
                ["screen_name"] = s.User.ScreenName,
                ["name"] = s.User.ScreenName,
            },
        };
        if (s.Picture is not null)
        {
            json["thumbnail_pic"] = s.Picture;
            json["bmiddle_pic"] = s.Picture;
            json["original_pic"] = s.Picture;
        }

        return json;
    }

    private WeiboSandboxStatus Snapshot(StatusRecord s)
    {
        var idstr = s.Id.ToString(CultureInfo.InvariantCulture);
        return new WeiboSandboxStatus(s.Id, idstr, idstr, s.User.Uid, s.User.ScreenName, s.User.AppKey, s.Text,
            s.Picture, $"{BaseAddress}{s.User.Uid}/{idstr}", s.Rip, s.CreatedAt, s.Destroyed);
    }

    private static DateTimeOffset HourStart(DateTimeOffset now) =>
        new(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);

    private static void Hit(Dictionary<string, HourCounter> counters, string key, DateTimeOffset now)
    {
        var hour = HourStart(now);
        if (!counters.TryGetValue(key, out var c) || c.Hour != hour)
        {
            c = new HourCounter(hour);
            counters[key] = c;
        }

        c.Count++;
    }

    private static int Count(Dictionary<string, HourCounter> counters, string key, DateTimeOffset now) =>
        counters.TryGetValue(key, out var c) && c.Hour == HourStart(now) ? c.Count : 0;

    [GeneratedRegex(@"#[^#\r\n]+#")]
    private static partial Regex Topic();

    [GeneratedRegex(@"https?://(?<host>[A-Za-z0-9.\-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    private sealed class HourCounter(DateTimeOffset hour)
    {
        public DateTimeOffset Hour { get; } = hour;

        public int Count { get; set; }
    }

    private sealed class StatusRecord(long id, WeiboSandboxUser user, string text, string? picture, string rip, DateTimeOffset createdAt)
    {
        public long Id { get; } = id;

        public WeiboSandboxUser User { get; } = user;

        public string Text { get; } = text;

        public string? Picture { get; } = picture;

        public string Rip { get; } = rip;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public bool Destroyed { get; set; }
    }
}
