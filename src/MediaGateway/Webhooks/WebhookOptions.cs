using System.ComponentModel.DataAnnotations;

namespace MediaGateway.Webhooks;

/// <summary>Section "Webhooks" (configured subscriptions are read by <see cref="Subscriptions.ConfiguredSubscriptions"/>).</summary>
internal sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>The Standard Webhooks example schedule: after the immediate attempt, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (~3 days).</summary>
    public static readonly IReadOnlyList<int> DefaultRetrySchedule = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400];

    /// <summary>Seconds to wait before each retry (±20 % jitter); empty = <see cref="DefaultRetrySchedule"/>.</summary>
    public List<int> RetryScheduleSeconds { get; set; } = [];

    public IReadOnlyList<int> Schedule => RetryScheduleSeconds.Count > 0 ? RetryScheduleSeconds : DefaultRetrySchedule;

    /// <summary>How long one request may take (connect, send, answer headers).</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>Networks (CIDR) webhooks may be sent to although they are loopback, private, link-local…; empty = none.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>After a secret rotation, how long the old secret still signs (both signatures are sent).</summary>
    [Range(0, 604800)]
    public int RotationGraceSeconds { get; set; } = 86400;

    /// <summary>Deliveries in flight in this process, over all subscriptions.</summary>
    [Range(1, 4096)]
    public int MaxInFlight { get; set; } = 256;

    /// <summary>Deliveries in flight to one subscription in this process: a slow endpoint holds at most this many senders.</summary>
    [Range(1, 256)]
    public int MaxInFlightPerSubscription { get; set; } = 8;

    /// <summary>How long a delivery waits when its subscription already has <see cref="MaxInFlightPerSubscription"/> in flight.</summary>
    [Range(10, 60000)]
    public int DeferMilliseconds { get; set; } = 500;

    /// <summary>A subscription is disabled once this many deliveries in a row exhausted their retries…</summary>
    [Range(1, 1000)]
    public int DisableAfterExhaustedDeliveries { get; set; } = 3;

    /// <summary>…and it has failed without a single success for at least this long.</summary>
    [Range(0, 2592000)]
    public int DisableAfterFailingSeconds { get; set; } = 259200;

    /// <summary>The longest <c>Retry-After</c> honoured (429/503).</summary>
    [Range(1, 604800)]
    public int MaxRetryAfterSeconds { get; set; } = 86400;

    /// <summary>How long deliveries and the delivery log are kept (at least 7 days).</summary>
    [Range(7, 365)]
    public int LogRetentionDays { get; set; } = 7;

    /// <summary>Optional: the gateway's public address, to make the links in payloads absolute (e.g. https://gateway.example.gov.cn).</summary>
    public Uri? PublicBaseUrl { get; set; }

    public TimeSpan Retention => TimeSpan.FromDays(LogRetentionDays);
}
