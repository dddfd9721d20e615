using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace MediaGateway.Hosting;

/// <summary>Malformed request bodies become RFC 9457 problem details that name the field (e.g. "category") and the reason.</summary>
internal sealed class BadRequestHandler(IProblemDetailsService problemDetails) : IExceptionHandler
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
            reason = json.Path is null ? "请求体不是有效的 JSON / the body is not valid JSON" : InvalidValue(json.Message);
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

    /// <summary>
    /// What a value of the wrong kind should have been, in words a person can act on: the accepted names of an enum
    /// (names only, decision 27), or the kind of value expected. The serializer's own message names .NET types
    /// ("System.Nullable`1[MediaGateway.Content.ContentCategory]"), which is read here and never shown.
    /// </summary>
    private static string InvalidValue(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, @"could not be converted to (?:System\.Nullable`1\[)?([\w.+`]+)");
        var type = match.Success
            ? typeof(BadRequestHandler).Assembly.GetType(match.Groups[1].Value) ?? Type.GetType(match.Groups[1].Value)
            : null;
        if (type is { IsEnum: true })
        {
            var names = Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName).ToList();
            return $"不是可接受的取值；可用：{string.Join("、", names)}（只接受名称，不接受数字） / not an accepted value; use one of: {string.Join(", ", names)} (names, not numbers)";
        }

        var (zh, en) = type switch
        {
            null => ("正确类型的值", "a value of the right type"),
            _ when type == typeof(string) => ("文本", "a string"),
            _ when type == typeof(bool) => ("true 或 false", "true or false"),
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => ("带时区的时间，如 2026-12-07T18:00:00+08:00", "a time with its offset, e.g. 2026-12-07T18:00:00+08:00"),
            _ when type == typeof(DateOnly) => ("日期，如 2026-12-07", "a date, e.g. 2026-12-07"),
            _ when type.IsPrimitive || type == typeof(decimal) => ("数字", "a number"),
            _ when type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) => ("列表", "a list"),
            _ => ("对象", "an object"),
        };
        return $"取值无效：应为{zh} / invalid value: expected {en}";
    }
}
