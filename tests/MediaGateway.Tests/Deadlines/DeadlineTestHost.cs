using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Deadlines;

/// <summary>
/// A gateway of its own (own Redis) whose deadline and dormancy watchers check several times a second, on a clock the
/// tests move forward: a deadline hours away is reached by moving the clock, not by waiting.
/// </summary>
public sealed class DeadlineTestHost() : GatewayTestHost(
[
    "--Deadlines:CheckSeconds=0.2",
    "--Dormancy:CheckSeconds=0.2",
])
{
    /// <summary>The gateway's and the sandboxes' clock; tests read the time from it, since it runs ahead of the machine's once moved.</summary>
    public JumpingClock Jumps { get; } = new();

    protected override TimeProvider Clock => Jumps;
}

[CollectionDefinition(Name)]
public sealed class DeadlineCollection : ICollectionFixture<DeadlineTestHost>
{
    public const string Name = "deadlines";
}
