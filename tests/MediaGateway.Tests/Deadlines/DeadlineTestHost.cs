using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Deadlines;

/// <summary>A gateway of its own (own Redis) whose deadline and dormancy watchers check several times a second.</summary>
public sealed class DeadlineTestHost() : GatewayTestHost(
[
    "--Deadlines:CheckSeconds=0.2",
    "--Dormancy:CheckSeconds=0.2",
]);

[CollectionDefinition(Name)]
public sealed class DeadlineCollection : ICollectionFixture<DeadlineTestHost>
{
    public const string Name = "deadlines";
}
