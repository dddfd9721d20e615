using MediaGateway.Accounts;

namespace MediaGateway.Webhooks.Subscriptions;

/// <summary>A subscription ready for the workers: the stored record with its signing keys decoded. The keys never leave the process.</summary>
internal sealed class WebhookSubscription
{
    private readonly SubscriptionRecord _record;

    public WebhookSubscription(SubscriptionRecord record)
    {
        _record = record;
        Url = new Uri(record.Url);
        Events = record.Events.ToHashSet(StringComparer.Ordinal);
        Accounts = record.Accounts.ToHashSet(StringComparer.Ordinal);
    }

    public string Id => _record.Id;
    public string Department => _record.Department;
    public Uri Url { get; }
    public bool Enabled => _record.Enabled;
    /// <summary>Event types; empty = all.</summary>
    public IReadOnlySet<string> Events { get; }
    /// <summary>Accounts in scope; empty = every account the department may see.</summary>
    public IReadOnlySet<string> Accounts { get; }
    public SubscriptionRecord Record => _record;

    /// <summary>The signing keys valid at <paramref name="now"/>, newest first (two during a rotation's grace period).</summary>
    internal IReadOnlyList<byte[]> SigningKeys(DateTimeOffset now) =>
        _record.ValidSecrets(now).Select(s => WebhookSigner.DecodeSecret(s.Secret, $"subscription {Id}")).ToList();

    /// <summary>
    /// Whether this subscription gets the event: enabled; for an account event, the type is wanted and every account
    /// of the event is in scope and visible to the department (an item for several accounts reveals all of them);
    /// for a department notice (<see cref="GatewayEvent.Department"/>), it is this department's; a gateway-wide notice
    /// (<see cref="GatewayEvent.Broadcast"/>, the holiday calendar) goes to a subscription that names its type — "all
    /// events" means all events about the department's accounts, so existing subscriptions get nothing new unasked.
    /// </summary>
    public bool Wants(GatewayEvent e, AccountRegistry registry)
    {
        if (!Enabled) return false;
        if (e.Department is not null) return e.Department == Department && e.AccountIds.Count == 0;
        if (e.Broadcast) return Events.Contains(e.Type);
        return (Events.Count == 0 || Events.Contains(e.Type))
            && e.AccountIds.Count > 0
            && e.AccountIds.All(id => (Accounts.Count == 0 || Accounts.Contains(id)) && registry.Find(id)?.IsVisibleTo(Department) == true);
    }
}
