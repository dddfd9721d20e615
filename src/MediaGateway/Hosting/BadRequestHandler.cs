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

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
