using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MediaGateway.Tests.Infrastructure;

/// <summary>
/// The built gateway (src/MediaGateway/bin/…/MediaGateway.dll, or a published one) run as a separate operating-system
/// process on a free loopback port, so a test can send it SIGTERM (<see cref="TerminateAsync"/>), kill it with SIGKILL
/// (<see cref="Kill"/>: no shutdown hook runs) and start it again. Everything it writes is kept for assertions and
/// failure messages. Dispose kills it too, so a failing test leaves nothing running.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private GatewayProcess(Process process, Uri baseAddress, string name)
    {
        _process = process;
        BaseAddress = baseAddress;
        Name = name;
    }

    public Uri BaseAddress { get; }

    /// <summary>For failure messages when a test runs several gateways.</summary>
    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>True when the process has ended because its port was bound by someone else (read after its output is drained).</summary>
    private bool ExitedBecausePortWasTaken()
    {
        if (!_process.HasExited) return false;
        _process.WaitForExit(); // without a timeout it also waits for the redirected output to be read to its end
        return Output.Contains("address already in use", StringComparison.Ordinal);
    }

    /// <summary>Everything the process wrote so far, standard output and error interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output) return string.Join('\n', _output);
        }
    }

    /// <summary>The gateway DLL built with the same configuration as the tests (scripts/test.sh builds the solution in Release).</summary>
    public static string DllPath(string root = "")
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        return Path.Combine(root.Length > 0 ? root : RepoPaths.Root, "src", "MediaGateway", "bin", configuration, "net10.0", "MediaGateway.dll");
    }

    /// <summary>
    /// Starts <paramref name="dll"/> (the built gateway by default) with <paramref name="args"/> and <c>--urls</c> on a free
    /// loopback port, in the Demo environment unless <paramref name="environment"/> says otherwise, and waits until
    /// <paramref name="waitPath"/> answers 200.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(IEnumerable<string> args, string? dll = null, IDictionary<string, string>? environment = null,
        string waitPath = "healthz/ready", TimeSpan? timeout = null, string name = "gateway", string? workingDirectory = null)
    {
        dll ??= DllPath();
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The gateway is not built: {dll} is missing. Run scripts/test.sh (or dotnet build MediaGateway.sln -c Release) first.");
        }

        // A free port is free only until someone else binds it (other test processes share this machine): when the
        // gateway exits because its port was taken meanwhile, it is started again on another one.
        for (var attempt = 1; ; attempt++)
        {
            var gateway = Launch(dll, args, environment, name, workingDirectory);
            try
            {
                await gateway.WaitForAsync(waitPath, timeout ?? TimeSpan.FromSeconds(180));
                return gateway;
            }
            catch (InvalidOperationException) when (attempt < 3 && gateway.ExitedBecausePortWasTaken())
            {
                await gateway.DisposeAsync();
            }
            catch
            {
                await gateway.DisposeAsync();
                throw;
            }
        }
    }

    private static GatewayProcess Launch(string dll, IEnumerable<string> args, IDictionary<string, string>? environment, string name, string? workingDirectory)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment["DOTNET_ENVIRONMENT"] = "Demo";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Demo";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"), name);
        process.OutputDataReceived += (_, e) => gateway.Record(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>Waits until <paramref name="path"/> answers 200; fails at once if the process exits.</summary>
    public async Task WaitForAsync(string path, TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited with {_process.ExitCode}\n{Tail()}");
            }

            try
            {
                using var response = await client.GetAsync(path);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{path} did not answer 200 within {timeout}\n{Tail()}");
            }

            await Task.Delay(200);
        }
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Sends SIGTERM (what systemd and container runtimes send) and waits for the process to end.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (SendSignal(_process.Id, 15) != 0) throw new InvalidOperationException("kill(SIGTERM) failed");
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
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
    public string Tail(int lines = 40)
    {
        lock (_output) return $"--- {Name} (pid {_process.Id}) ---\n" + string.Join('\n', _output.TakeLast(lines));
    }

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
        lock (_output) _output.Add(line);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

#pragma warning disable SYSLIB1054 // two ints: plain DllImport is enough
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
#pragma warning restore SYSLIB1054
}
