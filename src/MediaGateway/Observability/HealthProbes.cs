using MediaGateway.Hosting;
using MediaGateway.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Observability;

/// <summary>
/// GET /healthz/live: the process answers (200). GET /healthz/ready: 200 only while Redis answers, persistence is
/// durable in Production mode, and the host is not stopping; else 503 with the reason. Both anonymous, both answer within a
/// second: liveness never asks Redis, readiness gives Redis <see cref="Health.HealthApi.ProbeBudget"/>.
/// </summary>
internal static class HealthProbes
{
    internal sealed record Probe(string Status, string? Reason = null);

    public static IEndpointRouteBuilder MapHealthProbes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz/live", () => Results.Json(new Probe("live"), Json.Options))
            .WithTags("Health").AllowAnonymous().WithoutStore().WithSummary("Liveness: the process answers (never asks Redis).")
            .Produces<Probe>(StatusCodes.Status200OK);
        routes.MapGet("/healthz/ready", async (RedisProbe redis, IOptions<GatewayOptions> gateway, ReadinessState state) =>
        {
            if (state.Stopping)
            {
                return NotReady("stopping: draining in-flight work / 正在停止");
            }

            try
            {
                var persistence = await redis.ProbeAsync(Health.HealthApi.ProbeBudget);
                if (gateway.Value.Mode == GatewayMode.Production && !persistence.IsDurable)
                {
                    return NotReady($"Redis persistence is not durable (appendonly={(persistence.AofEnabled ? "yes" : "no")}, maxmemory-policy={persistence.MaxMemoryPolicy}) / Redis 持久化未开启");
                }

                return Results.Json(new Probe("ready"), Json.Options);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or InvalidOperationException)
            {
                return NotReady($"Redis unreachable ({e.GetType().Name}) / Redis 不可达");
            }
        }).WithTags("Health").AllowAnonymous().WithoutStore().WithSummary("Readiness: Redis reachable, durable in Production mode, not stopping.")
            .Produces<Probe>(StatusCodes.Status200OK).Produces<Probe>(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static IResult NotReady(string reason) => Results.Json(new Probe("not-ready", reason), Json.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
}
