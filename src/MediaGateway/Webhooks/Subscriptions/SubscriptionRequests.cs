using MediaGateway.Hosting;

namespace MediaGateway.Webhooks.Subscriptions;

/// <summary>A new subscription. Empty <see cref="Events"/> = every event type; empty <see cref="Accounts"/> = every account the department may see.</summary>
internal sealed record CreateSubscriptionRequest
{
    public string? Url { get; init; }
    public List<string>? Events { get; init; }
    public List<string>? Accounts { get; init; }
    [MultiLineText]
    public string? Description { get; init; }
    public bool? Enabled { get; init; }
    /// <summary>Administrators only: the department the subscription is for (default: their own).</summary>
    public string? Department { get; init; }
}

/// <summary>A change: only the fields given change. Enabling a disabled subscription clears its failure record.</summary>
internal sealed record UpdateSubscriptionRequest
{
    public string? Url { get; init; }
    public List<string>? Events { get; init; }
    public List<string>? Accounts { get; init; }
    [MultiLineText]
    public string? Description { get; init; }
    public bool? Enabled { get; init; }
}

/// <summary>How long the old secret keeps signing (default Webhooks:RotationGraceSeconds; 0 = stop at once, e.g. after a leak).</summary>
internal sealed record RotateSecretRequest(int? GraceSeconds);

/// <summary>What the API shows of a subscription: never a secret, except <see cref="Secret"/> in the answer that made it.</summary>
internal sealed record SubscriptionView(
    string Id, string Department, string Url, IReadOnlyList<string> Events, IReadOnlyList<string> Accounts, string? Description,
    bool Enabled, string Status, string? DisabledReason, DateTimeOffset? DisabledAt, string Source, DateTimeOffset CreatedAt,
    string? CreatedBy, DateTimeOffset UpdatedAt, DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset? FailingSince, long ExhaustedDeliveries)
{
    /// <summary>Only in the answer to create and rotate: store it now, it is not shown again.</summary>
    public string? Secret { get; init; }

    public static SubscriptionView Of(SubscriptionRecord r, DateTimeOffset now, (long? FailingSinceMs, long Exhausted) health = default) => new(
        r.Id, r.Department, r.Url, r.Events, r.Accounts, r.Description, r.Enabled,
        r.Enabled ? "enabled" : "disabled", r.DisabledReason, r.DisabledAt, r.Source, r.CreatedAt, r.CreatedBy, r.UpdatedAt,
        r.ValidSecrets(now).Skip(1).Select(s => s.ExpiresAt).FirstOrDefault(),
        health.FailingSinceMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, health.Exhausted);
}

/// <summary>One delivery with its request as sent (signature withheld) and every attempt.</summary>
internal sealed record DeliveryView(
    string Id, string SubscriptionId, string EventId, string EventType, string State, DateTimeOffset CreatedAt, int Attempts,
    DateTimeOffset? NextAttemptAt, IReadOnlyDictionary<string, string> RequestHeaders, string RequestBody, IReadOnlyList<DeliveryAttempt> History)
{
    public static DeliveryView Of(WebhookDelivery d) => new(d.Id, d.SubscriptionId, d.EventId, d.EventType, d.State.ToString(), d.CreatedAt,
        d.Attempts, d.NextAttemptAt, new Dictionary<string, string>
        {
            ["content-type"] = "application/json; charset=utf-8",
            ["user-agent"] = "MediaGateway-Webhooks/1.0",
            ["webhook-id"] = d.Id,
            ["webhook-timestamp"] = d.History.LastOrDefault()?.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not sent yet)",
            ["webhook-signature"] = "v1,… (withheld: computed from your secret per attempt)",
        }, d.Body, d.History);
}
