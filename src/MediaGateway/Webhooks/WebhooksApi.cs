using MediaGateway.OpenApi;
using System.ComponentModel.DataAnnotations;
using MediaGateway.Auth;
using MediaGateway.Hosting;
using MediaGateway.Webhooks.Subscriptions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MediaGateway.Webhooks;

/// <summary>A department's webhook subscriptions and their delivery log (docs/webhooks.md).</summary>
internal static class WebhooksApi
{
    /// <summary>GET …/deliveries: page size bounds.</summary>
    public const int DeliveriesDefault = 100, DeliveriesMax = 10000;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/webhooks").WithTags("Webhooks").RequireAuthorization();
        group.MapGet("/event-types", () => TypedResults.Ok(EventTypes.All.Order(StringComparer.Ordinal).ToList()))
            .WithSummary("The event types a subscription may name.");
        group.MapGet("/subscriptions", (SubscriptionManagement m, GatewayUser user) => m.ListAsync(user))
            .WithSummary("Your department's subscriptions (administrators: all). Never a secret.");
        group.MapPost("/subscriptions", (CreateSubscriptionRequest request, SubscriptionManagement m, GatewayUser user, CancellationToken ct) =>
                m.CreateAsync(user, request, ct))
            .WithSummary("Subscribe: url, events (empty = all), accounts (empty = all your department may see), description, enabled. The answer shows the secret once.")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        group.MapGet("/subscriptions/{id}", (string id, SubscriptionManagement m, GatewayUser user) => m.GetAsync(user, id))
            .Refuses(StatusCodes.Status404NotFound);
        group.MapPatch("/subscriptions/{id}", (string id, UpdateSubscriptionRequest request, SubscriptionManagement m, GatewayUser user, CancellationToken ct) =>
                m.UpdateAsync(user, id, request, ct))
            .WithSummary("Change url, events, accounts, description or enabled (enabling clears the failure record).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapDelete("/subscriptions/{id}", (string id, SubscriptionManagement m, GatewayUser user) => m.DeleteAsync(user, id))
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        group.MapPost("/subscriptions/{id}/rotate-secret", (string id, [FromBody] RotateSecretRequest? request, SubscriptionManagement m, GatewayUser user) =>
                m.RotateAsync(user, id, request))
            .WithSummary("A new secret, shown once; the old one keeps signing (both signatures sent) for graceSeconds (default Webhooks:RotationGraceSeconds).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/subscriptions/{id}/deliveries", async Task<Results<Ok<IReadOnlyList<DeliveryLogEntry>>, ValidationProblem, ProblemHttpResult>> (
            string id, SubscriptionManagement m, WebhookStore store, GatewayUser user, [Range(1, DeliveriesMax)] int? take) =>
        {
            if (InputBounds.TakeProblem(take, DeliveriesDefault, DeliveriesMax, out var count) is { } invalid) return invalid;
            if (await m.FindAsync(user, id) is null) return Problems.NotFound($"no subscription '{id}' for your department");
            return TypedResults.Ok(await store.ReadLogAsync(id, count));
        }).WithSummary("The delivery log, newest first: attempt, status code, latency, error, outcome (kept Webhooks:LogRetentionDays, at least 7).")
            .Refuses(StatusCodes.Status404NotFound);
        group.MapGet("/subscriptions/{id}/deliveries/{deliveryId}", async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> (
            string id, string deliveryId, SubscriptionManagement m, WebhookStore store, GatewayUser user, IOptions<WebhookOptions> options) =>
        {
            if (await m.FindAsync(user, id) is null) return Problems.NotFound($"no subscription '{id}' for your department");
            var delivery = await store.GetAsync(deliveryId);
            return delivery is null || delivery.SubscriptionId != id
                ? Problems.NotFound($"no delivery '{deliveryId}' of subscription '{id}' in the last {options.Value.LogRetentionDays} days")
                : TypedResults.Ok(DeliveryView.Of(delivery));
        }).WithSummary("One delivery: the request as sent (body and headers, signature withheld) and every attempt.")
            .Refuses(StatusCodes.Status404NotFound);
        group.MapPost("/subscriptions/{id}/deliveries/{deliveryId}/redeliver", (string id, string deliveryId, SubscriptionManagement m, GatewayUser user) =>
                m.RedeliverAsync(user, id, deliveryId))
            .WithSummary("Send a delivery again now (same webhook-id, new timestamp and signature).")
            .Refuses(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return routes;
    }
}
