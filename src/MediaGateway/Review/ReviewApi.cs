using MediaGateway.Auth;

namespace MediaGateway.Review;

public static class ReviewApi
{
    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/content/{id}/reviews", (string id, ReviewRequest request, ReviewWorkflow workflow, HttpContext http) =>
                workflow.DecideAsync(http.GetGatewayUser(), id, request))
            .WithTags("Review")
            .RequireAuthorization()
            .WithSummary("Approve or reject the item at your review level (初审 1, 审核 2, 审发 3).");
        return routes;
    }
}
