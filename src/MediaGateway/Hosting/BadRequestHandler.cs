using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace MediaGateway.Hosting;

/// <summary>Malformed request bodies become RFC 9457 problem details that name the field (e.g. "category") and the reason.</summary>
public sealed class BadRequestHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var field = "body";
        var reason = bad.Message;
        if (ParameterName(bad.Message) is { } parameter)
        {
            field = parameter;
            reason = bad.Message;
        }
        else if (bad.InnerException is JsonException json)
        {
            field = json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
            reason = json.Path is null ? "the body is not valid JSON" : $"invalid value: {FirstSentence(json.Message)}";
            // "\ud800" alone: the JSON reader refuses it before there is a text to count in, so no position (decision 25).
            if (LoneSurrogate(json) is { } surrogate)
            {
                reason = $"含有孤立的代理项{surrogate}（无效的 UTF-16），不允许 / contains a lone surrogate{surrogate} (invalid UTF-16), not allowed";
            }
        }

        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [reason] })
            {
                Status = 400, Title = "The request has invalid fields / 请求字段有误",
            },
        });
    }

    /// <summary>Route and query binding failures read 'Failed to bind parameter "int? take" from "abc".'.</summary>
    private static string? ParameterName(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, "parameter \"(?:[^\"]* )?(\\w+)\"");
        return match.Success && match.Groups[1].Value != "request" ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// Null when the failure is not an invalid UTF-16 escape; otherwise " U+DC00" when the reader said which unit, or ""
    /// ("missing low surrogate" names none).
    /// </summary>
    private static string? LoneSurrogate(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is not InvalidOperationException || !e.Message.Contains("UTF-16", StringComparison.Ordinal)) continue;
            var value = System.Text.RegularExpressions.Regex.Match(e.Message, "surrogate value: '0x([0-9A-Fa-f]{4})'");
            return value.Success ? " U+" + value.Groups[1].Value.ToUpperInvariant() : "";
        }

        return null;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
