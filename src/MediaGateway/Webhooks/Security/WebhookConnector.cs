using System.Net;
using System.Net.Sockets;

namespace MediaGateway.Webhooks.Security;

/// <summary>A subscriber URL's host resolved to an address webhooks may not be sent to.</summary>
internal sealed class WebhookAddressRefusedException(string message) : Exception(message);

/// <summary>
/// SSRF protection at connect time: resolves the host, checks every address against the <see cref="AddressPolicy"/>,
/// and connects to a checked address itself (<see cref="SocketsHttpHandler.ConnectCallback"/>), so a DNS answer that
/// changes between the check and the connection (DNS rebinding) cannot lead the request elsewhere.
/// </summary>
internal sealed class WebhookConnector(AddressPolicy policy, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    public AddressPolicy Policy => policy;

    /// <summary>The addresses of a host, each checked; throws <see cref="WebhookAddressRefusedException"/> if any is refused.</summary>
    public async Task<IPAddress[]> ResolveCheckedAsync(string host, CancellationToken cancellationToken)
    {
        var bare = host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(bare, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await _resolve(bare, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new WebhookAddressRefusedException($"主机名无法解析 / the host '{bare}' cannot be resolved ({e.SocketErrorCode})");
            }
        }

        if (addresses.Length == 0)
        {
            throw new WebhookAddressRefusedException($"主机名无法解析 / the host '{bare}' has no address");
        }

        foreach (var address in addresses)
        {
            if (policy.WhyRefused(address) is { } why)
            {
                throw new WebhookAddressRefusedException(
                    $"不允许向内部地址发送 / '{bare}' resolves to {address}, a {why} address; webhooks are only sent to public addresses unless an administrator allow-lists the network (Webhooks:AllowedNetworks)");
            }
        }

        return addresses;
    }

    /// <summary>Why a subscriber URL is refused (scheme, credentials, address), or null when it may be used.</summary>
    public async Task<string?> WhyRefusedAsync(string? url, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url)) return "required: the endpoint's absolute http(s) URL";
        if (url.Length > 2048) return "at most 2048 characters";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "must be an absolute http(s) URL";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "must not carry credentials (user:password@); authenticate requests by their signature";
        if (!string.IsNullOrEmpty(uri.Fragment)) return "must not have a fragment (#…)";
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await ResolveCheckedAsync(uri.IdnHost, timeout.Token);
            return null;
        }
        catch (WebhookAddressRefusedException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"主机名解析超时 / resolving '{uri.IdnHost}' timed out";
        }
    }

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>: connect only to an address that was just checked.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var addresses = await ResolveCheckedAsync(context.DnsEndPoint.Host, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
