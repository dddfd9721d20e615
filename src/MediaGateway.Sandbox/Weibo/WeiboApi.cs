using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MediaGateway.Sandbox.Weibo;

/// <summary>The Weibo wire: routes of api.weibo.com plus the sandbox's own content and control routes.</summary>
internal static class WeiboApi
{
    public static void Map(WebApplication app, WeiboPlatform platform, SandboxFaults faults)
    {
        app.UseSandboxFaults(faults, WriteFaultAsync);

        app.MapPost("/oauth2/get_token_info", async ctx =>
        {
            var form = await ReadFormAsync(ctx.Request);
            var (user, error) = platform.Authenticate(Token(ctx.Request, form), Ip(ctx));
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
            var (status, shareError) = platform.Share(user!, Value(form, "status"), Value(form, "rip"), picture, picNotMultipart);
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

        app.MapGet("/2/account/rate_limit_status.json", async ctx =>
        {
            var (user, error) = platform.Authenticate(Token(ctx.Request, null), Ip(ctx));
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
        ControlApi.MapFaults(app, faults);
    }

    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request) =>
        request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : null;

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
