using System.Security.Cryptography;
using System.Text;
using MediaGateway.Hosting;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Publishing;
using MediaGateway.Webhooks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MediaGateway.Observability;

/// <summary>Metrics, traces, probes and shutdown: registered with one call each from the composition root (docs/operations.md).</summary>
internal static class OperationsExtensions
{
    /// <summary>OpenTelemetry (Prometheus /metrics, OTLP when Operations:OtlpEndpoint is set), the listeners, and the shutdown timeout.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ObservabilityOptions>(configuration, ObservabilityOptions.Section);
        var options = configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        Uri? otlp = null;
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint) && !Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out otlp))
        {
            throw new ConfigurationException("Operations:OtlpEndpoint", $"'{options.OtlpEndpoint}' is not an absolute URL");
        }

        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        services.AddSingleton<ItemTraceStore>();
        services.AddSingleton<GatewayTracing>();
        services.AddSingleton<QueueDepthStore>();
        services.AddHostedService<QueueDepthSampler>();
        services.AddHostedService<AuditStreamListener>();
        services.AddHostedService<IdleMemoryTrim>();
        services.AddSingleton<Reload.ConfigReloadStatus>();
        services.AddHostedService<Reload.AccountsReload>();
        services.AddHostedService<Reload.CalendarReload>();
        services.AddSingleton<ReadinessState>();
        services.AddHostedService(sp => sp.GetRequiredService<ReadinessState>());

        // Token refreshes are counted by wrapping the Redis token cache (registered before this call).
        services.AddSingleton<RedisWeChatTokenCache>();
        services.AddSingleton<IWeChatTokenCache>(sp => new MeteredWeChatTokenCache(sp.GetRequiredService<RedisWeChatTokenCache>()));
        services.AddTransient<WebhookDeliveryObserver>();
        services.AddHttpClient(WebhookSender.HttpClientName).AddHttpMessageHandler<WebhookDeliveryObserver>();

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
    public static WebApplication MapOperations(this WebApplication app)
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
        Reload.ReloadApi.MapReloadApi(app);
        return app;
    }

    private static bool HasToken(HttpContext context, string token)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
