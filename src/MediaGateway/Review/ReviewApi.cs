using MediaGateway.OpenApi;
using MediaGateway.Auth;

namespace MediaGateway.Review;

internal static class ReviewApi
{
    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/content/{id}").WithTags("Review").RequireAuthorization()
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        group.MapPost("/reviews", (string id, ReviewRequest request, ReviewWorkflow workflow, GatewayUser user) =>
                workflow.DecideAsync(user, id, request))
            .WithSummary("Approve or reject the item at your review level (初审 1, 审核 2, 审发 3).");
        group.MapPost("/agency-confirmations", (string id, AgencyConfirmationRequest request, ReviewWorkflow workflow, GatewayUser user) =>
                workflow.ConfirmAgencyAsync(user, id, request))
            .WithSummary("P8: record that an involved agency confirmed the item (agency liaisons).");
        group.MapPost("/consultation", (string id, ConsultationRequest request, ReviewWorkflow workflow, GatewayUser user) =>
                workflow.RecordConsultationAsync(user, id, request))
            .WithSummary("P9: record the consultation with related units on a sensitive item.");
        group.MapPost("/secrecy-clearance", (string id, SecrecyClearanceRequest request, ReviewWorkflow workflow, GatewayUser user) =>
                workflow.ClearSecrecyAsync(user, id, request))
            .WithSummary("P6: a secrecy reviewer clears confidentiality-marker findings that mark no classified content (comment required).");
        group.MapPost("/retraction", (string id, RetractionRequest request, RetractionWorkflow workflow, GatewayUser user) =>
                workflow.RequestAsync(user, id, request))
            .WithSummary("Ask to take a published item down (reason required); decided at the sign-off level.");
        group.MapPost("/retraction/decision", (string id, RetractionDecisionRequest request, RetractionWorkflow workflow, GatewayUser user) =>
                workflow.DecideAsync(user, id, request))
            .WithSummary("审发 reviewers approve or reject a retraction; approval deletes the posts on every platform.");
        return routes;
    }
}
