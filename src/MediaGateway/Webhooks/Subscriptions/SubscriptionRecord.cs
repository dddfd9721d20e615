namespace MediaGateway.Webhooks.Subscriptions;

/// <summary>One signing secret of a subscription; a rotated-out secret carries the end of its grace period.</summary>
internal sealed record SubscriptionSecret(string Secret, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt)
{
    public override string ToString() => "SubscriptionSecret { *** }";
}

/// <summary>
/// A department's subscription as stored in Redis (hash <c>mg:webhook:subscriptions</c>, field = id). Holds the
/// secrets, which only the sender reads: the API shows a secret once, when it is made.
/// </summary>
internal sealed record SubscriptionRecord
{
    public required string Id { get; init; }
    public required string Department { get; init; }
    public required string Url { get; init; }
    /// <summary>Event types; empty = all.</summary>
    public List<string> Events { get; init; } = [];
    /// <summary>Accounts in scope; empty = every account the department may see.</summary>
    public List<string> Accounts { get; init; } = [];
    public string? Description { get; init; }
    public bool Enabled { get; init; } = true;
    /// <summary>Why the subscription is disabled: by whom, or the failure that disabled it.</summary>
    public string? DisabledReason { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }
    /// <summary>"api" or "configuration" (seeded from Webhooks:Subscriptions).</summary>
    public string Source { get; init; } = "api";
    /// <summary>For configured subscriptions: a hash of the configured definition, so a changed configuration is applied again.</summary>
    public string? ConfigurationHash { get; init; }
    /// <summary>Newest first. Expired ones are dropped on the next change.</summary>
    public List<SubscriptionSecret> Secrets { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }

    /// <summary>The secrets to sign with at <paramref name="now"/>: the current one, and rotated ones still in their grace period.</summary>
    public IEnumerable<SubscriptionSecret> ValidSecrets(DateTimeOffset now) => Secrets.Where(s => s.ExpiresAt is null || s.ExpiresAt > now);

    public override string ToString() => $"SubscriptionRecord {{ Id = {Id}, Department = {Department}, Url = {Url} }}";
}
