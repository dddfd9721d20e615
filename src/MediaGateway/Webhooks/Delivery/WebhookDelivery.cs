namespace MediaGateway.Webhooks;

internal enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>One attempt to send a delivery: what came back and how long it took.</summary>
internal sealed record DeliveryAttempt(int Attempt, DateTimeOffset At, long Timestamp, int? StatusCode, long LatencyMilliseconds, string? Error,
    string? Response, DateTimeOffset? NextAttemptAt, bool Manual);

/// <summary>One event to one subscription. The body is fixed at creation, so every retry sends the same signed bytes.</summary>
internal sealed record WebhookDelivery
{
    /// <summary>Also the <c>webhook-id</c> header: the same on every retry, so receivers can de-duplicate.</summary>
    public required string Id { get; init; }
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public required string SubscriptionId { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DeliveryState State { get; init; }
    public int Attempts { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    /// <summary>A manual redelivery was asked for: the next attempt is a single one, outside the retry schedule.</summary>
    public bool Manual { get; init; }
    /// <summary>Every attempt, oldest first.</summary>
    public List<DeliveryAttempt> History { get; init; } = [];
}

/// <summary>A line of the delivery log a department reads.</summary>
internal sealed record DeliveryLogEntry(string DeliveryId, string EventId, string EventType, int Attempt, DateTimeOffset At,
    int? StatusCode, long LatencyMilliseconds, string? Error, string Outcome, DateTimeOffset? NextAttemptAt = null, bool Manual = false);
