using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MediaGateway.Tests.Infrastructure;

// Not "MediaGateway.Tests.Auth": GatewayTestHost writes Auth.UserDirectory, which that namespace would capture.
namespace MediaGateway.Tests.Authentication;

/// <summary>
/// An independent OpenID provider: the npm package <c>oidc-provider</c> (tests/oidc-provider, pinned in its
/// package-lock.json) run by the machine's Node.js on a loopback port. Its demo users and groups are in server.js; a
/// person signs in by typing a login name into its form. scripts/test.sh installs Node.js and runs <c>npm ci</c> there.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ConsoleClientId = "media-gateway-console";

    /// <summary>The scopes the console asks for: 'gateway' is the provider's scope for the gateway's access token.</summary>
    public const string ConsoleScope = "openid profile groups gateway";

    private readonly Process _process;

    private OidcProvider(Process process, Uri issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    public Uri Issuer { get; }

    public static string Directory => Path.Combine(RepoPaths.Root, "tests", "oidc-provider");

    /// <summary>A free loopback port for the provider, known before the gateway (whose configuration names it) starts.</summary>
    public static int ReservePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the provider on <paramref name="port"/>, for a console whose sign-in returns to <paramref name="redirectUri"/>.</summary>
    public static async Task<OidcProvider> StartAsync(int port, Uri redirectUri, string audience)
    {
        if (!File.Exists(Path.Combine(Directory, "node_modules", "oidc-provider", "package.json")))
        {
            throw new InvalidOperationException($"oidc-provider is not installed: run scripts/test.sh (npm ci in tests/oidc-provider)");
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("MG_NODE") is { Length: > 0 } node ? node : "node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "server.js", port.ToString(System.Globalization.CultureInfo.InvariantCulture), redirectUri.ToString(), audience })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("listening", StringComparison.Ordinal))
                {
                    // Keep draining stdout so the provider never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new OidcProvider(process, new Uri($"http://127.0.0.1:{port}"));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        process.Kill(entireProcessTree: true);
        lock (errors) throw new InvalidOperationException($"oidc-provider did not start on port {port}: {errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
