using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Deadlines;
using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Deadlines;

/// <summary>P10–P13 through the API: each item shows its deadline and who holds it; the watcher warns and reports misses once.</summary>
[Collection(DeadlineCollection.Name)]
public sealed class DeadlineTests(DeadlineTestHost host)
{
    private static JsonObject Normative(string cover, string issuedOn)
    {
        var article = TestData.Article(cover);
        article["category"] = "NormativeDocument";
        article["documentNumber"] = "示政发〔2026〕" + Random.Shared.Next(10, 99) + "号";
        article["issuedOn"] = issuedOn;
        return article;
    }

    private List<JsonNode> EventsFor(string contentId, string type) => host.Receiver.Received(GatewayTestHost.ReceiverName)
        .Select(r => JsonNode.Parse(r.Body)!)
        .Where(e => e["type"]!.GetValue<string>() == type && e["data"]?["content"]?["id"]?.GetValue<string>() == contentId)
        .ToList();

    [Fact]
    public async Task ANormativeDocument_ShowsItsTenWorkingDayDeadline_AcrossTheHolidays_AndWhichLevelHoldsIt()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        // Issued Fri 18 Sep 2026: 20 Sep (Sun, worked) 21 22 23 24, [25–27 Mid-Autumn], 28 29 30, [1–7 Oct], 8 9 → end of Fri 9 Oct.
        var id = (await TestData.SubmitAsync(op, Normative(cover, "2026-09-18")))["id"]!.GetValue<string>();

        var deadline = (await TestData.GetAsync(op, id))["deadline"]!;
        Assert.Equal("P10", deadline["ruleId"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 10, 10, 0, 0, 0, TimeSpan.FromHours(8)), deadline["deadline"]!.GetValue<DateTimeOffset>());
        Assert.Equal("2026年10月9日（星期五）24时前 / by the end of Fri 9 Oct 2026", deadline["dueBy"]!.GetValue<string>());
        Assert.Equal("missed", deadline["state"]!.GetValue<string>());
        Assert.True(deadline["secondsLeft"]!.GetValue<long>() < 0);
        Assert.Equal("review", deadline["heldBy"]!["stage"]!.GetValue<string>());
        Assert.Equal(1, deadline["heldBy"]!["level"]!.GetValue<int>());
        Assert.Contains(deadline["heldBy"]!["people"]!.AsArray(), p => p!["id"]!.GetValue<string>() == "rv1-zhao");

        using var reviewer1 = host.Client(GatewayTestHost.Reviewer1Token);
        using (var approved = await TestData.ReviewAsync(reviewer1, id)) Assert.True(approved.IsSuccessStatusCode);
        var held = (await TestData.GetAsync(op, id))["deadline"]!["heldBy"]!;
        Assert.Equal(2, held["level"]!.GetValue<int>());
        Assert.Equal(["rv2-qian"], held["people"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));

        // The list shows the same deadline.
        var listed = (await op.GetFromJsonAsync<JsonArray>("api/content?take=100"))!.Single(i => i!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("P10", listed["deadline"]!["ruleId"]!.GetValue<string>());

        // Long past: deadline.missed reaches the department's webhook once, naming the author and the reviewers of the
        // level that held the item when the watcher saw it (level 1 or 2, depending on when it looked).
        await TestData.Eventually(() => EventsFor(id, "deadline.missed").Count > 0, "deadline.missed delivered");
        var missed = Assert.Single(EventsFor(id, "deadline.missed"));
        var responsible = missed["data"]!["responsible"]!.AsArray();
        Assert.Contains(responsible, p => p!["id"]!.GetValue<string>() == "op-li" && p["role"]!.GetValue<string>() == "author");
        var heldAt = missed["data"]!["heldBy"]!["level"]!.GetValue<int>();
        Assert.Contains(responsible, p => p!["id"]!.GetValue<string>() == (heldAt == 1 ? "rv1-zhao" : "rv2-qian") && p["level"]!.GetValue<int>() == heldAt);
        Assert.Equal("P10", missed["data"]!["deadline"]!["ruleId"]!.GetValue<string>());

        // …and the registration record (P7).
        await TestData.Eventually(async () => (await AuditTypesAsync(op, id)).Contains("deadline.missed"), "deadline.missed in the audit chain");
    }

    private static async Task<List<string>> AuditTypesAsync(HttpClient client, string id) =>
        (await client.GetFromJsonAsync<JsonArray>($"api/content/{id}/audit"))!.Select(e => e!["type"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task ADeadlineRunningIntoAYearWithoutNotice_IsComputedFromTheStatutoryHolidays_AndMarkedProvisional()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        // Issued Sun 20 Dec 2026: 21–25, 28–31 Dec, [1 Jan 2027 New Year's Day], Mon 4 Jan → end of 4 Jan. No 2027 notice is loaded.
        var id = (await TestData.SubmitAsync(op, Normative(cover, "2026-12-20")))["id"]!.GetValue<string>();
        var deadline = (await TestData.GetAsync(op, id))["deadline"]!;
        Assert.NotEqual("unavailable", deadline["state"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.FromHours(8)), deadline["deadline"]!.GetValue<DateTimeOffset>());
        Assert.True(deadline["provisional"]!.GetValue<bool>());
        Assert.Contains("按法定节假日推算", deadline["provisionalNote"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(deadline["problem"]);
    }

    [Fact]
    public async Task ADeadlineInsideAYearWithANotice_IsNotProvisional()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var id = (await TestData.SubmitAsync(op, Normative(cover, "2026-11-02")))["id"]!.GetValue<string>();
        var deadline = (await TestData.GetAsync(op, id))["deadline"]!;
        Assert.False(deadline["provisional"]!.GetValue<bool>());
        Assert.Null(deadline["provisionalNote"]);
    }

    [Fact]
    public async Task ADeadlineInAYearNoCalendarCanCover_IsShownAsUnavailable_WithTheReason()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        // Past 2099 neither a notice nor the statutory computation covers the year.
        var id = (await TestData.SubmitAsync(op, Normative(cover, "2150-03-03")))["id"]!.GetValue<string>();
        var deadline = (await TestData.GetAsync(op, id))["deadline"]!;
        Assert.Equal("unavailable", deadline["state"]!.GetValue<string>());
        Assert.Null(deadline["deadline"]);
        Assert.Contains("2150", deadline["problem"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALivelihoodActivity_IsWarnedThenMissed_EachOnce_WithTheResponsiblePeople()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover);
        article["category"] = "LivelihoodActivity";
        // P11: 24 hours after the end; the end was 23 hours ago, so a quarter of the window is long gone and an hour is left.
        article["activityEndsAt"] = host.Jumps.GetUtcNow().AddHours(-23).ToString("O");
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();

        var first = (await TestData.GetAsync(op, id))["deadline"]!;
        Assert.Equal("P11", first["ruleId"]!.GetValue<string>());

        await TestData.Eventually(() => EventsFor(id, "deadline.approaching").Count > 0, "deadline.approaching delivered");
        Assert.Empty(EventsFor(id, "deadline.missed"));
        host.Jumps.JumpTo(host.Jumps.GetUtcNow().AddHours(1).AddMinutes(1)); // the hour passes
        await TestData.Eventually(() => EventsFor(id, "deadline.missed").Count > 0, "deadline.missed delivered");
        var approaching = Assert.Single(EventsFor(id, "deadline.approaching"));
        Assert.Equal("25%", approaching["data"]!["deadline"]!["threshold"]!.GetValue<string>());
        Assert.Contains(approaching["data"]!["responsible"]!.AsArray(), p => p!["id"]!.GetValue<string>() == "rv1-zhao" && p["level"]!.GetValue<int>() == 1);
        Assert.Equal("missed", (await TestData.GetAsync(op, id))["deadline"]!["state"]!.GetValue<string>());

        // More checks later (two whole rounds, run here): still one of each.
        await CheckTwiceAndRecordAsync();
        Assert.Equal(1, (await AuditTypesAsync(op, id)).Count(t => t == "deadline.approaching"));
        Assert.Equal(1, (await AuditTypesAsync(op, id)).Count(t => t == "deadline.missed"));
        Assert.Single(EventsFor(id, "deadline.approaching"));
        Assert.Single(EventsFor(id, "deadline.missed"));
    }

    [Fact]
    public async Task AnItemPublishedBeforeAThresholdIsReached_IsNotWarned()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover, targets: ["wx-city"]); // wb-city stays silent for the dormancy tests
        article["category"] = "LivelihoodActivity";
        // P11: 24 hours after the end; "25%" (of the window left) is reached an hour from now, after the item is published.
        var thresholdAt = host.Jumps.GetUtcNow().AddHours(1);
        article["activityEndsAt"] = thresholdAt.AddHours(-18).ToString("O");
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var published = await TestData.WaitForFinalPublicationsAsync(op, id);
        Assert.True(host.Jumps.GetUtcNow() < thresholdAt, "published before the threshold, as the test needs");
        Assert.Equal("met", published["deadline"]!["state"]!.GetValue<string>());

        // The clock moves past the threshold and past the deadline itself (6 hours after it); the watcher checks there.
        host.Jumps.JumpTo(thresholdAt.AddHours(6).AddMinutes(1));
        await CheckTwiceAndRecordAsync();
        Assert.Equal("met", (await TestData.GetAsync(op, id))["deadline"]!["state"]!.GetValue<string>());
        Assert.DoesNotContain("deadline.approaching", await AuditTypesAsync(op, id));
        Assert.DoesNotContain("deadline.missed", await AuditTypesAsync(op, id));
        Assert.Empty(EventsFor(id, "deadline.approaching"));
        Assert.Empty(EventsFor(id, "deadline.missed"));
    }

    /// <summary>
    /// Two whole rounds of the deadline watcher, run here at the clock's time, and then whatever they announced is on
    /// the audit record: the check "later rounds announce nothing more" without sleeping through them.
    /// </summary>
    private async Task CheckTwiceAndRecordAsync()
    {
        var watcher = WatcherRounds.Watcher<DeadlineWatcher>(host);
        await watcher.CheckAllAsync(CancellationToken.None);
        await watcher.CheckAllAsync(CancellationToken.None);
        await WatcherRounds.EarlierEventsRecordedAsync(host);
    }

    [Fact]
    public async Task AnItemPublishedInTime_ShowsMet_AndNoMiss()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover, targets: ["wx-city"]); // wb-city stays silent for the dormancy tests
        article["category"] = "Emergency";
        var id = (await TestData.SubmitAsync(op, article))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        var item = await TestData.WaitForFinalPublicationsAsync(op, id);
        var deadline = item["deadline"]!;
        Assert.Equal("P13", deadline["ruleId"]!.GetValue<string>());
        Assert.Equal("met", deadline["state"]!.GetValue<string>());
        Assert.Equal("published", deadline["heldBy"]!["stage"]!.GetValue<string>());
        Assert.Empty(EventsFor(id, "deadline.missed"));
    }
}
