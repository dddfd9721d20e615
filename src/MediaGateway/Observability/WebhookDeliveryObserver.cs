using System.Diagnostics;
using System.Text.Json;

namespace MediaGateway.Observability;

/// <summary>
/// A handler on the webhook HTTP client: counts each delivery attempt by outcome and sends it inside a span of
/// the item's trace (the content id is read from the signed body), so the receiver gets that trace's traceparent.
/// </summary>
internal sealed class WebhookDeliveryObserver(GatewayTracing tracing) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var contentId = request.Content is null ? null : ContentIdOf(await request.Content.ReadAsStringAsync(cancellationToken));
        using var span = contentId is null ? null : await tracing.StartInItemTraceAsync("webhook deliver", contentId, ActivityKind.Internal);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            GatewayMetrics.WebhookAttempt(response.IsSuccessStatusCode ? "delivered" : "rejected");
            span?.SetTag("http.response.status_code", (int)response.StatusCode);
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            GatewayMetrics.WebhookAttempt("error");
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    /// <summary>data.content.id, else the content part of data.publication.id.</summary>
    internal static string? ContentIdOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object) return null;
            if (data.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object
                && content.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                return id.GetString();
            }

            if (data.TryGetProperty("publication", out var publication) && publication.ValueKind == JsonValueKind.Object
                && publication.TryGetProperty("id", out var pid) && pid.ValueKind == JsonValueKind.String)
            {
                return GatewayTracing.ContentIdOf(pid.GetString()!);
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
