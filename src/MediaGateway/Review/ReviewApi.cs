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
        routes.MapPost("/api/content/{id}/agency-confirmations", (string id, AgencyConfirmationRequest request, ReviewWorkflow workflow, HttpContext http) =>
                workflow.ConfirmAgencyAsync(http.GetGatewayUser(), id, request))
            .WithTags("Review").RequireAuthorization()
            .WithSummary("P8: record that an involved agency confirmed the item (agency liaisons).");
        routes.MapPost("/api/content/{id}/consultation", (string id, ConsultationRequest request, ReviewWorkflow workflow, HttpContext http) =>
                workflow.RecordConsultationAsync(http.GetGatewayUser(), id, request))
            .WithTags("Review").RequireAuthorization()
            .WithSummary("P9: record the consultation with related units on a sensitive item.");
        return routes;
    }
}
