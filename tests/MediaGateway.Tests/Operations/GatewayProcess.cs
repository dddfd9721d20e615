using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Operations;

/// <summary>
/// The built gateway (src/MediaGateway/bin/…/MediaGateway.dll) run as a separate process with <c>dotnet exec</c>,
/// so a test can send it SIGTERM, kill it, and start it again. Output is kept for the failure message.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GatewayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The gateway DLL built with the same configuration as the tests (scripts/test.sh builds the solution).</summary>
    public static string DllPath(string root = "")
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        return Path.Combine(root.Length > 0 ? root : RepoPaths.Root, "src", "MediaGateway", "bin", configuration, "net10.0", "MediaGateway.dll");
    }

    /// <summary>Starts <paramref name="dll"/> on a free loopback port with <paramref name="args"/>; waits until /healthz/live answers.</summary>
    public static async Task<GatewayProcess> StartAsync(IEnumerable<string> args, string? dll = null, IDictionary<string, string>? environment = null,
        bool waitReady = true)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll ?? DllPath());
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["DOTNET_ENVIRONMENT"] = "Demo";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Demo";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await gateway.WaitForAsync(waitReady ? "healthz/ready" : "healthz/live", TimeSpan.FromSeconds(180));
        return gateway;
    }

    public async Task WaitForAsync(string path, TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(path);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{path} did not answer 200 within {timeout}:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Sends SIGTERM (what systemd and container runtimes send) and waits for the process to end.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (Kill(_process.Id, 15) != 0) throw new InvalidOperationException("kill(SIGTERM) failed");
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
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

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

#pragma warning disable SYSLIB1054 // two ints: plain DllImport is enough
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
