using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>
/// The simulated Official Account platform, one partial file per concern: tokens, media, drafts, free publishing, mass
/// send and callbacks. All state sits behind one lock; the asynchronous publish outcome is settled lazily against the
/// TimeProvider whenever state is read.
/// Character limits are counted in UTF-16 code units (string.Length): close enough for a sandbox, and stricter than
/// code points for characters outside the BMP.
/// </summary>
internal sealed partial class WeChatPlatform
{
    private readonly Lock _gate = new();
    private readonly WeChatSandboxOptions _options;
    private readonly SandboxFaults _faults;
    private readonly Dictionary<string, AppState> _apps = new(StringComparer.Ordinal);
    private long _nextId = 2_247_483_700;
    private long _idResponses;

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

    private long NextId() => _nextId += 1 + RandomNumberGenerator.GetInt32(7);

    /// <summary>Ids go out as digit strings in one answer and integers in the next: clients must accept both.</summary>
    private bool NextIdsAsStrings() => _idResponses++ % 2 == 0;

    private static JsonValue IdNode(long id, bool asString) =>
        asString ? JsonValue.Create(id.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(id);

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
}
