namespace MediaGateway.Tests.Infrastructure;

/// <summary>
/// The system clock, moved forward when a test says so (as a machine's clock is by an NTP correction or a resume): every
/// reading after a jump is later by the jump, and time goes on passing at its real rate. Timers keep real time, so what
/// waits for a due time simply finds it due sooner.
/// </summary>
public sealed class JumpingClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock forward so that it reads <paramref name="target"/> now; never backwards.</summary>
    public void JumpTo(DateTimeOffset target)
    {
        var jump = target - GetUtcNow();
        if (jump > TimeSpan.Zero)
        {
            Interlocked.Add(ref _offsetTicks, jump.Ticks);
        }
    }

    /// <summary>The next midnight in China (UTC+8) after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextChinaMidnight(DateTimeOffset now)
    {
        var china = now.ToOffset(TimeSpan.FromHours(8));
        return new DateTimeOffset(china.Date.AddDays(1), TimeSpan.FromHours(8));
    }
}
