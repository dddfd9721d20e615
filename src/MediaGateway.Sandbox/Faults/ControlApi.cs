using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaGateway.Sandbox;

/// <summary>Control routes and bare answers shared by the sandboxes.</summary>
internal static class ControlApi
{
    public static void MapFaults(IEndpointRouteBuilder app, SandboxFaults faults)
    {
        app.MapGet("/_sandbox/faults", () => Results.Json(faults.Pending, SandboxFaults.WebJson));
        app.MapPost("/_sandbox/faults", async (HttpRequest request) =>
        {
            try
            {
                faults.Add(SandboxFaults.Parse(await Json.ReadBodyAsync(request)));
                return Results.NoContent();
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
            {
                return Results.BadRequest(new { error = e.Message });
            }
        });
        app.MapDelete("/_sandbox/faults", () =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        app.MapGet("/_sandbox/latency", () => Results.Json(new { delayMs = faults.Latency.TotalMilliseconds }, SandboxFaults.WebJson));
        app.MapPost("/_sandbox/latency", async (HttpRequest request) =>
        {
            try
            {
                var body = System.Text.Json.Nodes.JsonNode.Parse(await Json.ReadBodyAsync(request));
                var ms = body?["delayMs"]?.GetValue<double>() ?? throw new JsonException("expected {\"delayMs\":100}");
                faults.Latency = TimeSpan.FromMilliseconds(ms);
                return Results.NoContent();
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
            {
                return Results.BadRequest(new { error = e.Message });
            }
        });
    }

    /// <summary>A gateway-style error page: not the platform's JSON.</summary>
    public static async Task WriteBareStatusAsync(HttpContext ctx, int status)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html";
        var reason = ReasonPhrase(status);
        await ctx.Response.WriteAsync($"<html><head><title>{status} {reason}</title></head><body><center><h1>{status} {reason}</h1></center></body></html>");
    }

    private static string ReasonPhrase(int status) => status switch
    {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Temporarily Unavailable",
        504 => "Gateway Time-out",
        429 => "Too Many Requests",
        _ => "Error",
    };
}
