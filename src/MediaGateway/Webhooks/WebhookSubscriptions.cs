using MediaGateway.Accounts;
using MediaGateway.Hosting;

namespace MediaGateway.Webhooks;

/// <summary>A department's subscription. The secret stays inside; the API never shows it after creation.</summary>
public sealed class WebhookSubscription
{
    private readonly byte[] _key;

    internal WebhookSubscription(string id, string department, Uri url, IReadOnlySet<string> events, IReadOnlySet<string> accounts, byte[] key)
    {
        Id = id;
        Department = department;
        Url = url;
        Events = events;
        Accounts = accounts;
        _key = key;
    }

    public string Id { get; }
    public string Department { get; }
    public Uri Url { get; }
    /// <summary>Event types; empty = all.</summary>
    public IReadOnlySet<string> Events { get; }
    /// <summary>Accounts in scope; empty = every account the department may see.</summary>
    public IReadOnlySet<string> Accounts { get; }

    internal byte[] SigningKey => _key;

    public bool Wants(GatewayEvent e, AccountRegistry registry) =>
        (Events.Count == 0 || Events.Contains(e.Type))
        && e.AccountIds.Count > 0
        // Every account of the event must be in scope and visible: an item for several accounts reveals all of them.
        && e.AccountIds.All(id => (Accounts.Count == 0 || Accounts.Contains(id)) && registry.Find(id)?.IsVisibleTo(Department) == true);
}

/// <summary>
/// Subscriptions from configuration section "Webhooks:Subscriptions" (managing them through the API,
/// rotation and SSRF checks come with issue 7).
/// </summary>
public sealed class WebhookSubscriptions(IReadOnlyList<WebhookSubscription> all)
{
    public IReadOnlyList<WebhookSubscription> All => all;

    public WebhookSubscription? Find(string id) => all.FirstOrDefault(s => s.Id == id);

    public static WebhookSubscriptions Load(IConfiguration configuration, DepartmentDirectory departments, AccountRegistry accounts, ConfigDirectory configDirectory)
    {
        var list = new List<WebhookSubscription>();
        foreach (var section in configuration.GetSection("Webhooks:Subscriptions").GetChildren())
        {
            var key = section.Path;
            if (section["Enabled"] is { } enabled && !bool.Parse(enabled)) continue;
            var department = section["Department"] ?? "";
            if (!departments.Contains(department))
                throw new ConfigurationException($"{key}:Department", $"unknown department '{department}'");
            if (!Uri.TryCreate(section["Url"], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw new ConfigurationException($"{key}:Url", "must be an absolute http(s) URL");
            var events = section.GetSection("Events").Get<string[]>() ?? [];
            foreach (var type in events.Where(t => !EventTypes.All.Contains(t)))
                throw new ConfigurationException($"{key}:Events", $"unknown event type '{type}' (known: {string.Join(", ", EventTypes.All)})");
            var scope = section.GetSection("Accounts").Get<string[]>() ?? [];
            foreach (var id in scope)
            {
                var account = accounts.Find(id) ?? throw new ConfigurationException($"{key}:Accounts", $"unknown account '{id}'");
                if (!account.IsVisibleTo(department))
                    throw new ConfigurationException($"{key}:Accounts", $"department '{department}' may not see account '{id}'");
            }

            var secret = SecretReference.Resolve(section["SecretRef"], $"{key}:SecretRef", configDirectory);
            list.Add(new WebhookSubscription(section.Key, department, url, events.ToHashSet(StringComparer.Ordinal),
                scope.ToHashSet(StringComparer.Ordinal), WebhookSigner.DecodeSecret(secret, $"{key}:SecretRef")));
        }

        return new WebhookSubscriptions(list);
    }
}
