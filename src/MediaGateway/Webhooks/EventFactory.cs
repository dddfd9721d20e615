using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Content;
using MediaGateway.Publishing;
using MediaGateway.Storage;

namespace MediaGateway.Webhooks;

/// <summary>Builds event payloads: every event carries its accounts' ownership records (P1) and links back to the item.</summary>
internal sealed class EventFactory(AccountRegistry accounts, TimeProvider time)
{
    public GatewayEvent ForContent(string type, ContentItem item, string actor, JsonObject? extra = null)
    {
        var data = new JsonObject
        {
            ["content"] = ContentSummary(item),
            ["accounts"] = AccountsOf(item.Targets),
        };
        Merge(data, extra);
        return New(type, item.Targets, data) with { Actor = actor, ContentId = item.Id };
    }

    public GatewayEvent ForPublication(string type, Publication publication, ContentItem? item)
    {
        // state stays the stored machine state (the payload contract); status is what it means (a retracted post is
        // "retracted", not "published"), with its Chinese label and detail, and whether the post is live.
        var status = PublicationStatus.Of(publication, time.GetUtcNow());
        var data = new JsonObject
        {
            ["publication"] = JsonNode.Parse(Json.Serialize(new
            {
                publication.Id, publication.AccountId, Platform = publication.Platform.ToString(), State = publication.State.ToString(),
                publication.PlatformId, publication.Url, publication.PublishedAt, publication.Attempts, publication.Error,
                Status = PublicationStatusView.CodeOf(status.Code), StatusLabel = status.Label, StatusDetail = status.Detail, status.Live,
                publication.Retraction, publication.RetractedAt, publication.Waiting,
            })),
            ["accounts"] = AccountsOf([publication.AccountId]),
        };
        if (item is not null)
        {
            // What was published to this account: its fingerprint only (an item for 200 accounts would otherwise put all
            // 200 into each of its 200 publication events, the event stream and the audit chain).
            data["content"] = ContentSummary(item, publication.AccountId);
        }

        return New(type, [publication.AccountId], data) with { ContentId = publication.ContentId };
    }

    /// <summary>An event about an account itself (its token, its silence); the data carries its ownership record.</summary>
    public GatewayEvent ForAccount(string type, Account account, JsonObject data)
    {
        // The account as given (after the change it reports), not as the registry last saw it.
        data["accounts"] = new JsonArray(Describe(account));
        return New(type, [account.Id], data);
    }

    /// <summary>An event about the gateway as a whole (a global pause): no account, so it goes to the audit chain only.</summary>
    public GatewayEvent ForGateway(string type, string actor, JsonObject data) => New(type, [], data) with { Actor = actor };

    /// <summary>An event about the gateway that concerns everyone (the holiday calendar): to every subscription naming its type, and the audit chain.</summary>
    public GatewayEvent ForEveryone(string type, string actor, JsonObject data) => New(type, [], data) with { Actor = actor, Broadcast = true };

    private GatewayEvent New(string type, IReadOnlyList<string> accountIds, JsonObject data) =>
        new("evt_" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), type, time.GetUtcNow(), accountIds, data);

    private static JsonObject ContentSummary(ContentItem item, string? onlyAccount = null) => new()
    {
        ["id"] = item.Id,
        ["revision"] = item.Revision,
        ["title"] = item.Title,
        ["category"] = item.Category.ToString(),
        ["status"] = item.Status.ToString(),
        ["createdBy"] = item.CreatedBy,
        ["fingerprints"] = onlyAccount is null
            ? JsonNode.Parse(Json.Serialize(item.Fingerprints))
            : item.Fingerprints.TryGetValue(onlyAccount, out var fingerprint) ? new JsonObject { [onlyAccount] = fingerprint } : new JsonObject(),
        ["link"] = $"/api/content/{item.Id}",
    };

    private JsonArray AccountsOf(IEnumerable<string> ids) => new(ids
        .Select(accounts.Find)
        .OfType<Account>()
        .Select(Describe)
        .ToArray());

    // An account's description is worked out once per account definition (an Account is immutable: a change makes a new
    // one) and copied into each event; an item for 200 accounts would otherwise serialise and parse 200 records per event.
    private static readonly ConditionalWeakTable<Account, JsonNode> Descriptions = new();

    private static JsonNode Describe(Account a) => Descriptions
        .GetValue(a, static a => JsonNode.Parse(Json.Serialize(new { a.Id, Platform = a.Platform.ToString(), a.Name, a.Ownership }))!)
        .DeepClone();

    private static void Merge(JsonObject target, JsonObject? extra)
    {
        if (extra is null) return;
        foreach (var (key, value) in extra.ToList())
        {
            extra.Remove(key);
            target[key] = value;
        }
    }
}
