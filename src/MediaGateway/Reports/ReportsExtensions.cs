using MediaGateway.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Reports;

/// <summary>Registers the assessment (P17): the builder and its HTML template.</summary>
internal static class ReportsExtensions
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.TryAddSingleton<AssessmentBuilder>();
        services.TryAddSingleton(sp => new AssessmentHtml(sp.TemplatesPath()));
        return services;
    }
}
