using CsCheck;

namespace MediaGateway.Tests.Reliability;

/// <summary>
/// Issue 18 and reliability promise 3a: under random sequences of items with identical texts, approvals, platform faults and
/// retractions, every post belongs to exactly one publication and the record is the platform's truth. See
/// docs/reliability-tests.md ("The record is the truth: a property test").
/// </summary>
public sealed class PublishingPropertyTests
{
    /// <summary>Cases per run: each is a fresh world of a few seconds; sixteen fit the CI budget on two cores.</summary>
    private const int Cases = 16;

    [Fact]
    public Task RandomSequences_KeepEveryPostWithOnePublication_AndTheRecordTrue() =>
        PublishingProperty.Sequences.SampleAsync(PublishingProperty.RunAsync, iter: Cases, threads: 1, print: PublishingProperty.Describe);

    private static Task Replay(string seed) =>
        PublishingProperty.Sequences.SampleAsync(PublishingProperty.RunAsync, seed: seed, iter: 1, threads: 1, print: PublishingProperty.Describe);
}
