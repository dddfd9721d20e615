using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Reliability;

/// <summary>An account a generated item may target.</summary>
public enum PropertyTarget
{
    /// <summary>WeChat subscription account, freepublish.</summary>
    WxCity,
    /// <summary>WeChat service account, mass send (quota-limited, clientmsgid).</summary>
    WxMass,
    /// <summary>Weibo, statuses/share (no idempotency key, 20019 for a repeated text).</summary>
    WbCity,
}

/// <summary>A sandbox fault the sequence arms; each matches the next request(s) of its kind only.</summary>
public enum PropertyFault
{
    /// <summary>statuses/share posts, then answers 503: outcome unknown.</summary>
    WeiboShareLost503,
    /// <summary>statuses/share posts, then the connection is closed without an answer.</summary>
    WeiboShareClosed,
    /// <summary>statuses/share posts, then answers after the client's timeout.</summary>
    WeiboShareTimeout,
    /// <summary>
    /// From now on statuses/share answers 20019 "repeat content" without posting: Weibo refuses the text as a repeat of an
    /// earlier post the run cannot see (weibo.md: with no post of this publication that is a refusal to show a person).
    /// </summary>
    Weibo20019,
    /// <summary>statuses/share answers 21327 expired_token: an auth refusal before any effect.</summary>
    WeiboTokenExpired,
    /// <summary>freepublish/submit takes effect, then answers 503.</summary>
    WeChatSubmitLost503,
    /// <summary>freepublish/submit takes effect, then the connection is closed.</summary>
    WeChatSubmitClosed,
    /// <summary>freepublish/submit takes effect, then answers after the client's timeout.</summary>
    WeChatSubmitTimeout,
    /// <summary>The next freepublish job stays publish_status 1 for N polls of freepublish/get.</summary>
    WeChatSlowPublish,
    /// <summary>A slow job (N polls) whose submit answer is also lost: the gateway cannot see the job at all.</summary>
    WeChatSlowPublishLost,
    /// <summary>draft/add answers 45009: the account's daily API quota is used up.</summary>
    WeChat45009,
    /// <summary>
    /// The service account's monthly mass quota is used behind the gateway's back (sends by another client, as sends racing
    /// each other at China midnight would) until one send is left: of the gateway's next two fresh mass/sendall calls the
    /// second answers 45028, while a repeat of an accepted clientmsgid still answers 45065 (the sandbox's order, the sheet's rule).
    /// </summary>
    WeChatMassQuotaUsedElsewhere,
    /// <summary>mass/sendall takes effect, then answers 503 (a repeat with the same clientmsgid answers 45065).</summary>
    WeChatMassLost503,
    /// <summary>Every WeChat token of both accounts expires now (next call: 42001).</summary>
    WeChatTokensExpire,
}

public abstract record PropertyOp;

/// <summary>An operator submits an item with one of two shared texts (same title, summary and "read original" link).</summary>
public sealed record SubmitOp(int Text, PropertyTarget[] Targets) : PropertyOp
{
    public override string ToString() => $"Submit(text {Text} → {string.Join('+', Targets)})";
}

/// <summary>Levels 1–3 approve the n-th submitted item (modulo the count).</summary>
public sealed record ApproveOp(int Item) : PropertyOp
{
    public override string ToString() => $"Approve(#{Item})";
}

/// <summary>The operator asks to retract the n-th item and the sign-off level approves (a no-op when the gateway refuses).</summary>
public sealed record RetractOp(int Item) : PropertyOp
{
    public override string ToString() => $"Retract(#{Item})";
}

public sealed record FaultOp(PropertyFault Fault, int Polls) : PropertyOp
{
    public override string ToString() => Fault is PropertyFault.WeChatSlowPublish or PropertyFault.WeChatSlowPublishLost ? $"Fault({Fault}, {Polls} polls)" : $"Fault({Fault})";
}

public sealed record WaitOp(int Milliseconds) : PropertyOp
{
    public override string ToString() => $"Wait({Milliseconds} ms)";
}

/// <summary>The clock of the gateway and the sandboxes jumps forward to a few seconds before China midnight (a new quota day after it).</summary>
public sealed record ClockJumpOp(int SecondsBeforeMidnight) : PropertyOp
{
    public override string ToString() => $"ClockJump(China midnight − {SecondsBeforeMidnight} s)";
}

/// <summary>
/// Issue 18's property: random sequences of items (many with identical texts, titles and links), approvals, sandbox faults
/// and retractions against the real gateway, a real Redis and the sandboxes over loopback HTTP; after each run the record
/// (the API) is checked against the sandboxes' own truth. A fresh world per case, so every post on a sandbox is this case's.
/// </summary>
public static class PublishingProperty
{
    /// <summary>How long the record has to come to rest after the sequence (compressed timers: every wait the gateway sets is a few seconds at most).</summary>
    public static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(20);

    /// <summary>The two texts items share: identical titles, summaries and links, so Weibo posts and WeChat title+link collide.</summary>
    private static readonly (string Title, string Summary)[] Texts =
    [
        ("关于调整部分公交线路的通知", "自下周一起部分公交线路调整，请市民留意。"),
        ("城市道路施工安全提示", "施工路段请减速慢行，注意安全。"),
    ];

    private const string Link = "https://www.example.gov.cn/zwgk/notice.html";

    private static readonly Gen<PropertyTarget[]> Targets = Gen.Int[1, 7].Select(mask =>
        Enum.GetValues<PropertyTarget>().Where((_, i) => (mask & (1 << i)) != 0).ToArray());

    /// <summary>Mostly the first text: collisions are the point.</summary>
    private static readonly Gen<int> Text = Gen.Frequency((4, Gen.Const(0)), (1, Gen.Const(1)));

    private static readonly Gen<PropertyOp> Op = Gen.Frequency(
        (3, Gen.Select(Text, Targets, (text, targets) => (PropertyOp)new SubmitOp(text, targets))),
        (4, Gen.Int[0, 7].Select(i => (PropertyOp)new ApproveOp(i))),
        (3, Gen.Select(Gen.Enum<PropertyFault>(), Gen.Int[2, 5], (fault, polls) => (PropertyOp)new FaultOp(fault, polls))),
        (2, Gen.Int[0, 7].Select(i => (PropertyOp)new RetractOp(i))),
        (1, Gen.Int[100, 1500].Select(ms => (PropertyOp)new WaitOp(ms))));

    /// <summary>A run: 5 to 12 operations.</summary>
    public static readonly Gen<PropertyOp[]> Sequences = Op.Array[5, 12];

    /// <summary>
    /// A run with one clock jump to just before China midnight at a random place, so the day (and the subscription account's
    /// mass quota, Weibo's hourly windows, token lifetimes) turns over in the middle of the sequence. Kept apart from
    /// <see cref="Sequences"/>, so the seeds found there replay as they did.
    /// </summary>
    public static readonly Gen<PropertyOp[]> SequencesAcrossMidnight = Gen.Select(Sequences, Gen.Int[0, 12], Gen.Int[1, 4],
        (ops, at, seconds) => (PropertyOp[])[.. ops.Take(at), new ClockJumpOp(seconds), .. ops.Skip(at)]);

    public static string Describe(PropertyOp[] ops) => string.Join(", ", ops.Select(o => o.ToString()));

    /// <summary>Runs one sequence in a fresh world and throws with every violated invariant, the sequence and the record.</summary>
    public static async Task RunAsync(PropertyOp[] ops)
    {
        var world = new PropertyWorld();
        PropertyRun run;
        Dictionary<int, JsonObject> items;
        List<string> unsettled;
        PlatformTruth truth;
        try
        {
            await world.InitializeAsync();
            run = new PropertyRun(world);
            foreach (var op in ops)
            {
                await run.ApplyAsync(op);
            }

            (items, unsettled) = await run.SettleAsync();
            truth = PlatformTruth.Read(world, run.Items);
        }
        finally
        {
            await world.DisposeAsync();
        }

        var violations = Invariants.Check(run.Items, items, truth, unsettled).ToList();
        if (violations.Count > 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"{violations.Count} invariant violation(s)\nsequence: {Describe(ops)}\nlog:\n  {string.Join("\n  ", run.Log)}\n"
                + $"violations:\n  {string.Join("\n  ", violations)}\nrecord:\n{Record(items)}\nsandbox truth:\n{truth}");
        }
    }

    private static string Record(IReadOnlyDictionary<int, JsonObject> items)
    {
        var lines = new StringBuilder();
        foreach (var (index, item) in items.OrderBy(i => i.Key))
        {
            foreach (var pub in item["publications"]!.AsArray())
            {
                var notes = pub!["history"]!.AsArray().TakeLast(4).Select(h => h!["note"]!.GetValue<string>());
                lines.AppendLine(CultureInfo.InvariantCulture,
                    $"  #{index} {pub["accountId"]}: {pub["state"]} id={pub["platformId"]} retraction={pub["retraction"]} due={pub["dueAt"]} — {string.Join(" | ", notes)}");
            }
        }

        return lines.ToString();
    }

    /// <summary>The gateway in process (its timers compressed) on a Redis and sandboxes of its own.</summary>
    private sealed class PropertyWorld() : GatewayTestHost(
    [
        "--Platforms:WeChat:TimeoutSeconds=2", "--Platforms:Weibo:TimeoutSeconds=2", "--Publishing:LeaseSeconds=4",
        "--Publishing:ReconcileWindowSeconds=3", "--Publishing:MaxAttempts=6", "--Publishing:DrainSeconds=1",
        "--Publishing:PauseRecheckMilliseconds=300",
        "--Logging:LogLevel:Default=Critical",
    ])
    {
        /// <summary>The gateway's and the sandboxes' clock, which a <see cref="ClockJumpOp"/> moves.</summary>
        public JumpingClock Jumps { get; } = new();

        protected override TimeProvider Clock => Jumps;
    }

    /// <summary>An item the run submitted: its marker (in the body, and in its own cover image's bytes) tells its posts apart.</summary>
    public sealed record RunItem(int Index, string Id, int Text, PropertyTarget[] Targets, string Marker, string CoverSha256)
    {
        public bool Approved { get; set; }

        public bool RetractionApproved { get; set; }
    }

    private sealed class PropertyRun(GatewayTestHost world)
    {
        private static readonly byte[] Cover = File.ReadAllBytes(Path.Combine(RepoPaths.Config, "demo", "cover.png"));

        public List<RunItem> Items { get; } = [];

        public List<string> Log { get; } = [];

        public async Task ApplyAsync(PropertyOp op)
        {
            switch (op)
            {
                case SubmitOp s:
                    await SubmitAsync(s);
                    break;
                case ApproveOp a when Items.Any(i => !i.Approved):
                    // The n-th item still waiting for review (modulo their count).
                    var waiting = Items.Where(i => !i.Approved).ToList();
                    var item = waiting[a.Item % waiting.Count];
                    await TestData.ApproveAllLevelsAsync(world, item.Id);
                    item.Approved = true;
                    Log.Add($"{op}: #{item.Index} approved");
                    break;
                case RetractOp r when Items.Count > 0:
                    await RetractAsync(Items[r.Item % Items.Count], op);
                    break;
                case FaultOp { Fault: PropertyFault.WeChatMassQuotaUsedElsewhere } f:
                    await UseUpMassQuotaAsync();
                    Log.Add(f.ToString());
                    break;
                case FaultOp f:
                    Arm(f);
                    Log.Add(op.ToString());
                    break;
                case ClockJumpOp j:
                    var clock = ((PropertyWorld)world).Jumps;
                    clock.JumpTo(JumpingClock.NextChinaMidnight(clock.GetUtcNow()) - TimeSpan.FromSeconds(j.SecondsBeforeMidnight));
                    Log.Add($"{op}: the clock now reads {clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss} China time");
                    break;
                case WaitOp w:
                    await Task.Delay(w.Milliseconds);
                    Log.Add(op.ToString());
                    break;
                default:
                    Log.Add($"{op}: no item for it");
                    break;
            }
        }

        private async Task SubmitAsync(SubmitOp s)
        {
            using var op = world.Client(GatewayTestHost.OperatorToken);
            var index = Items.Count;
            var marker = $"MK{index:D2}{RandomNumberGenerator.GetHexString(6, lowercase: true)}";
            // The item's own cover: the demo PNG with the marker after its end, so a Weibo post's picture names its item.
            var bytes = Cover.Concat(Encoding.ASCII.GetBytes(marker)).ToArray();
            using var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(bytes), "file", "cover.png");
            using var uploaded = await op.PostAsync("api/media", form);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
            var cover = (await uploaded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            var (title, summary) = Texts[s.Text];
            var article = new JsonObject
            {
                ["title"] = title,
                ["summary"] = summary,
                ["body"] = $"核对码 {marker} 。\n\n正文第一段。\n\n第二段。",
                ["link"] = Link,
                ["coverMediaId"] = cover,
                ["targets"] = new JsonArray(s.Targets.Select(t => (JsonNode)AccountOf(t)!).ToArray()),
                ["category"] = "News",
            };
            var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
            Items.Add(new RunItem(index, id, s.Text, s.Targets, marker, Convert.ToHexStringLower(SHA256.HashData(bytes))));
            Log.Add($"{s}: #{index} = {id} ({marker})");
        }

        private async Task RetractAsync(RunItem item, PropertyOp op)
        {
            using var client = world.Client(GatewayTestHost.OperatorToken);
            // A retraction needs something published: give an approved item a few seconds to get there first.
            var until = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(6);
            while (item.Approved && DateTimeOffset.UtcNow < until
                   && !(await TestData.GetAsync(client, item.Id))["publications"]!.AsArray().Any(p => p!["state"]!.GetValue<string>() == "published"))
            {
                await Task.Delay(200);
            }

            using var asked = await client.PostAsJsonAsync($"api/content/{item.Id}/retraction", new { reason = "数据有误，需撤回" });
            if (!asked.IsSuccessStatusCode)
            {
                Log.Add($"{op}: #{item.Index} refused ({(int)asked.StatusCode})");
                return;
            }

            using var signOff = world.Client(GatewayTestHost.Reviewer3Token);
            using var decided = await signOff.PostAsJsonAsync($"api/content/{item.Id}/retraction/decision", new { decision = "approve", comment = "同意撤回" });
            Assert.True(decided.IsSuccessStatusCode, await decided.Content.ReadAsStringAsync());
            item.RetractionApproved = true;
            Log.Add($"{op}: #{item.Index} retraction approved");
        }

        /// <summary>Another client of wx-mass (not the gateway) mass-sends until one send of the month's four is left; its articles carry <see cref="PlatformTruth.ElsewhereMarker"/>.</summary>
        private async Task UseUpMassQuotaAsync()
        {
            using var http = new HttpClient { BaseAddress = world.WeChat.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var secret = Uri.EscapeDataString(RepoPaths.DemoSecret("wx-city.appsecret"));
            var token = Field(await http.GetStringAsync($"cgi-bin/token?grant_type=client_credential&appid={GatewayTestHost.MassAppId}&secret={secret}"), "access_token");
            using var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(Cover), "media", "cover.png");
            using var material = await http.PostAsync($"cgi-bin/material/add_material?type=image&access_token={token}", form);
            var thumb = Field(await material.Content.ReadAsStringAsync(), "media_id");
            var accepted = world.WeChat.Submissions.Count(m => m.AppId == GatewayTestHost.MassAppId && m.Kind == "mass" && m.Status != "SEND_FAIL");
            for (var i = accepted; i < 3; i++)
            {
                var article = new JsonObject { ["title"] = "Sent elsewhere", ["content"] = $"<p>{PlatformTruth.ElsewhereMarker} {i}</p>", ["thumb_media_id"] = thumb };
                using var draft = await http.PostAsJsonAsync($"cgi-bin/draft/add?access_token={token}", new JsonObject { ["articles"] = new JsonArray(article) });
                var mediaId = Field(await draft.Content.ReadAsStringAsync(), "media_id");
                using var sent = await http.PostAsJsonAsync($"cgi-bin/message/mass/sendall?access_token={token}", new JsonObject
                {
                    ["filter"] = new JsonObject { ["is_to_all"] = true }, ["msgtype"] = "mpnews", ["mpnews"] = new JsonObject { ["media_id"] = mediaId },
                    ["send_ignore_reprint"] = 0,
                });
                // A fault armed for the gateway's next sendall may answer this client instead (a bare 503 after the effect):
                // the send took effect all the same, which is all this client needs.
                if (!sent.IsSuccessStatusCode) continue;
                var answer = JsonNode.Parse(await sent.Content.ReadAsStringAsync())!;
                if (answer["errcode"]?.GetValue<int>() == 45028) return; // the gateway's own sends used it already
            }
        }

        private static string Field(string answer, string name) =>
            JsonNode.Parse(answer)?[name]?.ToString() ?? throw new Xunit.Sdk.XunitException($"using up the mass quota: no {name} in {answer}");

        private void Arm(FaultOp f)
        {
            const string share = "/2/statuses/share.json", submit = "/cgi-bin/freepublish/submit", sendAll = "/cgi-bin/message/mass/sendall";
            var pastTimeout = TimeSpan.FromMilliseconds(2600);
            var weibo = f.Fault switch
            {
                PropertyFault.WeiboShareLost503 => new SandboxFault { Path = share, AfterEffect = true, HttpStatus = 503 },
                PropertyFault.WeiboShareClosed => new SandboxFault { Path = share, AfterEffect = true, CloseConnection = true },
                PropertyFault.WeiboShareTimeout => new SandboxFault { Path = share, AfterEffect = true, Delay = pastTimeout },
                PropertyFault.Weibo20019 => new SandboxFault { Path = share, WeiboErrorCode = 20019, Times = 1000 },
                PropertyFault.WeiboTokenExpired => new SandboxFault { Path = share, WeiboErrorCode = 21327, HttpStatus = 401 },
                _ => null,
            };
            var weChat = f.Fault switch
            {
                PropertyFault.WeChatSubmitLost503 => new SandboxFault { Path = submit, AppId = GatewayTestHost.CityAppId, AfterEffect = true, HttpStatus = 503 },
                PropertyFault.WeChatSubmitClosed => new SandboxFault { Path = submit, AppId = GatewayTestHost.CityAppId, AfterEffect = true, CloseConnection = true },
                PropertyFault.WeChatSubmitTimeout => new SandboxFault { Path = submit, AppId = GatewayTestHost.CityAppId, AfterEffect = true, Delay = pastTimeout },
                PropertyFault.WeChatSlowPublish => new SandboxFault { Path = submit, AppId = GatewayTestHost.CityAppId, PublishingPolls = f.Polls },
                PropertyFault.WeChat45009 => new SandboxFault { Path = "/cgi-bin/draft/add", AppId = GatewayTestHost.CityAppId, WeChatErrcode = 45009 },
                PropertyFault.WeChatMassLost503 => new SandboxFault { Path = sendAll, AppId = GatewayTestHost.MassAppId, AfterEffect = true, HttpStatus = 503 },
                _ => null,
            };
            if (weibo is not null) world.Weibo.Faults.Add(weibo);
            if (weChat is not null) world.WeChat.Faults.Add(weChat);
            if (f.Fault == PropertyFault.WeChatSlowPublishLost)
            {
                // Both on the same next submit: the plan is taken by the platform handler, the lost answer by the middleware.
                world.WeChat.Faults.Add(new SandboxFault { Path = submit, AppId = GatewayTestHost.CityAppId, PublishingPolls = f.Polls });
                world.WeChat.Faults.Add(new SandboxFault { Path = submit, AppId = GatewayTestHost.CityAppId, AfterEffect = true, HttpStatus = 503 });
            }

            if (f.Fault == PropertyFault.WeChatTokensExpire)
            {
                world.WeChat.ExpireTokens(GatewayTestHost.CityAppId);
                world.WeChat.ExpireTokens(GatewayTestHost.MassAppId);
            }
        }

        /// <summary>
        /// Waits until every publication rests (final, waiting for a person, or waiting for a window the run cannot wait for)
        /// or <see cref="SettleLimit"/> passes; returns the items as the API shows them and the publications that never rested.
        /// </summary>
        public async Task<(Dictionary<int, JsonObject> Items, List<string> Unsettled)> SettleAsync()
        {
            using var op = world.Client(GatewayTestHost.OperatorToken);
            var deadline = DateTimeOffset.UtcNow + SettleLimit;
            string? previous = null;
            while (true)
            {
                var items = new Dictionary<int, JsonObject>();
                foreach (var item in Items)
                {
                    items[item.Index] = await TestData.GetAsync(op, item.Id);
                }

                // The gateway's time (a clock jump moves it), against which its due times and holds are set.
                var now = ((PropertyWorld)world).Jumps.GetUtcNow();
                var stopped = await StoppedAccountsAsync(op, now);
                var unsettled = items.SelectMany(i => i.Value["publications"]!.AsArray().Select(p => (Index: i.Key, Pub: p!.AsObject())))
                    .Where(x => !Rests(x.Pub, now, stopped)).Select(x => Invariants.Key(x.Index, x.Pub["accountId"]!.GetValue<string>())).ToList();
                // At rest means at rest twice running, unchanged: a send in flight on a held account (its result not yet
                // saved) reads "queued" for the moment between the platform's answer and the save.
                var snapshot = string.Join('\n', items.OrderBy(i => i.Key).Select(i => i.Value["publications"]!.ToJsonString()));
                if ((unsettled.Count == 0 && snapshot == previous) || DateTimeOffset.UtcNow > deadline)
                {
                    return (items, unsettled);
                }

                previous = unsettled.Count == 0 ? snapshot : null;

                await Task.Delay(250);
            }
        }

        /// <summary>Accounts paused by a person, or held by the gateway for a platform window that reopens after the run (GET /api/pauses).</summary>
        private static async Task<HashSet<string>> StoppedAccountsAsync(HttpClient op, DateTimeOffset now)
        {
            var overview = (await op.GetFromJsonAsync<JsonObject>("api/pauses"))!;
            return overview["accounts"]!.AsArray()
                .Where(a => a!["pause"] is not null || (a["hold"]?["until"]?.GetValue<DateTimeOffset>() is { } until && until > now + TimeSpan.FromMinutes(1)))
                .Select(a => a!["accountId"]!.GetValue<string>()).ToHashSet();
        }

        private static bool Rests(JsonObject pub, DateTimeOffset now, HashSet<string> stoppedAccounts)
        {
            if (pub["retraction"]?.GetValue<string>() == "queued") return false;
            var state = pub["state"]!.GetValue<string>();
            if (state is "published" or "failed" or "cancelled" or "needsDecision" or "retracted") return true;
            // Only what has not been sent yet may wait for a window: a submitted job's outcome is on the platform already.
            if (state is not ("queued" or "scheduled")) return false;
            // A send whose outcome is unknown is looked up whatever holds the account: it rests only once found or given to a person.
            if (pub["waiting"]?["kind"]?.GetValue<string>() == "checkingPlatform") return false;
            // Waiting for a window that reopens only with a person or the calendar (quota, pause, suspended account).
            if (stoppedAccounts.Contains(pub["accountId"]!.GetValue<string>())) return true;
            if (pub["waiting"]?["kind"]?.GetValue<string>() is "quota" or "paused" or "accountSuspended") return true;
            return pub["dueAt"]?.GetValue<DateTimeOffset>() is { } due && due > now + TimeSpan.FromMinutes(1);
        }
    }

    public static string AccountOf(PropertyTarget target) => target switch
    {
        PropertyTarget.WxCity => "wx-city",
        PropertyTarget.WxMass => "wx-mass",
        _ => "wb-city",
    };
}
