using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MediaGateway.Observability;

/// <summary>Section "Operations": metrics, traces and the drain on shutdown (docs/operations.md).</summary>
internal sealed class ObservabilityOptions
{
    public const string Section = "Operations";

    /// <summary>The service.name resource attribute of metrics and traces.</summary>
    [Required]
    public string ServiceName { get; set; } = "media-gateway";

    /// <summary>
    /// Optional secret reference (env:NAME or file:path) of a scrape token. When set, GET /metrics needs
    /// "Authorization: Bearer TOKEN"; when empty, /metrics is anonymous (keep the port private).
    /// </summary>
    public string? MetricsTokenRef { get; set; }

    /// <summary>OTLP endpoint (e.g. http://127.0.0.1:4317); when empty, nothing is exported by OTLP.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>"grpc" (default) or "http/protobuf".</summary>
    [RegularExpression("^(grpc|http/protobuf)$", ErrorMessage = "Operations:OtlpProtocol must be grpc or http/protobuf")]
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>How often the queue depth gauge samples Redis.</summary>
    [Range(1, 300)]
    public int QueueSampleSeconds { get; set; } = 5;

    /// <summary>Share of traces kept (1 = all).</summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>How often the included configuration files are checked for new accounts.</summary>
    [Range(1, 3600)]
    public int ConfigReloadSeconds { get; set; } = 5;

    /// <summary>
    /// How often the gateway checks whether it has gone quiet after a burst and can give memory back (IdleMemoryTrim);
    /// 0 turns the check off.
    /// </summary>
    [Range(0, 3600)]
    public int IdleTrimSeconds { get; set; } = 30;

    /// <summary>The committed memory growth, and the most allocation in one check interval, at which a quiet gateway collects.</summary>
    [Range(8, 4096)]
    public int IdleTrimMegabytes { get; set; } = 32;

    /// <summary>How long a SIGTERM waits for in-flight work before the host stops anyway (HostOptions.ShutdownTimeout).</summary>
    [Range(1, 600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}

/// <summary>Operations:OtlpEndpoint, when set, is an absolute URL (the exporter is only added for one).</summary>
internal sealed class OtlpEndpointIsAbsolute : IValidateOptions<ObservabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options) =>
        string.IsNullOrWhiteSpace(options.OtlpEndpoint) || Parse(options.OtlpEndpoint) is not null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Operations:OtlpEndpoint: '{options.OtlpEndpoint}' is not an absolute URL");

    /// <summary>The endpoint, or null when it is empty or not an absolute URL.</summary>
    public static Uri? Parse(string? endpoint) =>
        !string.IsNullOrWhiteSpace(endpoint) && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri : null;
}
