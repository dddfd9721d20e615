using Microsoft.AspNetCore.Diagnostics;
using MediaGateway.Storage;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace MediaGateway.Hosting;

/// <summary>
/// How the API answers while Redis, its only store, is unreachable (issue 19, decision 26): at once, 503 problem+json
/// with Retry-After, and a sentence that claims no more than is known about what happened to the request.
/// <list type="bullet">
/// <item>Not connected when the request arrives: refused before any command is sent, so nothing was saved
/// (<c>"outcome": "notSaved"</c>).</item>
/// <item>Redis failed while the request was being handled (connection lost, a command timed out): a read saved nothing
/// anyway; a write may or may not have been applied, so the answer says the outcome is unknown and to reload before
/// trying again (<c>"outcome": "unknown"</c>).</item>
/// </list>
/// Endpoints that work without Redis (probes, metrics, the console's files) are marked with <see cref="WithoutStore"/>
/// and are never refused.
/// </summary>
internal static class StoreOutage
{
    /// <summary>Seconds a client is asked to wait: the multiplexer retries its connection about once a second.</summary>
    public const int RetryAfterSeconds = 5;

    public const string NotSaved = "notSaved";
    public const string Unknown = "unknown";

    private const string Title = "Store unavailable / 存储暂时不可用";

    private const string NotSavedDetail =
        "存储暂时不可用，未保存任何内容，请稍后重试 / the gateway's store is unreachable; nothing was saved — try again shortly";

    private const string UnknownDetail =
        "存储在处理请求时中断，无法确认是否已保存；请稍后刷新查看，再决定是否重试 / the gateway's store failed while this request was "
        + "being handled, so whether it was saved is unknown — reload shortly and check before trying again";

    /// <summary>Marks an endpoint that answers without Redis; it is not refused while Redis is down.</summary>
    public static TBuilder WithoutStore<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(NeedsNoStore.Instance);

    /// <summary>Whether an endpoint with this metadata was marked <see cref="WithoutStore"/> (the OpenAPI document declares no 503 for it).</summary>
    public static bool AnswersWithoutStore(IEnumerable<object> metadata) => metadata.OfType<NeedsNoStore>().Any();

    /// <summary>Refuses requests to store-backed endpoints at once while the multiplexer has no connection.</summary>
    public static IApplicationBuilder UseStoreOutageGate(this IApplicationBuilder app)
    {
        var redis = app.ApplicationServices.GetRequiredService<RedisProbe>();
        return app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            if (endpoint is not null && endpoint.Metadata.GetMetadata<NeedsNoStore>() is null && !redis.IsConnected)
            {
                await WriteAsync(context, NotSaved);
                return;
            }

            await next(context);
        });
    }

    /// <summary>Whether the exception (or one it wraps) says Redis was unreachable or too slow, not a bug such as a wrong type.</summary>
    public static bool IsOutage(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (IsOutageItself(current)) return true;
        }

        return false;
    }

    private static bool IsOutageItself(Exception e) => e switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        // Restarted and still loading its data, or a replica after a failover: the command was refused.
        RedisServerException s => s.Message.StartsWith("LOADING", StringComparison.Ordinal)
                                  || s.Message.StartsWith("READONLY", StringComparison.Ordinal)
                                  || s.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal),
        _ => false,
    };

    private static Task WriteAsync(HttpContext context, string outcome)
    {
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable, Title = Title,
                Detail = outcome == NotSaved ? NotSavedDetail : UnknownDetail,
                Extensions = { ["outcome"] = outcome },
            },
        }).AsTask();
    }

    private sealed class NeedsNoStore
    {
        public static readonly NeedsNoStore Instance = new();
    }

    /// <summary>Redis failed during the request: 503, "nothing saved" for reads, "outcome unknown" for anything that writes.</summary>
    internal sealed class Handler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (!IsOutage(exception) || httpContext.Response.HasStarted)
            {
                return false;
            }

            var method = httpContext.Request.Method;
            var writes = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));
            await WriteAsync(httpContext, writes ? Unknown : NotSaved);
            return true;
        }
    }
}
