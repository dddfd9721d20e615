using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.WebConsole;

/// <summary>Registers the web console's server side (the article preview); its endpoints are mapped by <see cref="ConsoleEndpoints.MapWebConsole"/>.</summary>
internal static class ConsoleExtensions
{
    public static IServiceCollection AddWebConsole(this IServiceCollection services)
    {
        services.TryAddSingleton<ContentPreview>();
        return services;
    }
}
