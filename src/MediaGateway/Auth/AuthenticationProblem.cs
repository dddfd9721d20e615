using Microsoft.AspNetCore.Mvc;

namespace MediaGateway.Auth;

/// <summary>
/// The 401 every scheme answers: a Bearer challenge (RFC 6750) in WWW-Authenticate, and problem+json saying how to
/// authenticate — the header, the API key, and where people sign in to the console — in English and Chinese.
/// </summary>
internal static class AuthenticationProblem
{
    public const string Realm = "media-gateway";

    /// <param name="invalidToken">True when a credential was sent but is unknown, expired or not for this gateway.</param>
    /// <param name="description">Why it is invalid, when the scheme knows (e.g. "The token expired at …"); never the credential itself.</param>
    public static async Task WriteAsync(HttpContext http, bool invalidToken, string? description = null)
    {
        var oidc = http.RequestServices.GetService<OidcSettings>();
        var challenge = $"Bearer realm=\"{Realm}\"";
        if (invalidToken)
        {
            var why = string.IsNullOrEmpty(description) ? "the credential is unknown or no longer valid" : description.Replace("\"", "'", StringComparison.Ordinal);
            challenge += $", error=\"invalid_token\", error_description=\"{why}\"";
        }

        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = challenge;

        var how = oidc is null
            ? "Send 'Authorization: Bearer <API key>' (keys are issued by an administrator). OIDC sign-in is not configured on this gateway, so the web console (/console/) cannot sign people in."
            : $"Send 'Authorization: Bearer <API key>' (keys are issued by an administrator) or 'Authorization: Bearer <JWT>' from the OIDC issuer {oidc.Authority} (audience '{oidc.Audience}'); people sign in to the web console (/console/) at that issuer.";
        var detail = (invalidToken ? "The credential sent is unknown or no longer valid. " : "This call needs a credential. ") + how + " "
            + (invalidToken ? "所提供的凭据无效或已过期。" : "此接口需要身份验证。")
            + (oidc is null
                ? "请在请求头 Authorization: Bearer <API 密钥> 中提供凭据；本网关未配置 OIDC 登录，网页控制台无法登录。"
                : "请在请求头 Authorization: Bearer 中提供 API 密钥或 OIDC 签发的 JWT；网页控制台通过该身份提供方登录。");
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = "Authentication required / 需要身份验证",
            Detail = detail,
        };
        var writer = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }))
        {
            await http.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }
}
