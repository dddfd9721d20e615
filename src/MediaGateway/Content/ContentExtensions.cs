using MediaGateway.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Content;

/// <summary>Registers content: section "Rules" (the curated lists), media, the store, rendering, submission and withdrawal.</summary>
internal static class ContentExtensions
{
    public static IServiceCollection AddContent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RulesOptions>(configuration, RulesOptions.Section);
        services.TryAddSingleton<MediaStore>();
        services.TryAddSingleton<ContentStore>();
        services.TryAddSingleton<RuleSetProvider>();
        services.TryAddSingleton(sp => new ContentRenderer(sp.TemplatesPath()));
        services.TryAddSingleton<ContentSubmission>();
        services.TryAddSingleton<ContentWithdrawal>();
        services.TryAddSingleton<ContentSearch>();
        return services;
    }
}
