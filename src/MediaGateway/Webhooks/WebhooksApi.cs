using MediaGateway.Auth;
using MediaGateway.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Webhooks;

/// <summary>A department reads its subscriptions and their delivery log (management through the API: issue 7).</summary>
public static class WebhooksApi
{
    public sealed record SubscriptionView(string Id, string Department, string Url, IReadOnlyCollection<string> Events, IReadOnlyCollection<string> Accounts);

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/webhooks").WithTags("Webhooks").RequireAuthorization();
        group.MapGet("/subscriptions", (WebhookSubscriptions subscriptions, HttpContext http) =>
        {
            var user = http.GetGatewayUser();
            return TypedResults.Ok(subscriptions.All.Where(s => user.IsAdministrator || s.Department == user.Department)
                .Select(s => new SubscriptionView(s.Id, s.Department, s.Url.ToString(), s.Events, s.Accounts)).ToList());
        });
        group.MapGet("/subscriptions/{id}/deliveries", async Task<Results<Ok<IReadOnlyList<DeliveryLogEntry>>, ProblemHttpResult>> (
            string id, WebhookSubscriptions subscriptions, WebhookStore store, HttpContext http, int? take) =>
        {
            var user = http.GetGatewayUser();
            var subscription = subscriptions.Find(id);
            if (subscription is null || !(user.IsAdministrator || subscription.Department == user.Department))
            {
                return Problems.NotFound($"no subscription '{id}' for your department");
            }

            return TypedResults.Ok(await store.ReadLogAsync(id, Math.Clamp(take ?? 100, 1, WebhookStore.LogLength)));
        }).WithSummary("The delivery log, newest first: attempt, status code, latency, outcome.");
        return routes;
    }
}
