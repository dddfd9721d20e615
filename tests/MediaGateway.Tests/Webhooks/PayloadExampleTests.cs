using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;
using MediaGateway.Webhooks;
using MediaGateway.Webhooks.Subscriptions;

namespace MediaGateway.Tests.Webhooks;

/// <summary>Every event type a department can subscribe to has a documented example payload with the fields every payload carries.</summary>
public sealed class PayloadExampleTests
{
    private static readonly string Directory = Path.Combine(RepoPaths.Root, "templates", "webhooks");

    public static TheoryData<string> Types() => [.. EventTypes.All.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Types))]
    public void EachEventType_HasAnExample_WithIdTypeTimeOwnershipAndLinks(string type)
    {
        var path = Path.Combine(Directory, type + ".json");
        Assert.True(File.Exists(path), $"no example for {type} in templates/webhooks");
        var example = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(type, example["type"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(example["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _));
        var data = example["data"]!;
        Assert.StartsWith("evt_", data["eventId"]!.GetValue<string>(), StringComparison.Ordinal);
        if (EventTypes.GatewayWide.Contains(type))
        {
            // About the gateway as a whole (the holiday calendar): no account, a link to the calendar instead.
            Assert.Null(data["accounts"]);
            Assert.Equal("/api/calendar/status", data["links"]!["calendar"]!.GetValue<string>());
            return;
        }

        var account = data["accounts"]![0]!;
        Assert.Empty(new MediaGateway.Accounts.OwnershipRecord
        {
            OpeningUnit = account["ownership"]!["openingUnit"]?.GetValue<string>(),
            SupervisingDepartment = account["ownership"]!["supervisingDepartment"]?.GetValue<string>(),
            OperatingTeam = account["ownership"]!["operatingTeam"]?.GetValue<string>(),
            ResponsiblePerson = new() { Name = account["ownership"]!["responsiblePerson"]?["name"]?.GetValue<string>(), Contact = account["ownership"]!["responsiblePerson"]?["contact"]?.GetValue<string>() },
            FilingNumber = account["ownership"]!["filingNumber"]?.GetValue<string>(),
        }.MissingFields());
        Assert.NotEmpty(data["links"]!["accounts"]!.AsArray());
        if (data["content"] is not null)
        {
            Assert.Equal($"/api/content/{data["content"]!["id"]!.GetValue<string>()}", data["links"]!["content"]!.GetValue<string>());
        }
    }

    [Fact]
    public void TheDisabledNotice_HasAnExample()
    {
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, SubscriptionNotices.Disabled + ".json")))!;
        Assert.Equal(SubscriptionNotices.Disabled, example["type"]!.GetValue<string>());
        Assert.NotNull(example["data"]!["subscription"]!["reason"]);
    }

    [Fact]
    public void ThePayload_IsBuiltAsDocumented()
    {
        var e = new GatewayEvent("evt_1", EventTypes.ContentApproved, DateTimeOffset.UnixEpoch, ["wx-city"], new JsonObject { ["x"] = 1 }) { ContentId = "c1" };
        var payload = JsonNode.Parse(WebhookWorker.Payload(e, null))!;
        Assert.Equal("content.approved", payload["type"]!.GetValue<string>());
        Assert.Equal("evt_1", payload["data"]!["eventId"]!.GetValue<string>());
        Assert.Equal("/api/content/c1", payload["data"]!["links"]!["content"]!.GetValue<string>());
        var absolute = JsonNode.Parse(WebhookWorker.Payload(e, new Uri("https://gateway.example.gov.cn/")))!;
        Assert.Equal("https://gateway.example.gov.cn/api/accounts/wx-city/history", absolute["data"]!["links"]!["accounts"]![0]!.GetValue<string>());
    }
}
