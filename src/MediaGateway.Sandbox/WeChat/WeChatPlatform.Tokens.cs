using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static MediaGateway.Sandbox.WeChat.WeChatErrors;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>Access tokens: cgi-bin/token, cgi-bin/stable_token, their quotas, and resolving ?access_token=.</summary>
internal sealed partial class WeChatPlatform
{
    public static readonly TimeSpan TokenOverlap = TimeSpan.FromMinutes(5);
    public const int DailyTokenQuota = 2000;
    public const int DailyForceRefreshQuota = 20;
    public static readonly TimeSpan ForceRefreshSpacing = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, TokenRecord> _tokens = new(StringComparer.Ordinal);

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

    /// <summary>The appid a request is for: from its access_token (valid or not) or its appid parameter.</summary>
    public string? AppIdOfToken(string accessToken)
    {
        lock (_gate)
        {
            return _tokens.TryGetValue(accessToken, out var token) ? token.AppId : null;
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
}
