using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace MediaGateway.Hosting;

/// <summary>Validates an options class and its nested options by their data annotations, naming each failure by its full configuration key.</summary>
internal sealed class KeyNamingValidator<T>(string section) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = new List<string>();
        Collect(options, section, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Collect(object value, string prefix, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
        failures.AddRange(results.Select(r => $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType.Namespace == typeof(GatewayOptions).Namespace && property.PropertyType.IsClass
                && property.GetValue(value) is { } nested)
            {
                Collect(nested, $"{prefix}:{property.Name}", failures);
            }
        }
    }
}

internal static class OptionsRegistration
{
    /// <summary>Binds section <paramref name="section"/> to <typeparamref name="T"/>, validated at start with key-naming messages.</summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section), o => o.ErrorOnUnknownConfiguration = false).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new KeyNamingValidator<T>(section));
        return services;
    }
}
