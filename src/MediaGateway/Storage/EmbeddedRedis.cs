using System.Diagnostics;
using System.Net.Sockets;

namespace MediaGateway.Storage;

/// <summary>
/// A redis-server child process on loopback with AOF on (everysec) and noeviction, its data in a folder
/// of ours. The demo runs on it; tests start one per test run. Stops with SHUTDOWN (AOF flushed).
/// </summary>
internal sealed class EmbeddedRedis : IAsyncDisposable
{
    private readonly Process? _process;

    private EmbeddedRedis(int port, Process? process)
    {
        Port = port;
        _process = process;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,allowAdmin=true";

    /// <summary>The redis-server process, when this started it (tests pause it to stage a hung server).</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>True when a server already listened on the port and was reused, not started by us.</summary>
    public bool Reused => _process is null;

    /// <param name="extraArgs">More redis-server options (e.g. cluster mode for tests).</param>
    public static async Task<EmbeddedRedis> StartAsync(string dataDirectory, int port = 0, string serverPath = "redis-server",
        IReadOnlyList<string>? extraArgs = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataDirectory);
        if (port == 0)
        {
            port = FreePort();
        }
        else if (await PingsAsync(port, cancellationToken))
        {
            // A server left running by an earlier run (or started by hand) on our port: reuse it.
            return new EmbeddedRedis(port, null);
        }

        var start = new ProcessStartInfo(serverPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--dir", Path.GetFullPath(dataDirectory), "--appendonly", "yes", "--appendfsync", "everysec",
                     "--maxmemory-policy", "noeviction", "--save", "", "--protected-mode", "yes",
                 }.Concat(extraArgs ?? []))
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Redis:Embedded: cannot run '{serverPath}' ({e.Message}). Install it (Debian: apt-get install redis-server) or use scripts/run.sh, which does.", e);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A real child process comes up in real time, whatever clock the gateway is given.
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        while (!await PingsAsync(port, cancellationToken))
        {
            if (process.HasExited || clock.GetElapsedTime(started) > TimeSpan.FromSeconds(20))
            {
                throw new InvalidOperationException($"Redis:Embedded: redis-server on port {port} did not come up (exit code {(process.HasExited ? process.ExitCode : -1)})");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), clock, cancellationToken);
        }

        return new EmbeddedRedis(port, process);
    }

    /// <summary>Kills the server without letting it flush (a crash), for tests that restart Redis; returns once it is gone.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null || _process.HasExited)
        {
            _process?.Dispose();
            return;
        }

        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, Port);
            await client.GetStream().WriteAsync("SHUTDOWN\r\n"u8.ToArray());
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
            }
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidOperationException)
        {
            if (!_process.HasExited) _process.Kill();
        }

        _process.Dispose();
    }

    private static async Task<bool> PingsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return read > 0 && System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
