using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MediaGateway.Sandbox.Weibo;

/// <summary>A Weibo error: HTTP status, error_code and the platform's message.</summary>
internal sealed record WeiboError(int HttpStatus, int Code, string Message)
{
    /// <summary>
    /// HTTP statuses (weibo.md, "Errors: non-2xx HTTP (400 also used for rate limits, 401, 403, 500, 503)"), chosen where the
    /// sheet does not pair them with codes: token errors (213xx) 401; the rate limits 10022/10023/10024 403; system errors
    /// 500/503; everything else 400.
    /// </summary>
    public static WeiboError Of(int code, string? message = null) => new(code switch
    {
        21301 or 21327 or 21332 or (>= 21314 and <= 21319) => StatusCodes.Status401Unauthorized,
        10022 or 10023 or 10024 => StatusCodes.Status403Forbidden,
        10001 or 10003 or 10011 => StatusCodes.Status500InternalServerError,
        10002 or 10009 or 10010 => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    }, code, message ?? DefaultMessage(code));

    public static string DefaultMessage(int code) => code switch
    {
        10001 => "system error!",
        10002 => "service unavailable!",
        10003 => "remote service error",
        10016 => "miss required parameter, see doc for more info.",
        10017 => "invalid parameter value, see doc for more info.",
        10022 => "IP requests out of rate limit!",
        10023 => "User requests out of rate limit!",
        10024 => "User requests for (share) out of rate limit!",
        20005 => "unsupport image type, only suport JPG, GIF, PNG!",
        20006 => "image size too large.",
        20007 => "does multipart has image?",
        20008 => "content is null!",
        20012 => "Text too long, please input text less than 140 characters!",
        20017 => "repeated weibo text!",
        20019 => "repeat content!",
        20032 => "update success, while server slow now, please wait 1-2 minutes",
        20053 => "update success, the status is being reviewed and will be visible in about 3 minutes",
        20101 => "target weibo does not exist!",
        20102 => "not your own weibo!",
        21301 => "auth faild!",
        21327 => "expired_token",
        21332 => "invalid_access_token",
        _ => "sandbox injected error",
    };

    public JsonObject ToJson(string requestPath) => new()
    {
        ["error"] = Message,
        ["error_code"] = Code,
        ["request"] = requestPath,
    };
}
