using System.Text.RegularExpressions;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Unit;

/// <summary>
/// Tests move time with FakeTimeProvider (Microsoft.Extensions.TimeProvider.Testing); a whole gateway on real sockets
/// and a real Redis runs on the one real-time clock that jumps, <see cref="JumpingClock"/> (docs/decisions.md, decision
/// 35). No test writes a clock of its own again.
/// </summary>
public sealed partial class TestClockTests
{
    [Fact]
    public void NoTestProjectDefinesAClockOfItsOwn()
    {
        var clocks = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj"))
            .SelectMany(f => ClockClass().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Groups["name"].Value}"))
            .ToList();
        Assert.Equal(["JumpingClock.cs: JumpingClock"], clocks);
    }

    [GeneratedRegex(@"class\s+(?<name>\w+)(\s*\([^)]*\))?\s*:\s*(System\.)?(TimeProvider|FakeTimeProvider)\b")]
    private static partial Regex ClockClass();
}
