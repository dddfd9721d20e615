using Microsoft.AspNetCore.Mvc;

namespace MediaGateway.Auth;

/// <summary>
/// The 401 every scheme answers: a Bearer challenge (RFC 6750) in WWW-Authenticate, and problem+json saying how to
/// authenticate — the header, the API key, and how the console signs in — in English and Chinese.
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
            ? "Send 'Authorization: Bearer <API key>' (keys are issued by an administrator). OIDC sign-in is not configured on this gateway; the web console (/console/) takes an API key too."
            : $"Send 'Authorization: Bearer <API key>' (keys are issued by an administrator) or 'Authorization: Bearer <JWT>' from the OIDC issuer {oidc.Authority} (audience '{oidc.Audience}'); the web console (/console/) signs in with either.";
        var detail = (invalidToken ? "The credential sent is unknown or no longer valid. " : "This call needs a credential. ") + how + " "
            + (invalidToken ? "所提供的凭据无效或已过期。" : "此接口需要身份验证。")
            + (oidc is null
                ? "请在请求头 Authorization: Bearer <API 密钥> 中提供凭据；本网关未配置 OIDC 登录，网页控制台同样使用 API 密钥。"
                : "请在请求头 Authorization: Bearer 中提供 API 密钥或 OIDC 签发的 JWT；网页控制台可用两者之一登录。");
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
