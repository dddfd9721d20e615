using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaGateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MediaGateway.Tests.Contract;

/// <summary>A gateway of its own: the conformance run pauses, closes and deletes things other tests rely on.</summary>
public sealed class ContractTestHost : GatewayTestHost;

[CollectionDefinition(Name)]
public sealed class ContractCollection : ICollectionFixture<ContractTestHost>
{
    public const string Name = "contract";
}

/// <summary>
/// The OpenAPI document is the contract: every operation it lists is called, anonymously and as each demo role,
/// with generated valid and invalid inputs (seeded, so a failure repeats). Any status the operation does not
/// declare, any 5xx, and any body that does not match the schema declared for its status and media type fail the test.
/// </summary>
[Collection(ContractCollection.Name)]
public sealed class ConformanceTests(ContractTestHost host, ITestOutputHelper output)
{
    private const int Seed = 19;
    private const int ValidCallsPerCaller = 5;
    private const int InvalidCallsPerCaller = 5;

    private static readonly string?[] Callers =
    [
        null, GatewayTestHost.OperatorToken, GatewayTestHost.Reviewer1Token, GatewayTestHost.Reviewer3Token,
        GatewayTestHost.DepartmentToken, "mgdemo-admin-zhou",
    ];

    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    [Fact]
    public async Task EveryOperation_AnswersOnlyWhatTheDocumentDeclares()
    {
        var clients = Callers.ToDictionary(c => c ?? "anonymous", c => host.Client(c));
        try
        {
            var document = JsonNode.Parse(await clients[GatewayTestHost.OperatorToken].GetStringAsync("openapi/v1.json"))!;
            var checker = new SchemaChecker(document);
            var sampler = new SchemaSampler(checker, new Random(Seed));
            var random = new Random(Seed);
            await SeedAsync(clients[GatewayTestHost.OperatorToken], sampler);

            var operations = document["paths"]!.AsObject()
                .SelectMany(p => p.Value!.AsObject().Where(o => Methods.Contains(o.Key)).Select(o => new Operation(p.Key, o.Key, o.Value!.AsObject())))
                .ToList();
            var failures = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var answers = new SortedDictionary<string, SortedDictionary<int, int>>(StringComparer.Ordinal);
            var calls = 0;
            var watch = Stopwatch.StartNew();

            // Reads first, with valid inputs only: their answers fill the pool of real ids the later calls draw from.
            foreach (var operation in operations.Where(o => o.Method == "get"))
            {
                foreach (var caller in clients)
                {
                    calls++;
                    await CallAsync(operation, caller, valid: true, checker, sampler, random, failures, answers);
                }
            }

            foreach (var operation in operations)
            {
                foreach (var caller in clients)
                {
                    var (valid, invalid) = caller.Key == "anonymous" ? (1, 1) : (ValidCallsPerCaller, InvalidCallsPerCaller);
                    for (var i = 0; i < valid + invalid; i++)
                    {
                        calls++;
                        await CallAsync(operation, caller, valid: i < valid, checker, sampler, random, failures, answers);
                    }
                }
            }

            output.WriteLine($"{calls} calls to {operations.Count} operations in {watch.Elapsed.TotalSeconds:F1} s; {failures.Count} distinct failures");
            foreach (var (operation, counts) in answers)
            {
                output.WriteLine($"{operation}: {string.Join(", ", counts.Select(c => $"{c.Key}×{c.Value}"))}");
            }

            // The demo roles' keys are real: every operation was reached past authentication.
            foreach (var operation in operations.Where(o => o.Spec["security"] is JsonArray { Count: > 0 }
                && (answers.GetValueOrDefault(o.ToString())?.Keys.All(s => s == 401) ?? true)))
            {
                failures.TryAdd($"{operation}: no authenticated call got past authentication", "");
            }
            // One line per operation and kind of violation, with the first call that showed it.
            Assert.True(failures.Count == 0, $"{failures.Count} contract violations:\n" + string.Join("\n", failures.Select(f => $"{f.Key}  e.g. {f.Value}")));
        }
        finally
        {
            foreach (var client in clients.Values) client.Dispose();
        }
    }

    private sealed record Operation(string Path, string Method, JsonObject Spec)
    {
        public override string ToString() => $"{Method.ToUpperInvariant()} {Path}";
    }

    /// <summary>
    /// Real things for the generated calls to find (an uploaded image, a submitted item), and values for the free-text
    /// parameters whose schema is only "string" (dates of a report, a deadline's category and start).
    /// </summary>
    private static async Task SeedAsync(HttpClient op, SchemaSampler sampler)
    {
        var cover = await TestData.UploadCoverAsync(op);
        var item = await TestData.SubmitAsync(op, TestData.Article(cover));
        sampler.Harvest(item, "content");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var day in new[] { today.AddDays(-20), today.AddDays(-3), today })
        {
            sampler.Remember("from", JsonValue.Create(day.AddDays(-7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            sampler.Remember("to", JsonValue.Create(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            sampler.Remember("start", JsonValue.Create(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        }

        foreach (var category in new[] { "normativeDocument", "policyInterpretation", "livelihoodActivity" }) sampler.Remember("category", JsonValue.Create(category));
        foreach (var format in new[] { "json", "csv", "html" }) sampler.Remember("format", JsonValue.Create(format));
    }

    private async Task CallAsync(Operation operation, KeyValuePair<string, HttpClient> caller, bool valid, SchemaChecker checker,
        SchemaSampler sampler, Random random, SortedDictionary<string, string> failures, SortedDictionary<string, SortedDictionary<int, int>> answers)
    {
        var parameters = operation.Spec["parameters"] as JsonArray ?? [];
        var invalidParameter = !valid && parameters.Count > 0 && (operation.Spec["requestBody"] is null || random.Next(2) == 0)
            ? parameters[random.Next(parameters.Count)]!["name"]!.GetValue<string>()
            : null;
        var path = new StringBuilder();
        var query = new List<string>();
        var segments = operation.Path.Split('/');
        var lastLiteral = "";
        foreach (var segment in segments.Skip(1))
        {
            path.Append('/');
            if (!segment.StartsWith('{'))
            {
                path.Append(segment);
                lastLiteral = segment;
                continue;
            }

            var name = segment.Trim('{', '}');
            var spec = parameters.First(p => p!["name"]!.GetValue<string>() == name)!;
            var value = name == invalidParameter ? sampler.InvalidScalar(spec["schema"]!) : PathValue(name, lastLiteral, spec, sampler, random);
            path.Append(Uri.EscapeDataString(Text(value) is { Length: > 0 } text ? text : "x"));
        }

        foreach (var parameter in parameters.Where(p => p!["in"]!.GetValue<string>() == "query"))
        {
            var name = parameter!["name"]!.GetValue<string>();
            if (name != invalidParameter && random.Next(3) == 0) continue; // optional parameters are sometimes left out
            var value = name == invalidParameter ? sampler.InvalidScalar(parameter["schema"]!) : sampler.Valid(parameter["schema"]!, name);
            if (Text(value) is { } text) query.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(text)}");
        }

        var url = path.ToString().TrimStart('/') + (query.Count > 0 ? "?" + string.Join("&", query) : "");
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method.ToUpperInvariant()), url);
        var label = $"{operation} as {caller.Key}";
        if (operation.Spec["requestBody"]?["content"] is JsonObject content)
        {
            request.Content = Body(content, valid || invalidParameter is not null, sampler, random);
        }

        HttpResponseMessage response;
        try
        {
            response = await caller.Value.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            failures.TryAdd($"{operation}: no answer", $"{label} ({e.GetType().Name}: {e.Message})");
            return;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (caller.Key != "anonymous")
            {
                if (!answers.TryGetValue(operation.ToString(), out var counts)) answers[operation.ToString()] = counts = [];
                counts[status] = counts.GetValueOrDefault(status) + 1;
            }

            var body = await response.Content.ReadAsStringAsync();
            var excerpt = body.Length > 200 ? body[..200] + "…" : body;
            if (status >= 500)
            {
                failures.TryAdd($"{operation}: {status}", $"{label} [{url}] {excerpt}");
                return;
            }

            var declared = operation.Spec["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? operation.Spec["responses"]?["default"];
            if (declared is null)
            {
                failures.TryAdd($"{operation}: status {status} is not declared", $"{label} [{url}] {excerpt}");
                return;
            }

            if (body.Length == 0) return;
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            var declaredContent = declared["content"] as JsonObject;
            var schema = declaredContent?[mediaType]?["schema"];
            if (declaredContent is null || !declaredContent.ContainsKey(mediaType))
            {
                var declaredTypes = string.Join(", ", declaredContent?.Select(c => c.Key) ?? []);
                failures.TryAdd($"{operation}: {status} answered {mediaType}, declared {(declaredTypes.Length > 0 ? declaredTypes : "no body")}", label);
                return;
            }

            if (schema is null || !mediaType.EndsWith("json", StringComparison.Ordinal)) return;
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                failures.TryAdd($"{operation}: {status} {mediaType} body is not JSON", $"{label}: {excerpt}");
                return;
            }

            foreach (var error in checker.Check(json, schema).Take(3))
            {
                failures.TryAdd($"{operation}: {status} body does not match its schema: {error}", $"{label} [{url}]");
            }

            if (status is >= 200 and < 300) sampler.Harvest(json, lastLiteral);
        }
    }

    private static JsonNode? PathValue(string name, string collection, JsonNode spec, SchemaSampler sampler, Random random)
    {
        var key = name == "id" ? collection : name;
        var roll = random.Next(10);
        if (roll < 7 && sampler.Seen.TryGetValue(key, out var seen)) return seen[random.Next(seen.Count)];
        if (roll < 8 && name == "appId" && sampler.Seen.TryGetValue("appId", out var apps)) return apps[random.Next(apps.Count)];
        return sampler.Valid(spec["schema"]!, name);
    }

    private static HttpContent Body(JsonObject content, bool valid, SchemaSampler sampler, Random random)
    {
        if (content["multipart/form-data"] is { } multipart)
        {
            var form = new MultipartFormDataContent();
            var bytes = random.Next(3) switch
            {
                0 => TestData.Gif(),
                1 => valid ? TestData.Jpeg(2048) : [],
                _ => valid ? TestData.Gif() : Encoding.UTF8.GetBytes("not an image"),
            };
            form.Add(new ByteArrayContent(bytes), valid || random.Next(2) == 0 ? "file" : "other", "upload.gif");
            return form;
        }

        var (mediaType, schema) = content.First();
        if (!valid)
        {
            switch (random.Next(6))
            {
                case 0: return new StringContent("{\"unterminated\": ", Encoding.UTF8, "application/json");
                case 1: return new StringContent("[]", Encoding.UTF8, "application/json");
                case 2: return new StringContent("plain words", Encoding.UTF8, "text/plain");
            }
        }

        var value = valid ? sampler.Valid(schema!["schema"]!) : sampler.Invalid(schema!["schema"]!);
        var json = new StringContent(value?.ToJsonString() ?? "null", Encoding.UTF8);
        json.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        return json;
    }

    private static string? Text(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };
}
