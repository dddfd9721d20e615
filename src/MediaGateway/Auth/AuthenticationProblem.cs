using Microsoft.AspNetCore.Mvc;

namespace MediaGateway.Auth;

/// <summary>
/// The 401 every scheme answers: a Bearer challenge (RFC 6750) in WWW-Authenticate, and problem+json saying how to
/// authenticate — the header, the API key, and how the console signs in — in English and Chinese.
/// </summary>
public static class AuthenticationProblem
{
    public const string Realm = "media-gateway";

    /// <param name="invalidToken">True when a credential was sent but is unknown, expired or not for this gateway.</param>
    public static async Task WriteAsync(HttpContext http, bool invalidToken)
    {
        var oidc = http.RequestServices.GetService<OidcSettings>();
        var challenge = $"Bearer realm=\"{Realm}\"";
        if (invalidToken) challenge += ", error=\"invalid_token\", error_description=\"the credential is unknown or no longer valid\"";
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = challenge;

        var console = oidc is null
            ? "OIDC sign-in is not configured on this gateway, so the web console (/console) asks for an API key instead"
            : $"the web console (/console) signs in via OIDC at {oidc.Authority} and sends its token the same way";
        var detail = (invalidToken ? "The credential sent is unknown or no longer valid. " : "This call needs a credential. ")
            + $"Send 'Authorization: Bearer <API key>' (keys are issued by an administrator); {console}. "
            + (invalidToken ? "所提供的凭据无效或已过期。" : "此接口需要身份验证。")
            + "请在请求头 Authorization: Bearer <API 密钥> 中提供凭据；"
            + (oidc is null ? "本网关未配置 OIDC 登录，网页控制台使用 API 密钥。" : "网页控制台通过 OIDC 登录。");
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
