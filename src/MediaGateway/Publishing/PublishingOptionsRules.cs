using MediaGateway.Hosting;
using MediaGateway.Observability;
using Microsoft.Extensions.Options;

namespace MediaGateway.Publishing;

/// <summary>
/// A worker's lease has at least nine tenths left whenever a platform call starts (PublicationLease), so one call (up to its
/// timeout) must fit in that: nine tenths of Publishing:LeaseSeconds must be longer than the longer of
/// Platforms:WeChat:TimeoutSeconds and Platforms:Weibo:TimeoutSeconds.
/// </summary>
internal sealed class LeaseCoversOneCall(IOptions<PlatformsOptions> platforms) : IValidateOptions<PublishingOptions>
{
    public ValidateOptionsResult Validate(string? name, PublishingOptions options)
    {
        if (OptionsRules.ValueOrNull(platforms) is not { } p) return ValidateOptionsResult.Skip;
        var timeout = Math.Max(p.WeChat.TimeoutSeconds, p.Weibo.TimeoutSeconds);
        return options.LeaseSeconds * 0.9 > timeout
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Publishing:LeaseSeconds: must be longer than the platform timeout ({timeout} s) plus a tenth: one platform call has to fit inside the nine tenths of a worker's lease it starts with");
    }
}

/// <summary>
/// On stop the host waits Operations:ShutdownTimeoutSeconds for the workers; a drain longer than that would be cut off
/// unsaved, so Publishing:DrainSeconds must be shorter.
/// </summary>
internal sealed class DrainFitsShutdown(IOptions<ObservabilityOptions> operations) : IValidateOptions<PublishingOptions>
{
    public ValidateOptionsResult Validate(string? name, PublishingOptions options)
    {
        if (OptionsRules.ValueOrNull(operations) is not { } o) return ValidateOptionsResult.Skip;
        return options.DrainSeconds < o.ShutdownTimeoutSeconds
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Publishing:DrainSeconds: must be shorter than Operations:ShutdownTimeoutSeconds ({o.ShutdownTimeoutSeconds} s): the host stops waiting for the workers after that");
    }
}
