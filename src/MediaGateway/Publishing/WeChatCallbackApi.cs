using MediaGateway.OpenApi;
using MediaGateway.Accounts;
using MediaGateway.Platforms;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Storage;
using StackExchange.Redis;
using MediaGateway.Observability;

namespace MediaGateway.Publishing;

/// <summary>
/// The WeChat callback URL (wechat-mp.md, "Callback URL"): the GET handshake, and POSTed push events in plain
/// or AES safe mode. A PUBLISHJOBFINISH / MASSSENDJOBFINISH push only nudges the publication to be polled now:
/// freepublish/get and mass/get stay the source of truth, so a forged, repeated or lost push changes nothing.
/// </summary>
internal static partial class WeChatCallbackApi
{
    public static IEndpointRouteBuilder MapWeChatCallbackApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/wechat/callback").WithTags("WeChat callback").AllowAnonymous();

        group.MapGet("/{appId}", (string appId, string? signature, string? timestamp, string? nonce, string? echostr, AccountRegistry accounts) =>
            CallbackFor(accounts, appId)?.Handshake(signature, timestamp, nonce, echostr) is { } echo
                ? Results.Text(echo, "text/plain")
                : Results.Unauthorized())
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Refuses(StatusCodes.Status401Unauthorized);

        group.MapPost("/{appId}", async (string appId, HttpRequest request, AccountRegistry accounts, WeChatPushStore store,
            TimeProvider time, ILoggerFactory loggers) =>
        {
            var callback = CallbackFor(accounts, appId);
            if (callback is null) return Results.NotFound();
            // A signed push is only good for a few minutes: an old signature replayed later is refused.
            if (!long.TryParse(request.Query["timestamp"], out var sentAt)
                || Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - sentAt) > MaxClockDifferenceSeconds)
            {
                return Results.Unauthorized();
            }

            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            WeChatCallbackEvent pushed;
            try
            {
                var q = request.Query;
                pushed = WeChatCallback.ParseEvent(callback.OpenMessage(q["signature"], q["timestamp"], q["nonce"], q["encrypt_type"], q["msg_signature"], body));
            }
            catch (WeChatCallbackException e)
            {
                Log.Refused(loggers.CreateLogger(typeof(WeChatCallbackApi)), appId, e.Message);
                return Results.Unauthorized();
            }

            var job = pushed switch
            {
                WeChatPublishJobFinished p => p.PublishId,
                WeChatMassSendJobFinished m => "mass-" + m.MsgId,
                _ => null,
            };
            if (job is not null && await store.PublicationOfAsync(appId, job) is { } publicationId)
            {
                await store.PollNowAsync(publicationId, time.GetUtcNow());
            }

            return Results.Text(WeChatCallback.SuccessReply, "text/plain");
        }).DisableAntiforgery()
            .Refuses(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound);
        return routes;
    }

    /// <summary>How far a push's timestamp may be from our clock (the platform retries within seconds).</summary>
    public const int MaxClockDifferenceSeconds = 300;

    private static WeChatCallback? CallbackFor(AccountRegistry accounts, string appId) =>
        accounts.All.FirstOrDefault(a => a.Platform == Platform.WeChat && a.AppId == appId) is { Callback: { } settings }
            ? new WeChatCallback(appId, settings.Token, settings.EncodingAesKey)
            : null;

    private static partial class Log
    {
        [LoggerMessage(EventIds.WeChatCallbackRefused, LogLevel.Warning, "WeChat callback for {AppId} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string appId, string reason);
    }
}
