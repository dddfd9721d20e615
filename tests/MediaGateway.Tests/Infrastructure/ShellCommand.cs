using System.Diagnostics;

namespace MediaGateway.Tests.Infrastructure;

/// <summary>Runs a command from the repository root and returns its exit code with everything it printed.</summary>
public static class ShellCommand
{
    public static async Task<(int Code, string Log)> RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
