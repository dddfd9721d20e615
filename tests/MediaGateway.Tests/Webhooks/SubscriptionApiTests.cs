using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;
using StandardWebhooks;

namespace MediaGateway.Tests.Webhooks;

/// <summary>A department manages its own subscriptions through the API; bad requests name the field and change nothing.</summary>
[Collection(WebhookCollection.Name)]
public sealed class SubscriptionApiTests(WebhookTestHost host)
{
    private static string[] Ids(JsonArray list) => list.Select(s => s!["id"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Create_ShowsTheSecretOnce_AndTheSubscriptionCanBeReadChangedAndDeleted()
    {
        var name = TestData.Unique("crud");
        var created = await host.SubscribeAsync(name, events: new List<string> { "content.submitted", "publication.failed" }, accounts: new List<string> { "wx-city" });
        var id = created["id"]!.GetValue<string>();
        Assert.StartsWith("whsec_", created["secret"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("city-info-office", created["department"]!.GetValue<string>());
        Assert.Equal("enabled", created["status"]!.GetValue<string>());

        var read = await host.GetJsonAsync($"api/webhooks/subscriptions/{id}");
        Assert.Null(read["secret"]);
        Assert.DoesNotContain("whsec_", read.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["content.submitted", "publication.failed"], read["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        var list = await host.GetArrayAsync("api/webhooks/subscriptions");
        Assert.Contains(id, Ids(list));
        Assert.Contains("city-info-office-main", Ids(list)); // the configured one, seeded
        Assert.DoesNotContain("whsec_", list.ToJsonString(), StringComparison.Ordinal);

        using var department = host.Client(GatewayTestHost.DepartmentToken);
        using (var patched = await department.PatchAsJsonAsync($"api/webhooks/subscriptions/{id}", new { description = "改过", enabled = false }))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            var body = (await patched.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("改过", body["description"]!.GetValue<string>());
            Assert.Equal("disabled", body["status"]!.GetValue<string>());
            Assert.Contains("dept-info", body["disabledReason"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(2, body["events"]!.AsArray().Count); // untouched fields stay
        }

        using (var deleted = await department.DeleteAsync($"api/webhooks/subscriptions/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var gone = await department.GetAsync($"api/webhooks/subscriptions/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task BadFields_AreNamed_AndNothingIsStored()
    {
        using var department = host.Client(GatewayTestHost.DepartmentToken);
        var before = Ids(await host.GetArrayAsync("api/webhooks/subscriptions", WebhookTestHost.AdminToken));
        using var response = await department.PostAsJsonAsync("api/webhooks/subscriptions", new
        {
            url = "http://10.1.2.3/hooks", events = new List<string> { "content.exploded" }, accounts = new List<string> { "wx-health" },
            description = new string('x', 501),
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("private", errors["url"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("content.exploded", errors["events"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("wx-health", errors["accounts"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(errors["description"]);
        Assert.Equal(before, Ids(await host.GetArrayAsync("api/webhooks/subscriptions", WebhookTestHost.AdminToken)));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "metadata")]
    [InlineData("http://[fd00:ec2::254]/", "metadata")]
    [InlineData("http://100.64.0.1/", "CGNAT")]
    [InlineData("http://[fe80::1]/", "link-local")]
    [InlineData("http://0.0.0.0:8080/", "unspecified")]
    [InlineData("ftp://example.gov.cn/", "http(s)")]
    [InlineData("http://user:pw@127.0.0.1/", "credentials")]
    public async Task RefusedUrls_AreNamed(string url, string reason)
    {
        using var department = host.Client(GatewayTestHost.DepartmentToken);
        using var response = await department.PostAsJsonAsync("api/webhooks/subscriptions", new { url });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await TestData.ProblemAsync(response);
        Assert.Contains(reason, problem["errors"]!["url"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_ChecksTheUrlAgain_AndKeepsTheOldOneOnRefusal()
    {
        var created = await host.SubscribeAsync(TestData.Unique("upd"));
        var id = created["id"]!.GetValue<string>();
        using var department = host.Client(GatewayTestHost.DepartmentToken);
        using var response = await department.PatchAsJsonAsync($"api/webhooks/subscriptions/{id}", new { url = "http://192.168.1.10/x", description = "new" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await TestData.ProblemAsync(response))["errors"]!["url"]);
        var read = await host.GetJsonAsync($"api/webhooks/subscriptions/{id}");
        Assert.Equal(created["url"]!.GetValue<string>(), read["url"]!.GetValue<string>());
        Assert.Equal(created["description"]!.GetValue<string>(), read["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task OtherDepartments_NeitherSeeNorChange_AndOnlyDepartmentUsersManage()
    {
        var id = (await host.SubscribeAsync(TestData.Unique("own")))["id"]!.GetValue<string>();
        using var health = host.Client(GatewayTestHost.HealthOperatorToken);
        Assert.Equal(HttpStatusCode.NotFound, (await health.GetAsync($"api/webhooks/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await health.DeleteAsync($"api/webhooks/subscriptions/{id}")).StatusCode);
        Assert.DoesNotContain(id, Ids(await host.GetArrayAsync("api/webhooks/subscriptions", GatewayTestHost.HealthOperatorToken)));

        // An operator of another department cannot subscribe at all; a reviewer of the same department reads but may not change.
        using (var refused = await health.PostAsJsonAsync("api/webhooks/subscriptions", new { url = host.Receiver.UrlFor("x").ToString() }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var reviewer = host.Client(GatewayTestHost.Reviewer2Token); // city-info-office, Reviewer role
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync($"api/webhooks/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.DeleteAsync($"api/webhooks/subscriptions/{id}")).StatusCode);

        // Administrators see and manage every department's subscriptions, and may subscribe for a department.
        Assert.Contains(id, Ids(await host.GetArrayAsync("api/webhooks/subscriptions", WebhookTestHost.AdminToken)));
        var forHealth = await host.SubscribeAsync(TestData.Unique("adm"), accounts: new List<string> { "wx-health" }, token: WebhookTestHost.AdminToken,
            department: "health-bureau");
        Assert.Equal("health-bureau", forHealth["department"]!.GetValue<string>());
        Assert.Contains(forHealth["id"]!.GetValue<string>(), Ids(await host.GetArrayAsync("api/webhooks/subscriptions", GatewayTestHost.HealthOperatorToken)));
    }

    [Fact]
    public async Task RotatingTheSecret_SignsWithBothDuringTheGracePeriod_ThenOnlyWithTheNewOne()
    {
        var name = TestData.Unique("rot");
        var created = await host.SubscribeAsync(name, events: new List<string> { "account.changed" }, accounts: new List<string> { "wx-city" });
        var id = created["id"]!.GetValue<string>();
        var oldSecret = created["secret"]!.GetValue<string>();
        using var department = host.Client(GatewayTestHost.DepartmentToken);

        using var rotated = await department.PostAsJsonAsync($"api/webhooks/subscriptions/{id}/rotate-secret", new { });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var body = (await rotated.Content.ReadFromJsonAsync<JsonObject>())!;
        var newSecret = body["secret"]!.GetValue<string>();
        Assert.NotEqual(oldSecret, newSecret);
        Assert.NotNull(body["previousSecretExpiresAt"]);
        Assert.DoesNotContain("whsec_", (await host.GetJsonAsync($"api/webhooks/subscriptions/{id}")).ToJsonString(), StringComparison.Ordinal);

        var during = await host.EmitAsync("account.changed", "wx-city");
        await TestData.Eventually(() => host.Received(name).Any(r => r.Body.Contains(during.Id, StringComparison.Ordinal)), "delivery during the grace period");
        var first = host.Received(name).Single(r => r.Body.Contains(during.Id, StringComparison.Ordinal));
        Assert.Equal(2, first.Signature!.Split(' ').Length);
        Verify(first, oldSecret);
        Verify(first, newSecret);

        // Rotating with no grace: only the newest secret signs; the one before no longer verifies.
        using var again = await department.PostAsJsonAsync($"api/webhooks/subscriptions/{id}/rotate-secret", new { graceSeconds = 0 });
        var newest = (await again.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!.GetValue<string>();
        var after = await host.EmitAsync("account.changed", "wx-city");
        await TestData.Eventually(() => host.Received(name).Any(r => r.Body.Contains(after.Id, StringComparison.Ordinal)), "delivery after the grace period");
        var second = host.Received(name).Single(r => r.Body.Contains(after.Id, StringComparison.Ordinal));
        Assert.Single(second.Signature!.Split(' '));
        Verify(second, newest);
        Assert.ThrowsAny<Exception>(() => Verify(second, newSecret));

        using var bad = await department.PostAsJsonAsync($"api/webhooks/subscriptions/{id}/rotate-secret", new { graceSeconds = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull((await TestData.ProblemAsync(bad))["errors"]!["graceSeconds"]);
    }

    /// <summary>
    /// Verifies with the StandardWebhooks library (an implementation independent of ours); throws when no signature matches.
    /// The library (1.1.2) only compares the first entry of a space-separated <c>webhook-signature</c>, so each entry is
    /// given to it on its own, as a spec-conforming verifier would try each.
    /// </summary>
    internal static void Verify(MediaGateway.Sandbox.ReceivedWebhook received, string secret)
    {
        Exception? last = null;
        foreach (var signature in received.Signature!.Split(' '))
        {
            try
            {
                new StandardWebhook(secret).Verify(received.Body, new Microsoft.AspNetCore.Http.HeaderDictionary
                {
                    ["webhook-id"] = received.WebhookId!, ["webhook-timestamp"] = received.Timestamp!, ["webhook-signature"] = signature,
                });
                return;
            }
            catch (StandardWebhooks.Diagnostics.WebhookVerificationException e)
            {
                last = e;
            }
        }

        throw last!;
    }
}
