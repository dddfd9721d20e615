using System.Net;
using System.Security.Cryptography;
using System.Text;
using MediaGateway.Accounts;
using MediaGateway.Hosting;
using MediaGateway.Webhooks.Security;

namespace MediaGateway.Webhooks.Subscriptions;

/// <summary>
/// Subscriptions defined in configuration section "Webhooks:Subscriptions", checked at start-up (a bad one stops the
/// start naming its key). They are seeded into Redis (<see cref="SubscriptionStore.SeedAsync"/>) and from then on
/// behave like subscriptions made through the API; a changed definition is applied again at the next start.
/// </summary>
internal sealed class ConfiguredSubscriptions(IReadOnlyList<SubscriptionRecord> all)
{
    public IReadOnlyList<SubscriptionRecord> All => all;

    public static ConfiguredSubscriptions Load(IConfiguration configuration, DepartmentDirectory departments, AccountRegistry accounts,
        ConfigDirectory configDirectory, AddressPolicy policy)
    {
        var list = new List<SubscriptionRecord>();
        foreach (var section in configuration.GetSection("Webhooks:Subscriptions").GetChildren())
        {
            var key = section.Path;
            var enabled = section["Enabled"] is not { } enabledText || bool.Parse(enabledText);
            var department = section["Department"] ?? "";
            if (!departments.Contains(department))
                throw new ConfigurationException($"{key}:Department", $"unknown department '{department}'");
            if (!Uri.TryCreate(section["Url"], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw new ConfigurationException($"{key}:Url", "must be an absolute http(s) URL");
            if (RefusedAddress(url, policy) is { } why)
                throw new ConfigurationException($"{key}:Url", why);
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
            WebhookSigner.DecodeSecret(secret, $"{key}:SecretRef");
            var description = section["Description"];
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n",
                [department, url.ToString(), string.Join(",", events), string.Join(",", scope), description ?? "", enabled.ToString(), secret]))));
            list.Add(new SubscriptionRecord
            {
                Id = section.Key, Department = department, Url = url.ToString(), Events = [.. events], Accounts = [.. scope],
                Description = description, Enabled = enabled, DisabledReason = enabled ? null : "disabled in configuration",
                Source = "configuration", ConfigurationHash = hash, Secrets = [new SubscriptionSecret(secret, DateTimeOffset.UnixEpoch, null)],
                CreatedAt = DateTimeOffset.UnixEpoch, CreatedBy = "configuration",
            });
        }

        return new ConfiguredSubscriptions(list);
    }

    /// <summary>The address check at start-up: literal addresses, and host names that resolve now (the connection checks again).</summary>
    private static string? RefusedAddress(Uri url, AddressPolicy policy)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = Dns.GetHostAddresses(url.IdnHost);
            }
            catch (System.Net.Sockets.SocketException)
            {
                return null;
            }
        }

        return addresses.Select(a => policy.WhyRefused(a) is { } why ? $"resolves to {a}, a {why} address; allow-list it in Webhooks:AllowedNetworks to use it" : null)
            .FirstOrDefault(r => r is not null);
    }
}
