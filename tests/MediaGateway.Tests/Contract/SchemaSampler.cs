using System.Globalization;
using System.Text.Json.Nodes;

namespace MediaGateway.Tests.Contract;

/// <summary>
/// Makes values from a schema of the document, seeded and so deterministic: valid ones (inside the declared types,
/// enums and bounds, preferring values seen in earlier answers so that calls reach past "not found") and invalid
/// ones (a wrong type, an enum by number or unknown name, a number outside its bounds).
/// </summary>
public sealed class SchemaSampler(SchemaChecker checker, Random random)
{
    /// <summary>Values seen in answers, by property name (and "id" values by the collection they came from).</summary>
    public Dictionary<string, List<JsonNode>> Seen { get; } = new(StringComparer.Ordinal);

    public void Remember(string key, JsonNode? value)
    {
        if (value is null) return;
        if (!Seen.TryGetValue(key, out var list)) Seen[key] = list = [];
        if (list.Count < 50 && !list.Any(v => JsonNode.DeepEquals(v, value))) list.Add(value.DeepClone());
    }

    /// <summary>Walks an answer: every object's "id" under the collection it sits in, every string (or string in an array) under its property.</summary>
    public void Harvest(JsonNode? node, string key)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["id"] is JsonValue id && id.TryGetValue<string>(out _)) Remember(key, id);
                foreach (var (name, child) in obj)
                {
                    if (child is JsonValue v && v.TryGetValue<string>(out _)) Remember(name, v);
                    else Harvest(child, name);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is JsonValue v && v.TryGetValue<string>(out _)) Remember(key, v);
                    else Harvest(child, key);
                }

                break;
        }
    }

    public JsonNode? Valid(JsonNode schemaNode, string name = "", int depth = 0)
    {
        var schema = checker.Resolve(schemaNode).AsObject();
        if (schema["enum"] is JsonArray options) return options[random.Next(options.Count)]?.DeepClone();
        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray one)
        {
            var choices = one.Where(s => checker.Resolve(s!)["type"]?.ToString() != "null").ToList();
            if (choices.Count == 0 || random.Next(6) == 0 && choices.Count < one.Count) return null;
            return Valid(choices[random.Next(choices.Count)]!, name, depth + 1);
        }

        if (schema["allOf"] is JsonArray all && all.Count > 0) return Valid(all[0]!, name, depth + 1);
        var types = schema["type"] switch
        {
            JsonArray list => list.Select(t => t!.GetValue<string>()).ToList(),
            { } t => [t.GetValue<string>()],
            _ => ["object"],
        };
        var nonNull = types.Where(t => t != "null").ToList();
        if (nonNull.Count == 0 || (types.Contains("null") && random.Next(5) == 0)) return null;
        // A query int is typed integer|string with a pattern: send the integer.
        var type = nonNull.Contains("integer") ? "integer" : nonNull.Contains("number") ? "number" : nonNull[random.Next(nonNull.Count)];
        if (type is "string" or "integer" && Seen.TryGetValue(name, out var seen) && random.Next(10) < 7)
        {
            return seen[random.Next(seen.Count)].DeepClone();
        }

        return type switch
        {
            "object" => ValidObject(schema, depth),
            "array" when depth < 6 => new JsonArray(Enumerable.Range(0, random.Next(3))
                .Select(_ => schema["items"] is { } items ? Valid(items, name, depth + 1) : JsonValue.Create("x")).ToArray()),
            "array" => new JsonArray(),
            "boolean" => JsonValue.Create(random.Next(2) == 0),
            "integer" => JsonValue.Create(Integer(schema)),
            "number" => JsonValue.Create(Integer(schema) + 0.5),
            _ => JsonValue.Create(ValidString(schema)),
        };
    }

    private JsonObject ValidObject(JsonObject schema, int depth)
    {
        var obj = new JsonObject();
        var required = (schema["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        if (schema["properties"] is JsonObject properties && depth < 6)
        {
            foreach (var (name, property) in properties)
            {
                if (required.Contains(name) || random.Next(4) != 0) obj[name] = Valid(property!, name, depth + 1);
            }
        }

        return obj;
    }

    private long Integer(JsonObject schema)
    {
        var min = schema["minimum"]?.GetValue<long>() ?? 0;
        var max = schema["maximum"]?.GetValue<long>() ?? Math.Max(min + 100, 100);
        return random.Next(4) switch
        {
            0 => min,
            1 => max,
            _ => min + (long)(random.NextDouble() * (max - min)),
        };
    }

    private string ValidString(JsonObject schema)
    {
        var now = DateTimeOffset.UtcNow;
        return schema["format"]?.GetValue<string>() switch
        {
            "date" => DateOnly.FromDateTime(now.UtcDateTime).AddDays(random.Next(-300, 30)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "date-time" => now.AddMinutes(random.Next(-600, 60 * 24 * 30)).ToString("O", CultureInfo.InvariantCulture),
            _ => random.Next(3) switch
            {
                0 => "测试" + random.Next(1000),
                1 => "x" + random.Next(100000).ToString(CultureInfo.InvariantCulture),
                _ => "政务新媒体内容 " + random.Next(10),
            },
        };
    }

    /// <summary>A valid value with one thing made wrong (or, for a scalar, a wrong value outright).</summary>
    public JsonNode? Invalid(JsonNode schemaNode, string name = "")
    {
        var schema = checker.Resolve(schemaNode).AsObject();
        var value = Valid(schemaNode, name);
        if (value is JsonObject obj && schema["properties"] is JsonObject properties && properties.Count > 0 && random.Next(5) != 0)
        {
            var (property, propertySchema) = properties.ElementAt(random.Next(properties.Count));
            obj[property] = InvalidScalar(propertySchema!);
            return obj;
        }

        return InvalidScalar(schemaNode);
    }

    public JsonNode? InvalidScalar(JsonNode schemaNode)
    {
        var schema = checker.Resolve(schemaNode).AsObject();
        if (schema["oneOf"] is JsonArray one && one.FirstOrDefault(s => checker.Resolve(s!)["type"]?.ToString() != "null") is { } inner)
        {
            return InvalidScalar(inner);
        }

        if (schema["enum"] is JsonArray)
        {
            return random.Next(4) switch
            {
                0 => JsonValue.Create(99),
                1 => JsonValue.Create(-1),
                2 => JsonValue.Create("5"),
                _ => JsonValue.Create("noSuchValue"),
            };
        }

        var type = schema["type"] is JsonArray list ? list.Select(t => t!.ToString()).FirstOrDefault(t => t != "null") : schema["type"]?.ToString();
        return type switch
        {
            "integer" or "number" => random.Next(3) switch
            {
                0 => JsonValue.Create(schema["minimum"] is { } min ? min.GetValue<long>() - 1 : -1),
                1 => JsonValue.Create(schema["maximum"] is { } max ? max.GetValue<long>() + 1 : 99999999999L),
                _ => JsonValue.Create("not-a-number"),
            },
            "boolean" => JsonValue.Create("yes"),
            "array" => JsonValue.Create("not-an-array"),
            "object" => JsonValue.Create(42),
            _ when schema["format"]?.ToString() is "date" or "date-time" => random.Next(3) switch
            {
                0 => JsonValue.Create("0001-01-01T00:00:00Z"),
                1 => JsonValue.Create("9999-12-31"),
                _ => JsonValue.Create("yesterday"),
            },
            _ => random.Next(2) == 0 ? new JsonObject { ["nested"] = 1 } : JsonValue.Create(12345),
        };
    }
}
