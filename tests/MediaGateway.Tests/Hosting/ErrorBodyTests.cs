using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Hosting;

/// <summary>
/// Every error the application answers has an RFC 9457 problem+json body with a bilingual detail, including the ones
/// produced before any endpoint runs (no route, wrong method, wrong content type, a body over the limit, no credentials).
/// The requests are written by hand, byte for byte, so nothing is tidied on the way.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class ErrorBodyTests(GatewayTestHost host)
{
    private static readonly string Operator = $"Authorization: Bearer {GatewayTestHost.OperatorToken}";

    public static TheoryData<string, string, string, string[], string?, int> Malformed => new()
    {
        // Anonymous callers learn nothing about which routes exist: every request needs a caller unless its endpoint says otherwise.
        { "unknown route, anonymous", "GET", "/no-such-page", [], null, 401 },
        { "unknown route", "GET", "/no-such-page", [Operator], null, 404 },
        { "unknown API route", "GET", "/api/no-such-thing", [Operator], null, 404 },
        { "wrong method", "DELETE", "/healthz/live", [Operator], null, 405 },
        { "wrong method on the API", "PATCH", "/api/content", [Operator], null, 405 },
        { "wrong content type", "POST", "/api/content", [Operator, "Content-Type: text/plain"], "title=x", 415 },
        { "malformed JSON", "POST", "/api/content", [Operator, "Content-Type: application/json"], "{ \"title\": ", 400 },
        { "%2F in an id", "GET", "/api/content/..%2F..%2Fhealthz", [Operator], null, 404 },
        { "%2F between segments", "GET", "/api%2Fcontent", [Operator], null, 404 },
        { "no credentials", "GET", "/api/content", [], null, 401 },
        // 30 MiB + 1 byte announced: over Kestrel's default MaxRequestBodySize, refused when the endpoint starts reading.
        { "body over the limit", "POST", "/api/content", [Operator, "Content-Type: application/json", "Content-Length: 31457281"], null, 413 },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedRequest_IsAnsweredWithProblemJson(string what, string method, string target, string[] headers, string? body, int status)
    {
        var answer = await RawHttp.SendAsync(host.BaseAddress, method, target, headers, body);
        Assert.True(answer.Status == status, $"{what}: {answer.Status} '{answer.Body}'");
        Assert.True(answer.ContentType == "application/problem+json", $"{what}: content type '{answer.ContentType}', body '{answer.Body}'");
        var problem = JsonNode.Parse(answer.Body)!.AsObject();
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), $"{what}: no title");
        AssertBilingual(what, problem);
    }

    /// <summary>
    /// Kestrel refuses these while parsing the request, before the application sees it, and writes the answer itself with
    /// an empty body; ASP.NET Core (.NET 10) gives the application no way to write that answer (only to observe it, through
    /// the "Microsoft.AspNetCore.Server.Kestrel.BadRequest" diagnostic event). Pinned here, and listed in docs/operations.md,
    /// so that a framework change that lets the application answer is noticed.
    /// </summary>
    public static TheoryData<string, string, string[], int> RefusedByKestrel => new()
    {
        { "%00 in the path", "/api/content/%00", [], 400 },
        { "a header over 32 KiB", "/healthz/live", [$"X-Padding: {new string('a', 40 * 1024)}"], 431 },
        { "a request line over 8 KiB", "/healthz/live?q=" + new string('a', 9 * 1024), [], 414 },
    };

    [Theory]
    [MemberData(nameof(RefusedByKestrel))]
    public async Task RefusedByKestrel_BeforeTheApplication_WithAnEmptyBody(string what, string target, string[] headers, int status)
    {
        var answer = await RawHttp.SendAsync(host.BaseAddress, "GET", target, headers);
        Assert.True(answer.Status == status, $"{what}: {answer.Status} '{answer.Body}'");
        Assert.True(answer.Body.Length == 0, $"{what}: Kestrel now writes a body ('{answer.Body}'): see whether the application can answer it as problem+json");
        Assert.Null(answer.ContentType);
    }

    private static void AssertBilingual(string what, JsonObject problem)
    {
        var text = $"{problem["title"]} {problem["detail"]}";
        Assert.True(Chinese().IsMatch(text) && English().IsMatch(text), $"{what}: not bilingual: '{text}'");
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    [GeneratedRegex("[A-Za-z]{3,}")]
    private static partial Regex English();
}
