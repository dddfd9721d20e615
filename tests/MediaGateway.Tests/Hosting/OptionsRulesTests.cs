using MediaGateway.Observability;
using MediaGateway.Publishing;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.Hosting;

/// <summary>The cross-option rules (IValidateOptions) name the key they refuse and the value they compare with.</summary>
public sealed class OptionsRulesTests
{
    private static PlatformsOptions Platforms(int weChatTimeout, int weiboTimeout) =>
        new() { WeChat = { TimeoutSeconds = weChatTimeout }, Weibo = { TimeoutSeconds = weiboTimeout } };

    [Fact]
    public void ALeaseWhoseNineTenthsAreNoLongerThanTheLongerPlatformTimeout_IsRefused_NamingTheLease()
    {
        var rule = new LeaseCoversOneCall(Options.Create(Platforms(10, 20)));

        // A platform call starts with at least nine tenths of the lease left (PublicationLease): 22 s leaves 19.8 s.
        var result = rule.Validate(null, new PublishingOptions { LeaseSeconds = 22 });

        Assert.True(result.Failed);
        Assert.Contains("Publishing:LeaseSeconds", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("(20 s)", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ALeaseWhoseNineTenthsOutlastEveryPlatformTimeout_IsAccepted()
    {
        var rule = new LeaseCoversOneCall(Options.Create(Platforms(10, 20)));

        Assert.True(rule.Validate(null, new PublishingOptions { LeaseSeconds = 23 }).Succeeded);
    }

    [Fact]
    public void ADrainNotShorterThanTheShutdownTimeout_IsRefused_NamingTheDrain()
    {
        var rule = new DrainFitsShutdown(Options.Create(new ObservabilityOptions { ShutdownTimeoutSeconds = 15 }));

        var result = rule.Validate(null, new PublishingOptions { DrainSeconds = 15 });

        Assert.True(result.Failed);
        Assert.Contains("Publishing:DrainSeconds", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Operations:ShutdownTimeoutSeconds (15 s)", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(rule.Validate(null, new PublishingOptions { DrainSeconds = 14 }).Succeeded);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("http://127.0.0.1:4317", true)]
    [InlineData("127.0.0.1", false)]
    public void TheOtlpEndpoint_IsEmptyOrAnAbsoluteUrl(string endpoint, bool accepted)
    {
        var result = new OtlpEndpointIsAbsolute().Validate(null, new ObservabilityOptions { OtlpEndpoint = endpoint });

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted) Assert.Contains("Operations:OtlpEndpoint", result.FailureMessage, StringComparison.Ordinal);
    }
}
