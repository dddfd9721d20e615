using System.Diagnostics;
using System.Globalization;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Operations;

/// <summary>
/// A primary, one replica and three sentinels on loopback ports: plain redis-server processes (sentinels run as
/// <c>redis-server sentinel.conf --sentinel</c>). The primary can be killed to force a failover.
/// </summary>
public sealed class SentinelSet : IAsyncDisposable
{
    public const string ServiceName = "mg";
    private readonly List<Process> _processes = [];
    private readonly string _dir;

    private SentinelSet(string dir) => _dir = dir;

    public int PrimaryPort { get; private set; }
    public int ReplicaPort { get; private set; }
    public int[] SentinelPorts { get; private set; } = [];
    public Process Primary { get; private set; } = null!;

    /// <summary>What the gateway connects to: the three sentinels and the service name.</summary>
    public string GatewayConnectionString =>
        string.Join(",", SentinelPorts.Select(p => $"127.0.0.1:{p}")) + $",serviceName={ServiceName},abortConnect=false,allowAdmin=true";

    public static async Task<SentinelSet> StartAsync(string dir)
    {
        var set = new SentinelSet(dir);
        Directory.CreateDirectory(dir);
        set.PrimaryPort = GatewayProcess.FreePort();
        set.ReplicaPort = GatewayProcess.FreePort();
        set.Primary = set.StartServer("primary", set.PrimaryPort);
        await WaitPingAsync(set.PrimaryPort);
        set.StartServer("replica", set.ReplicaPort, "--replicaof", "127.0.0.1", set.PrimaryPort.ToString(CultureInfo.InvariantCulture));
        await WaitPingAsync(set.ReplicaPort);
        await WaitAsync(async () => (await InfoAsync(set.ReplicaPort, "replication")).GetValueOrDefault("master_link_status") == "up", "replica in sync");
        set.SentinelPorts = [GatewayProcess.FreePort(), GatewayProcess.FreePort(), GatewayProcess.FreePort()];
        foreach (var port in set.SentinelPorts)
        {
            var conf = Path.Combine(dir, $"sentinel-{port}.conf");
            await File.WriteAllTextAsync(conf, $"""
                port {port}
                bind 127.0.0.1
                dir {dir}
                sentinel monitor {ServiceName} 127.0.0.1 {set.PrimaryPort} 2
                sentinel down-after-milliseconds {ServiceName} 2000
                sentinel failover-timeout {ServiceName} 20000
                sentinel parallel-syncs {ServiceName} 1
                logfile {Path.Combine(dir, $"sentinel-{port}.log")}

                """);
            set._processes.Add(Process.Start(Info(conf, "--sentinel"))!);
            await WaitPingAsync(port);
        }

        // Every sentinel has found the replica and the other sentinels before anything is killed.
        await WaitAsync(async () =>
        {
            foreach (var port in set.SentinelPorts)
            {
                var info = await InfoAsync(port, "sentinel");
                if (!(info.GetValueOrDefault("master0") ?? "").Contains("slaves=1,sentinels=3", StringComparison.Ordinal)) return false;
            }

            return true;
        }, "sentinels see one replica and three sentinels");
        return set;
    }

    /// <summary>Kills the primary outright (SIGKILL): no flush, no goodbye to the replica.</summary>
    public void KillPrimary() => Primary.Kill();

    /// <summary>The port the sentinels now name as primary.</summary>
    public async Task<int> CurrentPrimaryPortAsync()
    {
        var info = await InfoAsync(SentinelPorts[0], "sentinel");
        var master = info["master0"]; // name=mg,status=ok,address=127.0.0.1:PORT,slaves=1,sentinels=3
        var address = master.Split(',').First(p => p.StartsWith("address=", StringComparison.Ordinal))["address=".Length..];
        return int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>INFO over a raw connection (works alike on servers and sentinels).</summary>
    public static async Task<Dictionary<string, string>> InfoAsync(int port, string section)
    {
        var text = await CommandAsync(port, $"INFO {section}");
        return text.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(':', StringComparison.Ordinal) && !l.StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)], l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..]);
    }

    /// <summary>One inline command; returns the reply's text (bulk string body, or the status line).</summary>
    public static async Task<string> CommandAsync(int port, string command)
    {
        using var client = new System.Net.Sockets.TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"), cts.Token);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cts.Token);
            if (read == 0) break;
            buffer.Write(chunk, 0, read);
            var text = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
            if (text.StartsWith('$'))
            {
                var header = text.IndexOf("\r\n", StringComparison.Ordinal);
                if (header < 0) continue;
                var length = int.Parse(text[1..header], CultureInfo.InvariantCulture);
                if (length < 0) return "";
                if (buffer.Length >= header + 2 + length + 2) return System.Text.Encoding.UTF8.GetString(buffer.ToArray(), header + 2, length);
            }
            else if (text.EndsWith("\r\n", StringComparison.Ordinal))
            {
                return text.TrimEnd();
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, string what, int seconds = 90)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or KeyNotFoundException)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(seconds)) throw new TimeoutException($"{what}: not within {seconds} s");
            await Task.Delay(200);
        }
    }

    private Process StartServer(string name, int port, params string[] extra)
    {
        var data = Path.Combine(_dir, name);
        Directory.CreateDirectory(data);
        var info = Info(null, ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", data, "--appendonly", "yes",
            "--appendfsync", "everysec", "--maxmemory-policy", "noeviction", "--save", "", "--logfile", Path.Combine(_dir, $"{name}.log"), .. extra]);
        var process = Process.Start(info)!;
        _processes.Add(process);
        return process;
    }

    private static ProcessStartInfo Info(string? conf, params string[] args)
    {
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false };
        if (conf is not null) info.ArgumentList.Add(conf);
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }

    private static Task WaitPingAsync(int port) =>
        WaitAsync(async () => (await CommandAsync(port, "PING")).StartsWith("+PONG", StringComparison.Ordinal), $"redis on {port}");

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited) process.Kill();
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
