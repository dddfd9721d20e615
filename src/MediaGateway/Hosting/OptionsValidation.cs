using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
            // Nested options are the gateway's own classes (Platforms:WeChat…); strings, URIs and lists are values.
            if (property.PropertyType.Assembly == typeof(T).Assembly && property.PropertyType.IsClass
                && property.GetValue(value) is { } nested)
            {
                Collect(nested, $"{prefix}:{property.Name}", failures);
            }
        }
    }
}

internal static class OptionsRegistration
{
    /// <summary>
    /// Binds section <paramref name="section"/> to <typeparamref name="T"/>, validated at start with key-naming messages.
    /// A second call for the same options adds nothing (features that share options may each ask for them).
    /// Cross-option rules are further <see cref="IValidateOptions{TOptions}"/> classes the owning feature registers.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<T>) && d.ImplementationInstance is KeyNamingValidator<T>))
        {
            return services;
        }

        services.AddOptions<T>().Bind(configuration.GetSection(section), o => o.ErrorOnUnknownConfiguration = false).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new KeyNamingValidator<T>(section));
        return services;
    }

    /// <summary>Adds the cross-option rule <typeparamref name="TRule"/> for <typeparamref name="T"/> once, however often it is asked for.</summary>
    public static IServiceCollection AddOptionsRule<T, TRule>(this IServiceCollection services)
        where T : class where TRule : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TRule>());
        return services;
    }
}

/// <summary>Helpers for cross-option rules (an <see cref="IValidateOptions{TOptions}"/> that compares with another section).</summary>
internal static class OptionsRules
{
    /// <summary>
    /// The other section a rule compares with, or null when that section is invalid itself: its own failure already stops
    /// the start naming its key, and a rule built on an invalid value would only add a second, misleading message.
    /// </summary>
    public static T? ValueOrNull<T>(IOptions<T> options) where T : class
    {
        try
        {
            return options.Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}
