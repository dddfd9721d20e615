using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RestSharp;

namespace MediaGateway.Platforms.Internal;

/// <summary>What the two clients share about the wire: the RestSharp set-up and the failures below the platform's own codes.</summary>
internal static class Transport
{
    private const int MaxQuotedBody = 200;

    public static RestClient CreateClient(Uri baseUrl, TimeSpan timeout) =>
        new(new RestClientOptions(baseUrl)
        {
            Timeout = timeout,
            ThrowOnAnyError = false,
            FailOnDeserializationError = false,
            // Any HTTP answer is "completed": the status code is ours to judge.
            CalculateResponseStatus = _ => ResponseStatus.Completed,
            FollowRedirects = false,
            UserAgent = "MediaGateway",
        });

    /// <summary>Null when the platform answered with any HTTP status; otherwise the classified transport failure.</summary>
    public static PlatformException? Failure(Platform platform, RestResponse response, params ReadOnlySpan<string?> secrets)
    {
        if (response.ResponseStatus == ResponseStatus.Completed && response.StatusCode != 0)
        {
            return null;
        }

        var error = response.ErrorException;
        var inner = Secrets.Sanitize(error, secrets);
        if (response.ResponseStatus == ResponseStatus.TimedOut || IsTimeout(error))
        {
            return new PlatformException(platform, "timeout", "The request timed out", PlatformErrorClass.Transient,
                "请求超时，平台可能已处理该请求 / The request timed out; the platform may have acted on it",
                outcomeUnknown: true, inner: inner);
        }

        var message = Secrets.Redact(error?.Message ?? $"Transport status {response.ResponseStatus}", secrets);
        return IsBeforeSend(error)
            ? new PlatformException(platform, "connect-failed", message, PlatformErrorClass.Transient,
                "无法连接平台，请求未发出 / Could not connect to the platform; the request was not sent",
                outcomeUnknown: false, inner: inner)
            : new PlatformException(platform, "transport", message, PlatformErrorClass.Transient,
                "与平台的连接中断，平台可能已处理该请求 / The connection to the platform broke; the platform may have acted on the request",
                outcomeUnknown: true, inner: inner);
    }

    public static bool IsSuccess(RestResponse response) => (int)response.StatusCode is >= 200 and <= 299;

    /// <summary>A non-2xx answer that carried no platform error code.</summary>
    public static PlatformException HttpStatusFailure(Platform platform, RestResponse response, params ReadOnlySpan<string?> secrets)
    {
        var status = (int)response.StatusCode;
        var code = $"http-{status}";
        var message = Secrets.Redact(Quote(response), secrets);
        if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
        {
            return new PlatformException(platform, code, message, PlatformErrorClass.Transient,
                $"平台服务器错误（HTTP {status}），平台可能已处理该请求 / The platform failed with HTTP {status}; it may have acted on the request",
                outcomeUnknown: true);
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return new PlatformException(platform, code, message, PlatformErrorClass.RateLimited,
                "请求过于频繁（HTTP 429） / Too many requests (HTTP 429)", RetryAfter(response) ?? TimeSpan.FromMinutes(1));
        }

        return new PlatformException(platform, code, message, PlatformErrorClass.Permanent,
            $"平台拒绝了请求（HTTP {status}） / The platform refused the request with HTTP {status}");
    }

    /// <summary>A 2xx answer whose body could not be read: the call may have taken effect.</summary>
    public static PlatformException UnreadableBody(Platform platform, RestResponse response, Exception? error, params ReadOnlySpan<string?> secrets) =>
        new(platform, "bad-response", Secrets.Redact(Quote(response), secrets), PlatformErrorClass.Transient,
            "平台的应答无法解析，平台可能已处理该请求 / The platform's answer could not be read; it may have acted on the request",
            outcomeUnknown: true, inner: Secrets.Sanitize(error, secrets));

    public static TimeSpan? RetryAfter(RestResponse response)
    {
        var value = response.Headers?
            .FirstOrDefault(h => string.Equals(h.Name, "Retry-After", StringComparison.OrdinalIgnoreCase))?.Value as string;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
    }

    private static string Quote(RestResponse response)
    {
        var body = response.Content ?? string.Empty;
        if (body.Length > MaxQuotedBody)
        {
            body = body[..MaxQuotedBody] + "…";
        }

        return body.Length == 0 ? $"HTTP {(int)response.StatusCode}" : $"HTTP {(int)response.StatusCode}: {body}";
    }

    private static bool IsTimeout(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or OperationCanceledException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the failure happened while connecting, so no byte of the request reached the platform.</summary>
    private static bool IsBeforeSend(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException
                {
                    HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                        or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError,
                })
            {
                return true;
            }

            if (e is SocketException
                {
                    SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable
                        or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable,
                })
            {
                return true;
            }
        }

        return false;
    }
}
