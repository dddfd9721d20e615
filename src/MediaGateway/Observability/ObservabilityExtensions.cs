using System.Security.Cryptography;
using System.Text;
using MediaGateway.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MediaGateway.Observability;

/// <summary>Metrics, traces, probes and shutdown (docs/operations.md): section "Operations".</summary>
internal static class ObservabilityExtensions
{
    /// <summary>OpenTelemetry (Prometheus /metrics, OTLP when Operations:OtlpEndpoint is set), the listeners, readiness, and the shutdown timeout.</summary>
    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ObservabilityOptions>(configuration, ObservabilityOptions.Section);
        services.AddOptionsRule<ObservabilityOptions, OtlpEndpointIsAbsolute>();
        services.TryAddSingleton<GatewayTracing>();
        services.TryAddSingleton<ItemTraceStore>();
        services.AddHostedService<QueueDepthSampler>();
        services.AddHostedService<AuditStreamListener>();
        services.AddHostedService<IdleMemoryTrim>();
        services.TryAddSingleton<ReadinessState>();
        services.AddHostedService(sp => sp.GetRequiredService<ReadinessState>());
        if (!services.FirstTime("Observability")) return services;

        services.AddOptions<HostOptions>().Configure<IOptions<ObservabilityOptions>>((host, operations) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds((OptionsRules.ValueOrNull(operations) ?? new ObservabilityOptions()).ShutdownTimeoutSeconds));

        // The telemetry pipelines are fixed when they are registered, so they read the section now; its validation
        // (ranges, the OTLP address) still stops the start with the key named.
        var options = configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        var otlp = OtlpEndpointIsAbsolute.Parse(options.OtlpEndpoint);
        var protocol = options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithMetrics(m =>
            {
                m.AddMeter(GatewayMetrics.MeterName, "System.Runtime").AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddPrometheusExporter();
                if (otlp is not null) m.AddOtlpExporter(o => { o.Endpoint = otlp; o.Protocol = protocol; });
            })
            .WithTracing(t =>
            {
                t.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                    .AddSource(GatewayTracing.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/metrics") && !c.Request.Path.StartsWithSegments("/healthz"))
                    .AddHttpClientInstrumentation();
                if (otlp is not null) t.AddOtlpExporter(o => { o.Endpoint = otlp; o.Protocol = protocol; });
            });
        return services;
    }

    /// <summary>/metrics (scrape token when configured), /healthz/live, /healthz/ready, and the item-trace middleware.</summary>
    public static WebApplication MapObservability(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
        var token = string.IsNullOrWhiteSpace(options.MetricsTokenRef)
            ? null
            : SecretReference.Resolve(options.MetricsTokenRef, "Operations:MetricsTokenRef", app.Services.GetRequiredService<ConfigDirectory>());
        app.Use(async (context, next) =>
        {
            if (token is not null && context.Request.Path.StartsWithSegments("/metrics") && !HasToken(context, token))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
                return;
            }

            await next(context);
        });
        app.UseMiddleware<ItemTraceMiddleware>();
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous().WithoutStore();
        app.MapHealthProbes();
        return app;
    }

    private static bool HasToken(HttpContext context, string token)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
