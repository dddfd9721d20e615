using System.Net;
using System.Net.Sockets;
using MediaGateway.Hosting;

namespace MediaGateway.Webhooks.Security;

/// <summary>
/// Which addresses a webhook may be sent to. Everything that is not a public unicast address is refused
/// (loopback, private, link-local, cloud metadata, unspecified, multicast, shared CGNAT, reserved, documentation),
/// unless it lies in one of the networks an administrator allow-listed (<c>Webhooks:AllowedNetworks</c>, CIDR).
/// IPv4 addresses inside IPv6 (mapped, NAT64, 6to4) are judged as the IPv4 address they carry.
/// </summary>
internal sealed class AddressPolicy(IReadOnlyList<IPNetwork> allowed)
{
    private static readonly (IPNetwork Network, string Reason)[] Refused4 =
    [
        (IPNetwork.Parse("169.254.169.254/32"), "cloud metadata"),
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified (this network)"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared address space (CGNAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved (IETF protocol assignments)"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        (IPNetwork.Parse("192.88.99.0/24"), "reserved (6to4 relay)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved (benchmarking)"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved (incl. broadcast)"),
    ];

    private static readonly (IPNetwork Network, string Reason)[] Refused6 =
    [
        (IPNetwork.Parse("fd00:ec2::254/128"), "cloud metadata"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("::/96"), "reserved (IPv4-compatible)"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "private (local NAT64)"),
        (IPNetwork.Parse("100::/64"), "reserved (discard)"),
        (IPNetwork.Parse("2001::/32"), "reserved (Teredo tunnel)"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("fc00::/7"), "private (unique local)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "reserved (site-local)"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Only public unicast addresses; nothing allow-listed.</summary>
    public static AddressPolicy Strict { get; } = new([]);

    /// <summary>Reads <c>Webhooks:AllowedNetworks</c> (CIDRs, or single addresses).</summary>
    public static AddressPolicy FromConfiguration(IConfiguration configuration)
    {
        var networks = new List<IPNetwork>();
        var section = configuration.GetSection("Webhooks:AllowedNetworks");
        foreach (var item in section.GetChildren())
        {
            var text = item.Value?.Trim() ?? "";
            if (IPNetwork.TryParse(text, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(text, out var single))
            {
                networks.Add(new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new ConfigurationException(item.Path, $"'{text}' is not a network in CIDR notation (e.g. 127.0.0.1/32, ::1/128)");
            }
        }

        return new AddressPolicy(networks);
    }

    public IReadOnlyList<IPNetwork> AllowedNetworks => allowed;

    /// <summary>Why the address is refused, or null when a webhook may be sent to it.</summary>
    public string? WhyRefused(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var judged = Unwrap(address);
        if (allowed.Any(n => n.Contains(judged) || n.Contains(address)))
        {
            return null;
        }

        return Classify(judged);
    }

    /// <summary>The special range an address belongs to ("loopback", "private"…), or null for a public unicast address.</summary>
    public static string? Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = Unwrap(address);
        var table = address.AddressFamily == AddressFamily.InterNetwork ? Refused4 : Refused6;
        foreach (var (network, reason) in table)
        {
            if (network.Contains(address)) return reason;
        }

        return null;
    }

    /// <summary>The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002:AABB:CCDD::), else the address itself.</summary>
    public static IPAddress Unwrap(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address)) return new IPAddress(bytes.AsSpan(12, 4));
        if (SixToFour.Contains(address)) return new IPAddress(bytes.AsSpan(2, 4));
        return address;
    }
}
