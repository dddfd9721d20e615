using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MediaGateway.Tests.Contract;

/// <summary>
/// Checks a JSON value against a schema of an OpenAPI 3.1 document, for the subset the gateway's document uses:
/// $ref (to #/components/schemas), type (one or a list), properties, required, additionalProperties, items, enum,
/// oneOf/anyOf/allOf, minimum/maximum, minLength/maxLength, pattern, and the formats date, date-time, int32, int64.
/// An unknown keyword is ignored (as JSON Schema does); a $ref to anything but a component schema is an error.
/// </summary>
public sealed class SchemaChecker(JsonNode document)
{
    public List<string> Check(JsonNode? value, JsonNode schema)
    {
        var errors = new List<string>();
        Check(value, schema, "$", errors, depth: 0);
        return errors;
    }

    public JsonNode Resolve(JsonNode schema)
    {
        while (schema is JsonObject o && o["$ref"] is { } reference)
        {
            var text = reference.GetValue<string>();
            const string prefix = "#/components/schemas/";
            if (!text.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"unsupported $ref '{text}'");
            }

            schema = document["components"]?["schemas"]?[text[prefix.Length..]] ?? throw new InvalidOperationException($"dangling $ref '{text}'");
        }

        return schema;
    }

    private void Check(JsonNode? value, JsonNode schemaNode, string path, List<string> errors, int depth)
    {
        if (depth > 64)
        {
            errors.Add($"{path}: schema nesting too deep");
            return;
        }

        if (schemaNode is JsonValue b && b.TryGetValue<bool>(out var allowed))
        {
            if (!allowed) errors.Add($"{path}: no value allowed here");
            return;
        }

        var schema = Resolve(schemaNode).AsObject();
        if (schema["allOf"] is JsonArray all)
        {
            foreach (var s in all) Check(value, s!, path, errors, depth + 1);
        }

        if (schema["oneOf"] is JsonArray one)
        {
            var matches = one.Count(s => Matches(value, s!, path, depth));
            if (matches != 1) errors.Add($"{path}: matches {matches} of the oneOf schemas, not exactly one");
        }

        if (schema["anyOf"] is JsonArray any && !any.Any(s => Matches(value, s!, path, depth)))
        {
            errors.Add($"{path}: matches none of the anyOf schemas");
        }

        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
        {
            errors.Add($"{path}: {Show(value)} is not one of {options.ToJsonString()}");
            return;
        }

        if (schema["type"] is { } type)
        {
            var types = type is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!types.Any(t => IsOfType(value, t, schema)))
            {
                errors.Add($"{path}: {Show(value)} is not of type {string.Join("|", types)}");
                return;
            }
        }

        switch (value)
        {
            case JsonObject obj:
                CheckObject(obj, schema, path, errors, depth);
                break;
            case JsonArray array when schema["items"] is { } items:
                for (var i = 0; i < array.Count; i++) Check(array[i], items, $"{path}[{i}]", errors, depth + 1);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                CheckString(v.GetValue<string>(), schema, path, errors);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                CheckNumber(v.GetValue<double>(), schema, path, errors);
                break;
        }
    }

    private bool Matches(JsonNode? value, JsonNode schema, string path, int depth)
    {
        var errors = new List<string>();
        Check(value, schema, path, errors, depth + 1);
        return errors.Count == 0;
    }

    private void CheckObject(JsonObject obj, JsonObject schema, string path, List<string> errors, int depth)
    {
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r!.GetValue<string>()).Where(n => !obj.ContainsKey(n)))
            {
                errors.Add($"{path}: required property '{name}' is missing");
            }
        }

        var properties = schema["properties"] as JsonObject;
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is { } propertySchema)
            {
                Check(child, propertySchema, $"{path}.{name}", errors, depth + 1);
            }
            else if (schema["additionalProperties"] is { } additional)
            {
                Check(child, additional, $"{path}.{name}", errors, depth + 1);
            }
        }
    }

    private static void CheckString(string text, JsonObject schema, string path, List<string> errors)
    {
        if (schema["minLength"] is { } min && text.Length < min.GetValue<int>()) errors.Add($"{path}: shorter than {min}");
        if (schema["maxLength"] is { } max && text.Length > max.GetValue<int>()) errors.Add($"{path}: longer than {max}");
        // A numeric schema that also allows strings (ASP.NET's int in a query) constrains the string with a pattern.
        if (schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern.GetValue<string>())) errors.Add($"{path}: '{text}' does not match {pattern}");
        switch (schema["format"]?.GetValue<string>())
        {
            case "date" when !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                errors.Add($"{path}: '{text}' is not a date (yyyy-MM-dd)");
                break;
            case "date-time" when !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) || !text.Contains('T', StringComparison.Ordinal):
                errors.Add($"{path}: '{text}' is not an RFC 3339 date-time");
                break;
        }
    }

    private static void CheckNumber(double number, JsonObject schema, string path, List<string> errors)
    {
        if (schema["minimum"] is { } min && number < min.GetValue<double>()) errors.Add($"{path}: {number} is below the minimum {min}");
        if (schema["maximum"] is { } max && number > max.GetValue<double>()) errors.Add($"{path}: {number} is above the maximum {max}");
        if (schema["format"]?.GetValue<string>() == "int32" && number is < int.MinValue or > int.MaxValue) errors.Add($"{path}: {number} is not an int32");
    }

    private static bool IsOfType(JsonNode? value, string type, JsonObject schema) => (type, value) switch
    {
        ("null", null) => true,
        ("object", JsonObject) => true,
        ("array", JsonArray) => true,
        ("string", JsonValue v) => v.GetValueKind() == JsonValueKind.String,
        ("boolean", JsonValue v) => v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        ("number", JsonValue v) => v.GetValueKind() == JsonValueKind.Number,
        ("integer", JsonValue v) => v.GetValueKind() == JsonValueKind.Number && Math.Floor(v.GetValue<double>()) == v.GetValue<double>(),
        _ => false,
    };

    private static string Show(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 80 ? text[..80] + "…" : text;
    }
}
