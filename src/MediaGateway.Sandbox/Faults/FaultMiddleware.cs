using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MediaGateway.Sandbox;

/// <summary>
/// Runs before the platform handlers: a matching fault answers instead of the platform, or (AfterEffect)
/// lets the platform act and then replaces its answer. Control and content paths are never faulted.
/// </summary>
internal static class FaultMiddleware
{
    public static IApplicationBuilder UseSandboxFaults(
        this IApplicationBuilder app, SandboxFaults faults, Func<HttpContext, SandboxFault, Task> writeFault,
        Func<HttpContext, ValueTask<string?>>? accountOf = null)
    {
        return app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            var control = path.StartsWith("/_sandbox", StringComparison.Ordinal);
            if (!control && faults.Latency is { } latency && latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, TimeProvider.System, context.RequestAborted);
            }

            // The request's account (Weibo: the token's uid), for faults limited to one account.
            var account = control || accountOf is null ? null : await accountOf(context);
            var fault = control
                ? null
                : faults.TryTake(path, f => f.PublishStatus is null && !f.PlansOutcome
                    && (f.Uid is null || string.Equals(f.Uid, account, StringComparison.Ordinal))
                    && (f.AppId is null || string.Equals(f.AppId, account, StringComparison.Ordinal)));
            if (fault is null)
            {
                await next(context);
                return;
            }

            if (!fault.TakesEffectFirst)
            {
                await DelayAsync(fault, context.RequestAborted);
                if (fault.CloseConnection)
                {
                    context.Abort();
                }
                else if (fault.AnswersWithError)
                {
                    await writeFault(context, fault);
                }
                else
                {
                    await next(context);
                }

                return;
            }

            // After the effect: buffer the real answer so it can be replaced.
            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }

            await DelayAsync(fault, context.RequestAborted);
            if (fault.CloseConnection)
            {
                context.Abort();
            }
            else if (fault.AnswersWithError)
            {
                context.Response.Headers.Clear();
                await writeFault(context, fault);
            }
            else
            {
                buffer.Position = 0;
                await buffer.CopyToAsync(original, context.RequestAborted);
            }
        });
    }

    private static Task DelayAsync(SandboxFault fault, CancellationToken cancellationToken) =>
        fault.Delay is { } delay && delay > TimeSpan.Zero
            ? Task.Delay(delay, TimeProvider.System, cancellationToken)
            : Task.CompletedTask;
}
