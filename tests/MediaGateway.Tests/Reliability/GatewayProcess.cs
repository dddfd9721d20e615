using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Reliability;

/// <summary>
/// The gateway as a separate operating-system process (<c>dotnet MediaGateway.dll --config-dir config</c>), built
/// by <c>scripts/test.sh</c> in the same configuration as the tests. <see cref="Kill"/> is SIGKILL (kill -9): no
/// shutdown hook runs. Dispose kills it too, so a failing test leaves nothing running.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private GatewayProcess(Process process, Uri baseAddress, string name)
    {
        _process = process;
        BaseAddress = baseAddress;
        Name = name;
    }

    public Uri BaseAddress { get; }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The gateway's build output, next to the tests' own configuration (Release under scripts/test.sh).</summary>
    public static string DllPath
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Debug" : "Release";
            return Path.Combine(RepoPaths.Root, "src", "MediaGateway", "bin", configuration, "net10.0", "MediaGateway.dll");
        }
    }

    /// <summary>Starts the gateway with these "--Key=value" settings (after the defaults) and waits until /healthz answers.</summary>
    public static async Task<GatewayProcess> StartAsync(string name, IEnumerable<string> settings, IDictionary<string, string>? environment = null,
        TimeSpan? startTimeout = null)
    {
        var dll = DllPath;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException(
                $"The gateway is not built: {dll} is missing. Run scripts/test.sh (or dotnet build MediaGateway.sln -c Release) first.");
        }

        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--config-dir", RepoPaths.Config, "--environment", "Demo", "--urls", $"http://127.0.0.1:{port}" }
                     .Concat(["--Sandbox:Enabled=false", "--Redis:Embedded:Enabled=false", "--Logging:LogLevel:Default=Warning",
                         "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning"])
                     .Concat(settings))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"), name);
        process.OutputDataReceived += (_, e) => gateway.Record(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await gateway.WaitHealthyAsync(startTimeout ?? TimeSpan.FromSeconds(90));
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>kill -9: the process ends at once, mid-call, with nothing flushed or released.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Tail(int lines = 40) => $"--- {Name} (pid {_process.Id}) ---\n" + string.Join('\n', _output.TakeLast(lines));

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Record(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 400 && _output.TryDequeue(out _))
        {
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway process exited with {_process.ExitCode} while starting\n{Tail()}");
            }

            try
            {
                using var response = await client.GetAsync("healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"the gateway process did not become healthy within {timeout}\n{Tail()}");
            }

            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
