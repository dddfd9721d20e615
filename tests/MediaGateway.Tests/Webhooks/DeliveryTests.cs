using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;
using MediaGateway.Webhooks;
using MediaGateway.Webhooks.Subscriptions;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Webhooks;

/// <summary>Delivery as departments rely on it: every event type, signed; retries, Retry-After, 410, redirects, auto-disable, the log, redelivery, isolation.</summary>
[Collection(WebhookCollection.Name)]
public sealed class DeliveryTests(WebhookTestHost host)
{
    private static string TypeOf(MediaGateway.Sandbox.ReceivedWebhook r) => JsonNode.Parse(r.Body)!["type"]!.GetValue<string>();

    [Fact]
    public async Task EveryEventType_IsDelivered_Signed_WithIdTypeTimeOwnershipAndLinks()
    {
        var name = TestData.Unique("all");
        var secret = (await host.SubscribeAsync(name, accounts: new List<string> { "wx-city" }))["secret"]!.GetValue<string>();
        var emitted = new List<GatewayEvent>();
        foreach (var type in EventTypes.All) emitted.Add(await host.EmitAsync(type, "wx-city"));

        await TestData.Eventually(() => host.Received(name).Count >= EventTypes.All.Count, "one delivery per event type", TimeSpan.FromSeconds(40));
        Assert.Equal(EventTypes.All.Order(StringComparer.Ordinal), host.Received(name).Select(TypeOf).Order(StringComparer.Ordinal));
        foreach (var received in host.Received(name))
        {
            Assert.True(received.SignatureValid);
            SubscriptionApiTests.Verify(received, secret);
            var payload = JsonNode.Parse(received.Body)!;
            var e = emitted.Single(x => x.Type == payload["type"]!.GetValue<string>());
            Assert.Equal(e.Id, payload["data"]!["eventId"]!.GetValue<string>());
            Assert.Equal(e.OccurredAt, DateTimeOffset.Parse(payload["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
            Assert.StartsWith(e.Id, received.WebhookId!, StringComparison.Ordinal);
            var account = payload["data"]!["accounts"]![0]!;
            Assert.Equal("wx-city", account["id"]!.GetValue<string>());
            Assert.Equal("city-info-office", account["ownership"]!["supervisingDepartment"]!.GetValue<string>());
            Assert.Equal("/api/accounts/wx-city/history", payload["data"]!["links"]!["accounts"]![0]!.GetValue<string>());
        }

        // The fan-out appended them to the audit chain in batches; each is there once and the chain is intact (P7).
        var audit = host.Services.GetRequiredService<MediaGateway.Audit.AuditLog>();
        foreach (var e in emitted) Assert.True(await audit.ContainsAsync(e.Id), $"{e.Type} in the audit chain");
        var verification = await audit.VerifyAsync();
        Assert.True(verification.Intact, verification.Problem);
    }

    [Fact]
    public async Task ADepartment_OnlyReceivesEventsOfAccountsItMaySee()
    {
        var name = TestData.Unique("health");
        await host.SubscribeAsync(name, token: WebhookTestHost.AdminToken, department: "health-bureau");
        var city = await host.EmitAsync(EventTypes.AccountChanged, "wx-city");
        var own = await host.EmitAsync(EventTypes.AccountChanged, "wx-health");
        await TestData.Eventually(() => host.Received(name).Any(r => r.Body.Contains(own.Id, StringComparison.Ordinal)), "its own account's event");
        // Both events were fanned out in order, so the city event was decided before the health one was delivered.
        Assert.DoesNotContain(host.Received(name), r => r.Body.Contains(city.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AHangingEndpoint_DoesNotDelayAnother()
    {
        var slow = TestData.Unique("hang");
        var fast = TestData.Unique("fast");
        host.Receiver.Hang(slow);
        try
        {
            await host.SubscribeAsync(slow, events: new List<string> { "account.changed" }, accounts: new List<string> { "wb-city" });
            await host.SubscribeAsync(fast, events: new List<string> { "account.changed" }, accounts: new List<string> { "wb-city" });
            var events = new List<GatewayEvent>();
            for (var i = 0; i < 6; i++) events.Add(await host.EmitAsync(EventTypes.AccountChanged, "wb-city"));

            await TestData.Eventually(() => events.All(e => host.Received(fast).Any(r => r.Body.Contains(e.Id, StringComparison.Ordinal))),
                "every event at the fast endpoint");
            // All of them arrived while the slow endpoint still holds its requests unanswered, and it holds no more than its limit (2).
            Assert.InRange(host.Receiver.WaitingCount(slow), 1, 2);
            Assert.InRange(host.Received(slow).Count, 1, 2);
        }
        finally
        {
            host.Receiver.Release(slow);
        }

        await TestData.Eventually(() => host.Received(slow).Select(r => r.WebhookId).Distinct().Count() == 6, "the slow endpoint catches up once it answers", TimeSpan.FromSeconds(40));
    }

    [Fact]
    public async Task Gone_DisablesTheSubscription_AndTellsTheDepartmentsOtherSubscriptions()
    {
        var gone = TestData.Unique("gone");
        var other = TestData.Unique("other");
        var id = (await host.SubscribeAsync(gone, events: new List<string> { "account.changed" }, accounts: new List<string> { "wb-city" }))["id"]!.GetValue<string>();
        await host.SubscribeAsync(other, events: new List<string> { "publication.failed" }, accounts: new List<string> { "wb-city" });
        host.Receiver.RespondWith(gone, 410, 100);
        await host.EmitAsync(EventTypes.AccountChanged, "wb-city");

        await TestData.Eventually(() => host.Received(other).Any(r => TypeOf(r) == SubscriptionNotices.Disabled), "the disabled notice");
        var notice = JsonNode.Parse(host.Received(other).First(r => TypeOf(r) == SubscriptionNotices.Disabled).Body)!;
        Assert.Equal(id, notice["data"]!["subscription"]!["id"]!.GetValue<string>());
        Assert.Contains("410", notice["data"]!["subscription"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var read = await host.GetJsonAsync($"api/webhooks/subscriptions/{id}");
        Assert.Equal("disabled", read["status"]!.GetValue<string>());
        Assert.Contains("410", read["disabledReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(host.Received(gone)); // no retry after 410

        // Disabled: new events are not delivered to it.
        var later = await host.EmitAsync(EventTypes.AccountChanged, "wb-city");
        await TestData.Eventually(() => host.Received(GatewayTestHost.ReceiverName).Any(r => r.Body.Contains(later.Id, StringComparison.Ordinal)), "the later event fanned out");
        Assert.Single(host.Received(gone));
    }

    [Fact]
    public async Task SustainedFailure_ExhaustsRetries_ThenDisablesAndTells()
    {
        var failing = TestData.Unique("fail");
        var other = TestData.Unique("told");
        var id = (await host.SubscribeAsync(failing, events: new List<string> { "account.suspended" }, accounts: new List<string> { "wx-city" }))["id"]!.GetValue<string>();
        await host.SubscribeAsync(other, events: new List<string> { "publication.failed" }, accounts: new List<string> { "wx-city" });
        host.Receiver.RespondWith(failing, 500, 1000);
        await host.EmitAsync(EventTypes.AccountSuspended, "wx-city");
        await host.EmitAsync(EventTypes.AccountSuspended, "wx-city");

        await TestData.Eventually(() => host.Received(other).Any(r => TypeOf(r) == SubscriptionNotices.Disabled && r.Body.Contains(id, StringComparison.Ordinal)),
            "disabled after two exhausted deliveries", TimeSpan.FromSeconds(60));
        // 1 attempt + 9 retries for each of the two deliveries, then no more.
        Assert.Equal(20, host.Received(failing).Count);
        var read = await host.GetJsonAsync($"api/webhooks/subscriptions/{id}");
        Assert.Equal("disabled", read["status"]!.GetValue<string>());
        Assert.Contains("sustained failure", read["disabledReason"]!.GetValue<string>(), StringComparison.Ordinal);
        var log = await host.GetArrayAsync($"api/webhooks/subscriptions/{id}/deliveries?take=100");
        Assert.Equal(20, log.Count);
        Assert.Equal(2, log.Count(l => l!["outcome"]!.GetValue<string>() == "Failed" && l["attempt"]!.GetValue<int>() == 10));
        Assert.All(log, l => Assert.Equal(500, l!["statusCode"]!.GetValue<int>()));

        // Enabling it again clears the failure record.
        host.Receiver.RespondWith(failing, 204, 0);
        using var department = host.Client(GatewayTestHost.DepartmentToken);
        using var enabled = await department.PatchAsJsonAsync($"api/webhooks/subscriptions/{id}", new { enabled = true });
        var body = (await enabled.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("enabled", body["status"]!.GetValue<string>());
        Assert.Equal(0, body["exhaustedDeliveries"]!.GetValue<int>());
        Assert.Null(body["disabledReason"]);
    }

    [Fact]
    public async Task RetryAfter_IsHonoured_AndTheRetrySucceeds()
    {
        var name = TestData.Unique("busy");
        var id = (await host.SubscribeAsync(name, events: new List<string> { "account.resumed" }, accounts: new List<string> { "wx-city" }))["id"]!.GetValue<string>();
        host.Receiver.RespondWith(name, 503, 1, retryAfterSeconds: 3);
        var e = await host.EmitAsync(EventTypes.AccountResumed, "wx-city");
        var deliveryId = $"{e.Id}.{id}";

        JsonObject? delivery = null;
        await TestData.Eventually(async () =>
        {
            delivery = await host.TryGetJsonAsync($"api/webhooks/subscriptions/{id}/deliveries/{deliveryId}");
            return delivery?["state"]!.GetValue<string>() == "Delivered";
        }, "delivered on the retry");
        var history = delivery!["history"]!.AsArray();
        Assert.Equal(2, history.Count);
        Assert.Equal(503, history[0]!["statusCode"]!.GetValue<int>());
        var firstAt = history[0]!["at"]!.GetValue<DateTimeOffset>();
        Assert.True(history[0]!["nextAttemptAt"]!.GetValue<DateTimeOffset>() >= firstAt.AddSeconds(3), "the retry waits for Retry-After (3 s), not the 1 s schedule");
        Assert.True(history[1]!["at"]!.GetValue<DateTimeOffset>() >= firstAt.AddSeconds(3));
        Assert.Equal(204, history[1]!["statusCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Redirects_AreNotFollowed_AndCountAsFailures()
    {
        var name = TestData.Unique("moved");
        var target = TestData.Unique("target");
        var id = (await host.SubscribeAsync(name, events: new List<string> { "account.opened" }, accounts: new List<string> { "wx-city" }))["id"]!.GetValue<string>();
        host.Receiver.RespondWith(name, 302, 1, retryAfterSeconds: null, location: host.Receiver.UrlFor(target).ToString());
        var e = await host.EmitAsync(EventTypes.AccountOpened, "wx-city");
        var deliveryId = $"{e.Id}.{id}";

        await TestData.Eventually(() => host.Received(name).Count(r => r.WebhookId == deliveryId) == 2, "retried after the redirect");
        Assert.Empty(host.Received(target));
        var delivery = await host.GetJsonAsync($"api/webhooks/subscriptions/{id}/deliveries/{deliveryId}");
        var first = delivery["history"]![0]!;
        Assert.Equal(302, first["statusCode"]!.GetValue<int>());
        Assert.Contains("not followed", first["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLogShowsRequestsWithoutSecrets_AndADeliveryCanBeSentAgain()
    {
        var name = TestData.Unique("redo");
        var created = await host.SubscribeAsync(name, events: new List<string> { "account.closed" }, accounts: new List<string> { "wx-city" });
        var id = created["id"]!.GetValue<string>();
        var e = await host.EmitAsync(EventTypes.AccountClosed, "wx-city");
        var deliveryId = $"{e.Id}.{id}";
        await TestData.Eventually(() => host.Received(name).Count == 1, "first delivery");

        JsonObject delivery = [];
        await TestData.Eventually(async () =>
        {
            delivery = await host.GetJsonAsync($"api/webhooks/subscriptions/{id}/deliveries/{deliveryId}");
            return delivery["state"]!.GetValue<string>() == "Delivered";
        }, "the first attempt recorded");
        Assert.Equal(host.Received(name)[0].Body, delivery["requestBody"]!.GetValue<string>());
        Assert.Equal(deliveryId, delivery["requestHeaders"]!["webhook-id"]!.GetValue<string>());
        var text = delivery.ToJsonString();
        Assert.DoesNotContain(created["secret"]!.GetValue<string>()["whsec_".Length..], text, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Received(name)[0].Signature!, text, StringComparison.Ordinal);

        using var department = host.Client(GatewayTestHost.DepartmentToken);
        using (var again = await department.PostAsync($"api/webhooks/subscriptions/{id}/deliveries/{deliveryId}/redeliver", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        await TestData.Eventually(async () => host.Received(name).Count == 2
            && (await host.GetArrayAsync($"api/webhooks/subscriptions/{id}/deliveries")).Count == 2, "the redelivery, received and logged");
        Assert.All(host.Received(name), r => Assert.Equal(deliveryId, r.WebhookId));
        Assert.All(host.Received(name), r => Assert.True(r.SignatureValid));
        var log = await host.GetArrayAsync($"api/webhooks/subscriptions/{id}/deliveries");
        Assert.Equal(2, log.Count);
        Assert.True(log[0]!["manual"]!.GetValue<bool>());
        Assert.Equal(2, log[0]!["attempt"]!.GetValue<int>());

        using var health = host.Client(GatewayTestHost.HealthOperatorToken);
        Assert.Equal(HttpStatusCode.NotFound, (await health.PostAsync($"api/webhooks/subscriptions/{id}/deliveries/{deliveryId}/redeliver", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await department.PostAsync($"api/webhooks/subscriptions/{id}/deliveries/nope/redeliver", null)).StatusCode);
    }

    [Fact]
    public async Task AWorkflowEvent_ReachesAnApiSubscription()
    {
        var name = TestData.Unique("flow");
        await host.SubscribeAsync(name, events: new List<string> { "content.submitted" });
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover)))["id"]!.GetValue<string>();
        await TestData.Eventually(() => host.Received(name).Any(r => r.Body.Contains(id, StringComparison.Ordinal)), "content.submitted delivered");
        var payload = JsonNode.Parse(host.Received(name).Single(r => r.Body.Contains(id, StringComparison.Ordinal)).Body)!;
        Assert.Equal("content.submitted", payload["type"]!.GetValue<string>());
        Assert.Equal($"/api/content/{id}", payload["data"]!["links"]!["content"]!.GetValue<string>());
        Assert.Equal(2, payload["data"]!["accounts"]!.AsArray().Count);
    }
}
