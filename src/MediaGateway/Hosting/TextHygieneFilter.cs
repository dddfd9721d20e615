using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediaGateway.Rules.Text;

namespace MediaGateway.Hosting;

/// <summary>
/// Marks a request field that may span lines (a body, summary, comment, note, reason or description): it keeps line
/// feeds, tabs and CRLF. Every other text field is one line (decision 25).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class MultiLineTextAttribute : Attribute;

/// <summary>
/// Text hygiene at the door (decision 25): before any handler runs, every text in the request body (each string, in
/// lists and nested objects too) and an upload's file name pass <see cref="TextHygiene"/>. The first refused character
/// of each field is answered as a 400 naming the field (as JSON names it, e.g. <c>ownership.openingUnit</c>,
/// <c>targets[1]</c>) and its position; the handler does not run, so nothing is stored. Applied to every API endpoint
/// in <see cref="GatewayHost"/>, so a new request type is covered without anyone remembering to.
/// </summary>
internal static class TextHygieneFilter
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name, TextShape Shape)[]> Fields = new();

    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        // The request body is the one parameter of the gateway's own types that is not a service.
        var services = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var checkedArguments = context.MethodInfo.GetParameters()
            .Select((p, i) => (Parameter: p, Index: i))
            .Where(a => a.Parameter.ParameterType == typeof(IFormFile)
                        || (IsRequestObject(a.Parameter.ParameterType) && !services.IsService(a.Parameter.ParameterType)))
            .ToArray();
        if (checkedArguments.Length == 0)
        {
            return next;
        }

        var naming = context.ApplicationServices.GetService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
            ?.Value.SerializerOptions.PropertyNamingPolicy ?? JsonNamingPolicy.CamelCase;
        return invocation =>
        {
            var errors = new Dictionary<string, List<string>>();
            foreach (var (parameter, index) in checkedArguments)
            {
                var value = invocation.Arguments[index];
                if (value is IFormFile file)
                {
                    CheckText(file.FileName, parameter.Name ?? "file", TextShape.SingleLine, errors);
                }
                else if (value is not null)
                {
                    Walk(value, "", naming, errors, depth: 0);
                }
            }

            return errors.Count > 0 ? ValueTask.FromResult<object?>(Problems.Invalid(errors)) : next(invocation);
        };
    }

    /// <summary>Every string in a request object: its own fields, list items by index, dictionary keys and values, nested objects.</summary>
    private static void Walk(object value, string prefix, JsonNamingPolicy naming, Dictionary<string, List<string>> errors, int depth)
    {
        if (depth > 8)
        {
            return;
        }

        foreach (var (property, name, shape) in Fields.GetOrAdd(value.GetType(), t => Describe(t, naming)))
        {
            var field = prefix.Length == 0 ? name : $"{prefix}.{name}";
            WalkValue(property.GetValue(value), field, shape, naming, errors, depth);
        }
    }

    private static void WalkValue(object? value, string field, TextShape shape, JsonNamingPolicy naming, Dictionary<string, List<string>> errors, int depth)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                CheckText(text, field, shape, errors);
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key as string ?? Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                    CheckText(key, field, TextShape.SingleLine, errors);
                    WalkValue(entry.Value, $"{field}[{key}]", shape, naming, errors, depth + 1);
                }

                return;
            case IEnumerable items:
                var i = 0;
                foreach (var item in items)
                {
                    WalkValue(item, $"{field}[{i++}]", shape, naming, errors, depth + 1);
                }

                return;
            default:
                if (IsRequestObject(value.GetType()))
                {
                    Walk(value, field, naming, errors, depth + 1);
                }

                return;
        }
    }

    private static void CheckText(string text, string field, TextShape shape, Dictionary<string, List<string>> errors)
    {
        if (TextHygiene.Check(text, shape) is { } issue)
        {
            errors.Add(field, issue.Message);
        }
    }

    /// <summary>The gateway's own request records (and what they nest): not numbers, dates, enums or framework types.</summary>
    private static bool IsRequestObject(Type type) =>
        type is { IsClass: true } && type.Namespace?.StartsWith("MediaGateway", StringComparison.Ordinal) == true;

    private static (PropertyInfo, string, TextShape)[] Describe(Type type, JsonNamingPolicy naming) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => (p, p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? naming.ConvertName(p.Name),
                p.GetCustomAttribute<MultiLineTextAttribute>() is null ? TextShape.SingleLine : TextShape.MultiLine))];
}
