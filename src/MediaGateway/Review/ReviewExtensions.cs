using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Review;

/// <summary>Registers the review chain and the retraction workflow.</summary>
internal static class ReviewExtensions
{
    public static IServiceCollection AddReview(this IServiceCollection services)
    {
        services.TryAddSingleton<ReviewWorkflow>();
        services.TryAddSingleton<RetractionWorkflow>();
        return services;
    }
}
