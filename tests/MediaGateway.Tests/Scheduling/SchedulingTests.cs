using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Scheduling;

/// <summary>Taken slots and the next free slot against a real Redis, through the HTTP API; and the composing warnings.</summary>
[Collection(SchedulingCollection.Name)]
public sealed class SchedulingTests(SchedulingTestHost host) : IAsyncLifetime
{
    private HttpClient _operator = null!;
    private string _cover = null!;

    public async Task InitializeAsync()
    {
        _operator = host.Client(GatewayTestHost.OperatorToken);
        _cover = await TestData.UploadCoverAsync(_operator);
    }

    public Task DisposeAsync()
    {
        _operator.Dispose();
        return Task.CompletedTask;
    }

    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly string[] WbCity = ["wb-city"], WxCity = ["wx-city"], WxLife = ["wx-life"], WxClose = ["wx-close"],
        WxInputs = ["wx-inputs"], WbAndWx = ["wb-city", "wx-city"], Nowhere = ["wx-nowhere"];

    private async Task<JsonArray> SlotsAsync(string account, int count = 10) =>
        (await _operator.GetFromJsonAsync<JsonObject>($"api/accounts/{account}/slots?count={count}"))!["slots"]!.AsArray();

    private static DateTimeOffset At(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    private async Task<DateTimeOffset> FirstFreeAsync(string account) =>
        At((await SlotsAsync(account)).First(s => s!["free"]!.GetValue<bool>())!["at"]);

    private async Task<JsonObject> SubmitNextFreeAsync(params string[] targets)
    {
        var article = TestData.Article(_cover, targets: targets);
        article["slot"] = "nextFree";
        return await TestData.SubmitAsync(_operator, article);
    }

    private async Task<JsonObject> CheckAsync(object request)
    {
        using var response = await _operator.PostAsJsonAsync("api/scheduling/check", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static IEnumerable<JsonObject> Warnings(JsonObject check, string kind, string? account = null) =>
        check["warnings"]!.AsArray().Select(w => w!.AsObject())
            .Where(w => w["kind"]!.GetValue<string>() == kind && (account is null || w["accountId"]?.GetValue<string>() == account));

    [Fact]
    public async Task NextFreeSlot_IsResolvedPerAccount_AndTakesTheSlotUntilWithdrawn()
    {
        var (wx, wb) = (await FirstFreeAsync("wx-city"), await FirstFreeAsync("wb-city"));
        var first = await SubmitNextFreeAsync("wx-city", "wb-city");
        var id = first["id"]!.GetValue<string>();

        // Each account gets its own next free slot, shown on the item the reviewers open.
        Assert.Equal(wx, At(first["slotTimes"]!["wx-city"]));
        Assert.Equal(wb, At(first["slotTimes"]!["wb-city"]));
        Assert.Equal(wx, At((await TestData.GetAsync(_operator, id))["slotTimes"]!["wx-city"]));
        Assert.Equal(18, wx.ToOffset(China).Hour);

        var taken = (await SlotsAsync("wx-city")).First(s => At(s!["at"]) == wx)!;
        Assert.False(taken["free"]!.GetValue<bool>());
        Assert.Equal(id, taken["itemId"]!.GetValue<string>());
        Assert.Equal(first["title"]!.GetValue<string>(), taken["itemTitle"]!.GetValue<string>());

        // The next one asking gets a later slot on each account.
        var second = await SubmitNextFreeAsync("wx-city", "wb-city");
        Assert.True(At(second["slotTimes"]!["wx-city"]) > wx);
        Assert.True(At(second["slotTimes"]!["wb-city"]) > wb);

        // Withdrawn: the slot is free again and the next request takes it.
        using (var withdraw = await _operator.PostAsJsonAsync($"api/content/{id}/withdraw", new { reason = "改期" }))
            Assert.True(withdraw.IsSuccessStatusCode, await withdraw.Content.ReadAsStringAsync());
        Assert.True((await SlotsAsync("wx-city")).First(s => At(s!["at"]) == wx)!["free"]!.GetValue<bool>());
        var third = await SubmitNextFreeAsync("wx-city");
        Assert.Equal(wx, At(third["slotTimes"]!["wx-city"]));
    }

    [Fact]
    public async Task SimultaneousRequests_ForTheNextFreeSlot_EachGetADifferentSlot()
    {
        var free = await FirstFreeAsync("wx-mass");
        var items = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SubmitNextFreeAsync("wx-mass")));
        var slots = items.Select(i => At(i["slotTimes"]!["wx-mass"])).ToList();
        Assert.Equal(slots.Count, slots.Distinct().Count());
        Assert.Contains(free, slots);
        var taken = (await SlotsAsync("wx-mass", 8)).Where(s => !s!["free"]!.GetValue<bool>()).Select(s => At(s!["at"]));
        Assert.Equal(slots.Order(), taken.Order());
    }

    [Fact]
    public async Task RejectedItem_FreesItsSlot_AndARevisionKeepsItsOwn()
    {
        var item = await SubmitNextFreeAsync("wb-city");
        var id = item["id"]!.GetValue<string>();
        var slot = At(item["slotTimes"]!["wb-city"]);

        // A revision asking again keeps its own slot (its own booking does not count against it).
        var revision = TestData.Article(_cover, title: item["title"]!.GetValue<string>(), targets: ["wb-city"]);
        revision["slot"] = "nextFree";
        using (var put = await _operator.PutAsJsonAsync($"api/content/{id}", revision))
        {
            var body = JsonNode.Parse(await put.Content.ReadAsStringAsync())!;
            Assert.True(put.IsSuccessStatusCode, body.ToJsonString());
            Assert.Equal(slot, At(body["slotTimes"]!["wb-city"]));
        }

        using (var reviewer = host.Client(GatewayTestHost.Reviewer1Token))
        using (var reject = await TestData.ReviewAsync(reviewer, id, "reject", comment: "请修改"))
            Assert.True(reject.IsSuccessStatusCode, await reject.Content.ReadAsStringAsync());
        var after = (await SlotsAsync("wb-city", 20)).First(s => At(s!["at"]) == slot)!;
        Assert.True(after["free"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Queue_ListsTheAccountsScheduledItems_InTimeOrder_WithTheirState()
    {
        var later = await SubmitNextFreeAsync("wx-city");
        var explicitTime = new DateTimeOffset(DateTimeOffset.UtcNow.ToOffset(China).Date.AddDays(200).AddHours(7), China);
        var article = TestData.Article(_cover, targets: ["wx-city"]);
        article["publishAt"] = explicitTime;
        var manual = await TestData.SubmitAsync(_operator, article);
        await TestData.ApproveAllLevelsAsync(host, later["id"]!.GetValue<string>());

        var queue = (await _operator.GetFromJsonAsync<JsonObject>("api/accounts/wx-city/queue"))!;
        var entries = queue["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(entries.Select(e => At(e["at"])).Order(), entries.Select(e => At(e["at"])));
        var approved = entries.Single(e => e["itemId"]!.GetValue<string>() == later["id"]!.GetValue<string>());
        Assert.Equal("approved", approved["status"]!.GetValue<string>());
        Assert.Equal("scheduled", approved["publicationStatus"]!.GetValue<string>());
        Assert.True(approved["onSlot"]!.GetValue<bool>());
        var inReview = entries.Single(e => e["itemId"]!.GetValue<string>() == manual["id"]!.GetValue<string>());
        Assert.Equal("inReview", inReview["status"]!.GetValue<string>());
        Assert.Equal(1, inReview["awaitingLevel"]!.GetValue<int>());
        Assert.False(inReview["onSlot"]!.GetValue<bool>()); // 07:00 is not wx-city's 18:00
        Assert.Equal(explicitTime, At(inReview["at"]));
        Assert.Equal("每天 18:00 / every day", queue["settings"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadRequests_Are400NamingTheField_AndStoreNothing()
    {
        var before = await host.StoredItemsAsync();
        var noSlots = TestData.Article(_cover, targets: ["wx-close"]);
        noSlots["slot"] = "nextFree";
        var both = TestData.Article(_cover, targets: ["wx-city"]);
        both["slot"] = "nextFree";
        both["publishAt"] = DateTimeOffset.UtcNow.AddDays(1);
        foreach (var article in new[] { noSlots, both })
        {
            using var response = await _operator.PostAsJsonAsync("api/content", article);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await TestData.ProblemAsync(response);
            Assert.Contains("/", problem["errors"]!["slot"]![0]!.GetValue<string>()); // bilingual
        }

        Assert.Equal(before, await host.StoredItemsAsync());

        foreach (var (query, field) in new[] { ("count=0", "count"), ("count=101", "count"), ("from=yesterday", "from"), ("from=0001-01-01", "from") })
        {
            using var response = await _operator.GetAsync($"api/accounts/wb-city/slots?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.NotNull((await TestData.ProblemAsync(response))["errors"]![field]);
        }

        using (var health = host.Client(GatewayTestHost.HealthOperatorToken))
        using (var hidden = await health.GetAsync("api/accounts/wx-city/slots"))
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using (var unknown = await _operator.PostAsJsonAsync("api/scheduling/check", new { targets = Nowhere }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.NotNull((await TestData.ProblemAsync(unknown))["errors"]!["targets[0]"]);
        }
    }

    [Fact]
    public async Task Check_WarnsAboutATakenSlot_AnOffSlotTime_AndANonWorkingDay()
    {
        var holder = await SubmitNextFreeAsync("wb-city");
        var slot = At(holder["slotTimes"]!["wb-city"]);

        var taken = await CheckAsync(new { targets = WbCity, publishAt = slot });
        var warning = Assert.Single(Warnings(taken, "slotTaken", "wb-city"));
        Assert.Equal(holder["id"]!.GetValue<string>(), warning["itemId"]!.GetValue<string>());
        Assert.Contains(holder["title"]!.GetValue<string>(), warning["message"]!.GetValue<string>());

        // The item itself, when revised, does not conflict with its own slot.
        Assert.Empty(Warnings(await CheckAsync(new { targets = WbCity, publishAt = slot, itemId = holder["id"]!.GetValue<string>() }), "slotTaken"));

        var off = await CheckAsync(new { targets = WbCity, publishAt = slot.AddMinutes(7) });
        Assert.Contains("08:30、12:00、17:30", Assert.Single(Warnings(off, "offSlot", "wb-city"))["message"]!.GetValue<string>());

        // A Sunday that no notice turns into a working day: wb-city posts on working days only.
        var sunday = NextChinaWeekday(DayOfWeek.Sunday, 12);
        Assert.Single(Warnings(await CheckAsync(new { targets = WbCity, publishAt = sunday }), "nonWorkingDay", "wb-city"));

        // Asking for the next free slot: the times a submission would get now, and no warning about them.
        var next = await CheckAsync(new { targets = WbAndWx, slot = "nextFree" });
        Assert.All(next["times"]!.AsArray(), t => Assert.True(t!["fromSlot"]!.GetValue<bool>()));
        Assert.Empty(Warnings(next, "slotTaken"));
        Assert.Empty(Warnings(next, "offSlot"));
    }

    [Fact]
    public async Task Check_WarnsWhenTheDaysMassSendIsBooked_TheDeadlineWouldBeMissed_OrTheAccountIsPaused()
    {
        // wx-life mass-sends, one a China day: an item already scheduled that day uses it.
        var day = NextChinaWeekday(DayOfWeek.Wednesday, 9).AddDays(7);
        var article = TestData.Article(_cover, targets: ["wx-life"]);
        article["publishAt"] = day;
        var first = await TestData.SubmitAsync(_operator, article);
        var quota = await CheckAsync(new { targets = WxLife, publishAt = day.AddHours(6) });
        Assert.Equal(first["id"]!.GetValue<string>(), Assert.Single(Warnings(quota, "quotaUsed", "wx-life"))["itemId"]!.GetValue<string>());
        Assert.Empty(Warnings(await CheckAsync(new { targets = WxLife, publishAt = day.AddDays(1) }), "quotaUsed"));

        // A normative document issued 30 days ago is long past its 10 working days (P10).
        var issued = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(China).DateTime).AddDays(-30);
        var late = await CheckAsync(new { targets = WxCity, publishAt = DateTimeOffset.UtcNow.AddDays(1), category = "NormativeDocument", issuedOn = issued.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        Assert.Contains("24时前", Assert.Single(Warnings(late, "deadline", "wx-city"))["message"]!.GetValue<string>());

        using var admin = host.Client("mgdemo-admin-zhou");
        using (var pause = await admin.PostAsJsonAsync("api/accounts/wx-close/pause", new { reason = "测试暂停" }))
            Assert.True(pause.IsSuccessStatusCode, await pause.Content.ReadAsStringAsync());
        try
        {
            var paused = await CheckAsync(new { targets = WxClose });
            Assert.Contains("测试暂停", Assert.Single(Warnings(paused, "paused", "wx-close"))["message"]!.GetValue<string>());
        }
        finally
        {
            using var unpause = await admin.PostAsJsonAsync("api/accounts/wx-close/unpause", new { reason = "测试结束" });
        }
    }

    [Fact]
    public async Task Check_WarnsAboutAccountsNearingTwoWeeksOfSilence_WithNothingScheduled()
    {
        // wx-inputs last published 12 days ago (as the dormancy watch records it): two weeks are reached in 2 days.
        var keys = host.Services.GetRequiredService<RedisKeys>();
        await host.Multiplexer.GetDatabase().HashSetAsync(keys.AccountLastPublished, "wx-inputs", DateTimeOffset.UtcNow.AddDays(-12).ToUnixTimeMilliseconds());

        var elsewhere = await CheckAsync(new { targets = WbCity });
        var silence = Assert.Single(Warnings(elsewhere, "silence", "wx-inputs"));
        Assert.Contains("两周", silence["message"]!.GetValue<string>());
        Assert.Empty(Warnings(elsewhere, "silence", "wb-city")); // opened now: far from two weeks

        // Composing for it (once approved, or before the line) fills the gap; so does an item already scheduled.
        Assert.Empty(Warnings(await CheckAsync(new { targets = WxInputs }), "silence", "wx-inputs"));
        var article = TestData.Article(_cover, targets: ["wx-inputs"]);
        article["publishAt"] = DateTimeOffset.UtcNow.AddDays(1);
        await TestData.SubmitAsync(_operator, article);
        Assert.Empty(Warnings(await CheckAsync(new { targets = WbCity }), "silence", "wx-inputs"));
    }

    /// <summary>The next given weekday (China) at least a week ahead, at the hour given, that the shipped calendars leave an ordinary day.</summary>
    private static DateTimeOffset NextChinaWeekday(DayOfWeek weekday, int hour)
    {
        var day = DateTimeOffset.UtcNow.ToOffset(China).Date.AddDays(7);
        while (day.DayOfWeek != weekday || IsInHolidayMonth(day)) day = day.AddDays(1);
        return new DateTimeOffset(day.AddHours(hour), China);
    }

    /// <summary>Months with holidays or adjusted working days in the shipped calendars; the tests step over them.</summary>
    private static bool IsInHolidayMonth(DateTime day) => day.Month is 1 or 2 or 4 or 5 or 6 or 9 or 10;
}
