using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MediaGateway.Sandbox.Weibo;

/// <summary>The Weibo wire: routes of api.weibo.com plus the sandbox's own content and control routes.</summary>
internal static class WeiboApi
{
    public static void Map(WebApplication app, WeiboPlatform platform, SandboxFaults faults)
    {
        // A fault may be limited to one account (SandboxFault.Uid): the request's uid comes from its token.
        app.UseSandboxFaults(faults, WriteFaultAsync, async ctx => platform.UidOf(Token(ctx.Request, await ReadFormAsync(ctx.Request))));

        // weibo.md, "POST /oauth2/get_token_info": an OAuth route, outside the API's hourly call limits.
        app.MapPost("/oauth2/get_token_info", async ctx =>
        {
            var form = await ReadFormAsync(ctx.Request);
            var (user, error) = platform.Authenticate(Token(ctx.Request, form), Ip(ctx), counted: false);
            await (error is null ? Json.WriteAsync(ctx.Response, platform.TokenInfo(user!)) : WriteErrorAsync(ctx, error));
        });

        app.MapPost("/2/statuses/share.json", async ctx =>
        {
            var form = await ReadFormAsync(ctx.Request);
            var (user, error) = platform.Authenticate(Token(ctx.Request, form), Ip(ctx));
            if (error is not null)
            {
                await WriteErrorAsync(ctx, error);
                return;
            }

            var file = form?.Files.GetFile("pic");
            byte[]? picture = null;
            if (file is not null)
            {
                using var ms = new MemoryStream();
                await file.CopyToAsync(ms, ctx.RequestAborted);
                picture = ms.ToArray();
            }

            var picNotMultipart = file is null && form is not null && form.ContainsKey("pic");
            var pictureCount = form?.Files.GetFiles("pic").Count ?? 0;
            var (status, shareError) = platform.Share(user!, Value(form, "status"), Value(form, "rip"), picture, picNotMultipart, pictureCount);
            await (shareError is null ? Json.WriteAsync(ctx.Response, status) : WriteErrorAsync(ctx, shareError));
        });

        app.MapPost("/2/statuses/destroy.json", async ctx =>
        {
            var form = await ReadFormAsync(ctx.Request);
            var (user, error) = platform.Authenticate(Token(ctx.Request, form), Ip(ctx));
            if (error is not null)
            {
                await WriteErrorAsync(ctx, error);
                return;
            }

            var (status, destroyError) = platform.Destroy(user!, Value(form, "id"));
            await (destroyError is null ? Json.WriteAsync(ctx.Response, status) : WriteErrorAsync(ctx, destroyError));
        });

        // Not in weibo.md: the reconciliation lookup (see WeiboPlatform.Timeline).
        app.MapGet("/2/statuses/user_timeline.json", async ctx =>
        {
            var (user, error) = platform.Authenticate(Token(ctx.Request, null), Ip(ctx));
            if (error is not null)
            {
                await WriteErrorAsync(ctx, error);
                return;
            }

            var q = ctx.Request.Query;
            var (timeline, timelineError) = platform.Timeline(user!, NullIfEmpty(q["uid"]), NullIfEmpty(q["count"]), NullIfEmpty(q["page"]));
            await (timelineError is null ? Json.WriteAsync(ctx.Response, timeline) : WriteErrorAsync(ctx, timelineError));
        });

        // weibo.md, "GET /2/account/rate_limit_status.json": not itself counted against the limits it reports.
        app.MapGet("/2/account/rate_limit_status.json", async ctx =>
        {
            var (user, error) = platform.Authenticate(Token(ctx.Request, null), Ip(ctx), counted: false);
            await (error is null
                ? Json.WriteAsync(ctx.Response, platform.RateLimitStatus(user!, Ip(ctx)))
                : WriteErrorAsync(ctx, error));
        });

        // The platform's image host and status pages ({base}{uid}/{idstr}).
        app.MapGet("/large/{name}", (string name) => platform.Images.Serve(name));
        app.MapGet("/{uid:long}/{id:long}", (long uid, long id) =>
        {
            var status = platform.FindStatus(uid.ToString(CultureInfo.InvariantCulture), id);
            if (status is null || status.Destroyed)
            {
                return Results.Content(Page("微博不存在", "<p>抱歉，此微博已被作者删除。</p>"), "text/html; charset=utf-8", statusCode: 404);
            }

            var picture = status.OriginalPic is null ? string.Empty : $"\n<img src=\"{WebUtility.HtmlEncode(status.OriginalPic)}\">";
            return Results.Content(Page(status.ScreenName,
                $"<div class=\"WB_info\">{WebUtility.HtmlEncode(status.ScreenName)}</div>\n"
                + $"<div class=\"WB_from\">{WeiboPlatform.FormatCreatedAt(status.CreatedAt)}</div>\n"
                + $"<div class=\"WB_text\">{WebUtility.HtmlEncode(status.Text)}</div>{picture}"), "text/html; charset=utf-8");
        });

        // Control endpoints for tests and the demo.
        app.MapGet("/_sandbox/statuses", () => Results.Json(platform.Statuses(), SandboxFaults.WebJson));
        app.MapGet("/_sandbox/stats", ctx => Json.WriteAsync(ctx.Response, platform.Stats()));
        app.MapPost("/_sandbox/ratelimits", async (HttpRequest request) =>
        {
            try
            {
                var body = JsonNode.Parse(await Json.ReadBodyAsync(request)) as JsonObject
                           ?? throw new JsonException("expected {\"code\":10023,\"uid\":\"…\"}");
                var code = body["code"]?.GetValue<int>() ?? throw new JsonException("code is required: 10022, 10023 or 10024");
                var uid = body["uid"]?.ToString();
                var resetAt = platform.ExhaustLimit(code, uid);
                return Results.Json(new { code, uid, resetAt }, SandboxFaults.WebJson);
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
            {
                return Results.BadRequest(new { error = e.Message });
            }
        });
        app.MapDelete("/_sandbox/ratelimits", () =>
        {
            platform.ResetLimits();
            return Results.NoContent();
        });
        ControlApi.MapFaults(app, faults);
    }

    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request) =>
        request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : null;

    private static string? NullIfEmpty(StringValues value) => StringValues.IsNullOrEmpty(value) ? null : value.ToString();

    private static string? Value(IFormCollection? form, string name) =>
        form is not null && form.TryGetValue(name, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : null;

    /// <summary>access_token as form field or query parameter, or the header "Authorization: OAuth2 token".</summary>
    private static string? Token(HttpRequest request, IFormCollection? form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("OAuth2 ", StringComparison.OrdinalIgnoreCase))
        {
            return header["OAuth2 ".Length..].Trim();
        }

        return Value(form, "access_token") ?? (string?)request.Query["access_token"];
    }

    private static string? Ip(HttpContext ctx) => ctx.Connection.RemoteIpAddress?.ToString();

    private static Task WriteErrorAsync(HttpContext ctx, WeiboError error) =>
        Json.WriteAsync(ctx.Response, error.ToJson(ctx.Request.Path.Value ?? "/"), error.HttpStatus);

    private static Task WriteFaultAsync(HttpContext ctx, SandboxFault fault)
    {
        if (fault.WeiboErrorCode is { } code)
        {
            var error = WeiboError.Of(code);
            return WriteErrorAsync(ctx, error with { HttpStatus = fault.HttpStatus ?? StatusCodes.Status400BadRequest });
        }

        return ControlApi.WriteBareStatusAsync(ctx, fault.HttpStatus ?? StatusCodes.Status500InternalServerError);
    }

    private static string Page(string title, string body) =>
        $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head>\n<body>\n{body}\n</body></html>\n";
}
