using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MediaGateway.Observability;

/// <summary>
/// Joins content requests to the item's trace. A successful POST /api/content stores its trace context beside the
/// new item; a later request on /api/content/{id}/… (reviews, withdrawal, retraction) runs inside a span of that
/// trace, linked to its own request span. Logs written meanwhile carry the content id in their scope.
/// </summary>
internal sealed partial class ItemTraceMiddleware(RequestDelegate next, GatewayTracing tracing, ILogger<ItemTraceMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var match = ItemPath().Match(path);
        if (!match.Success)
        {
            await next(context);
            if (HttpMethods.IsPost(context.Request.Method) && path == "/api/content" && context.Response.StatusCode == StatusCodes.Status201Created
                && Activity.Current is { } request
                && context.Response.Headers.Location.ToString() is { Length: > 0 } location)
            {
                var id = location[(location.LastIndexOf('/') + 1)..];
                request.SetTag("mediagateway.content_id", id);
                await tracing.RememberAsync(id, request.Context);
            }

            return;
        }

        var contentId = match.Groups["id"].Value;
        Activity.Current?.SetTag("mediagateway.content_id", contentId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ContentId"] = contentId });
        using var span = await tracing.StartInItemTraceAsync($"content {context.Request.Method} {match.Groups["action"].Value}".TrimEnd(), contentId,
            ActivityKind.Internal);
        await next(context);
        span?.SetTag("http.response.status_code", context.Response.StatusCode);
    }

    [GeneratedRegex("^/api/content/(?<id>[A-Za-z0-9_-]+)(/(?<action>[a-z-]+))?")]
    private static partial Regex ItemPath();
}
