using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static MediaGateway.Sandbox.WeChat.WeChatErrors;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>The WeChat wire: routes of api.weixin.qq.com plus the sandbox's own content and control routes.</summary>
internal static class WeChatApi
{
    public static void Map(WebApplication app, WeChatPlatform platform, SandboxFaults faults, WeChatPusher pushes)
    {
        app.UseSandboxFaults(faults, WriteFaultAsync, ctx => AppIdOfRequestAsync(ctx, platform));

        app.MapGet("/cgi-bin/token", ctx => Answer(ctx, platform.GetToken(
            ctx.Request.Query["grant_type"], ctx.Request.Query["appid"], ctx.Request.Query["secret"])));
        app.MapPost("/cgi-bin/stable_token", ctx => JsonBody(ctx, body => platform.GetStableToken(body)));

        app.MapPost("/cgi-bin/media/uploadimg", ctx => Upload(ctx, platform, (_, bytes, name) => platform.UploadImg(bytes, name)));
        app.MapPost("/cgi-bin/material/add_material", ctx => Upload(ctx, platform,
            (appId, bytes, name) => platform.AddMaterial(appId, ctx.Request.Query["type"], bytes, name)));

        MapAuthorized(app, platform, "/cgi-bin/draft/add", platform.DraftAdd);
        MapAuthorized(app, platform, "/cgi-bin/draft/get", platform.DraftGet);
        MapAuthorized(app, platform, "/cgi-bin/draft/update", platform.DraftUpdate);
        MapAuthorized(app, platform, "/cgi-bin/draft/delete", platform.DraftDelete);
        MapAuthorized(app, platform, "/cgi-bin/draft/batchget", platform.DraftBatchGet);
        app.MapGet("/cgi-bin/draft/count", ctx =>
        {
            var (appId, error) = platform.Authenticate(ctx.Request.Query["access_token"]);
            return Answer(ctx, error ?? platform.DraftCount(appId!));
        });

        MapAuthorized(app, platform, "/cgi-bin/freepublish/submit", platform.Submit);
        MapAuthorized(app, platform, "/cgi-bin/freepublish/get", platform.PublishGet);
        MapAuthorized(app, platform, "/cgi-bin/freepublish/delete", platform.PublishDelete);
        MapAuthorized(app, platform, "/cgi-bin/freepublish/batchget", platform.PublishBatchGet);
        MapAuthorized(app, platform, "/cgi-bin/freepublish/getarticle", platform.GetArticle);

        // Mass send (the sheet's "Mass send"): sendall, get, delete.
        MapAuthorized(app, platform, "/cgi-bin/message/mass/sendall", platform.MassSendAll);
        MapAuthorized(app, platform, "/cgi-bin/message/mass/get", platform.MassGet);
        MapAuthorized(app, platform, "/cgi-bin/message/mass/delete", platform.MassDelete);

        // The platform's CDN and article pages.
        app.MapGet("/mmbiz/{name}", (string name) => platform.Images.Serve(name));
        app.MapGet("/s/{articleId}", (string articleId, int? idx) =>
        {
            var found = platform.FindPublished(articleId, idx ?? 1);
            if (found is null)
            {
                return Results.NotFound();
            }

            var (article, deleted) = found.Value;
            return deleted
                ? Html("该内容已被发布者删除", "<p class=\"weui-msg__title\">该内容已被发布者删除</p>")
                : ArticlePage(article);
        });
        app.MapGet("/draft/{mediaId}/{index:int}", (string mediaId, int index) =>
            platform.FindDraftForPreview(mediaId) is { } articles && index >= 0 && index < articles.Count
                ? ArticlePage(articles[index])
                : Results.NotFound());

        // Control endpoints for tests and the demo.
        app.MapGet("/_sandbox/published", () => Results.Json(platform.PublishedArticles(), SandboxFaults.WebJson));
        app.MapGet("/_sandbox/stats", ctx => Answer(ctx, platform.Stats()));
        ControlApi.MapFaults(app, faults);
        app.MapPost("/_sandbox/tokens/expire", (string appid) =>
        {
            platform.ExpireTokens(appid);
            return Results.NoContent();
        });
        app.MapGet("/_sandbox/mass", () => Results.Json(platform.MassSends(), SandboxFaults.WebJson));
        app.MapGet("/_sandbox/submissions", () => Results.Json(platform.Submissions(), SandboxFaults.WebJson));
        app.MapGet("/_sandbox/pushes", () => Results.Json(pushes.Snapshot(), SandboxFaults.WebJson));
        app.MapPost("/_sandbox/callback", async (HttpRequest request, string appid) =>
        {
            var body = Json.TryParseObject(await Json.ReadBodyAsync(request));
            if (body is null)
            {
                return Results.BadRequest(new { error = "A JSON object: {url, token, encodingAesKey}." });
            }

            try
            {
                var url = Json.GetString(body, "url");
                platform.SetCallback(appid, string.IsNullOrEmpty(url) ? null : new Uri(url, UriKind.Absolute),
                    Json.GetString(body, "token"), Json.GetString(body, "encodingAesKey"));
                return Results.NoContent();
            }
            catch (Exception e) when (e is ArgumentException or UriFormatException)
            {
                return Results.BadRequest(new { error = e.Message });
            }
        });
    }

    private static void MapAuthorized(
        WebApplication app, WeChatPlatform platform, string path, Func<string, JsonObject, JsonObject> handler)
    {
        app.MapPost(path, ctx =>
        {
            var (appId, error) = platform.Authenticate(ctx.Request.Query["access_token"]);
            return error is not null ? Answer(ctx, error) : JsonBody(ctx, body => handler(appId!, body));
        });
    }

    private static async Task JsonBody(HttpContext ctx, Func<JsonObject, JsonObject> handler)
    {
        var text = await Json.ReadBodyAsync(ctx.Request);
        if (Json.HasNonAsciiEscape(text))
        {
            await Answer(ctx, Error(40033));
            return;
        }

        var body = Json.TryParseObject(text);
        await Answer(ctx, body is null ? Error(47001) : handler(body));
    }

    private static async Task Upload(HttpContext ctx, WeChatPlatform platform, Func<string, byte[]?, string?, JsonObject> handler)
    {
        var (appId, error) = platform.Authenticate(ctx.Request.Query["access_token"]);
        if (error is not null)
        {
            await Answer(ctx, error);
            return;
        }

        var (_, file, name) = await Uploads.ReadWithNameAsync(ctx.Request, "media");
        await Answer(ctx, handler(appId!, file, name));
    }

    private static Task Answer(HttpContext ctx, JsonNode answer) => Json.WriteAsync(ctx.Response, answer);

    /// <summary>
    /// The account a request is for, so faults can target one appid: the access_token's app, the appid query of
    /// /cgi-bin/token, or the appid in the stable_token body (read with buffering so the handler can read it again).
    /// </summary>
    private static async ValueTask<string?> AppIdOfRequestAsync(HttpContext ctx, WeChatPlatform platform)
    {
        var query = ctx.Request.Query;
        if (!string.IsNullOrEmpty(query["access_token"]))
        {
            return platform.AppIdOfToken(query["access_token"]!);
        }

        if (!string.IsNullOrEmpty(query["appid"]))
        {
            return query["appid"];
        }

        if (!HttpMethods.IsPost(ctx.Request.Method)
            || !string.Equals(ctx.Request.Path.Value, "/cgi-bin/stable_token", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        ctx.Request.EnableBuffering();
        using var reader = new StreamReader(ctx.Request.Body, System.Text.Encoding.UTF8, false, 1024, leaveOpen: true);
        var text = await reader.ReadToEndAsync(ctx.RequestAborted);
        ctx.Request.Body.Position = 0;
        return Json.TryParseObject(text) is { } body ? Json.GetString(body, "appid") : null;
    }

    private static Task WriteFaultAsync(HttpContext ctx, SandboxFault fault)
    {
        if (fault.WeChatErrcode is { } code)
        {
            return Json.WriteAsync(ctx.Response, Error(code), fault.HttpStatus ?? StatusCodes.Status200OK);
        }

        return ControlApi.WriteBareStatusAsync(ctx, fault.HttpStatus ?? StatusCodes.Status500InternalServerError);
    }

    private static IResult ArticlePage(DraftArticle article) =>
        Html(article.Title,
            $"<h1 class=\"rich_media_title\" id=\"activity-name\">{WebUtility.HtmlEncode(article.Title)}</h1>\n"
            + $"<div class=\"rich_media_meta_list\"><span id=\"js_author_name\">{WebUtility.HtmlEncode(article.Author)}</span></div>\n"
            + $"<div class=\"rich_media_content\" id=\"js_content\">{article.Content}</div>");

    private static IResult Html(string title, string body) =>
        Results.Content(
            $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head>\n<body>\n{body}\n</body></html>\n",
            "text/html; charset=utf-8");
}
