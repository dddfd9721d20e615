using MediaGateway.Hosting;
using MediaGateway.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Health;

/// <summary>GET /healthz: 200 with Redis reachable and its persistence mode; 503 otherwise (or, in production mode, without AOF + noeviction), within a second.</summary>
internal static class HealthApi
{
    /// <summary>How long Redis may take to answer a probe: it answers within a second even when Redis hangs (issue 19).</summary>
    public static readonly TimeSpan ProbeBudget = TimeSpan.FromMilliseconds(750);

    internal sealed record RedisHealth(bool Reachable, bool? AofEnabled, string? AppendFsync, string? MaxMemoryPolicy, string? Error);

    internal sealed record Health(string Status, string Mode, RedisHealth Redis);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", async (RedisProbe redis, IOptions<GatewayOptions> gateway) =>
        {
            var mode = gateway.Value.Mode;
            try
            {
                var p = await redis.ProbeAsync(ProbeBudget);
                var healthy = mode != GatewayMode.Production || p.IsDurable;
                var body = new Health(healthy ? "ok" : "degraded", mode.ToString(), new RedisHealth(true, p.AofEnabled, p.AppendFsync, p.MaxMemoryPolicy, null));
                return Results.Json(body, Json.Options, statusCode: healthy ? 200 : 503);
            }
            catch (Exception e) when (e is RedisException or RedisCommandException or TimeoutException or InvalidOperationException)
            {
                var body = new Health("unavailable", mode.ToString(), new RedisHealth(false, null, null, null, e.GetType().Name));
                return Results.Json(body, Json.Options, statusCode: 503);
            }
        }).WithTags("Health").AllowAnonymous().WithoutStore().WithSummary("Redis reachability and persistence mode.")
            .Produces<Health>(StatusCodes.Status200OK).Produces<Health>(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }
}
