using System.Text.Json.Nodes;
using MediaGateway.Storage;
using MediaGateway.Observability;

namespace MediaGateway.Webhooks.Subscriptions;

/// <summary>Notices about a department's own subscriptions. They go to every other enabled subscription of the department, whatever its event filter.</summary>
internal static class SubscriptionNotices
{
    /// <summary>A subscription was disabled automatically (410 Gone, or sustained failure).</summary>
    public const string Disabled = "webhook.subscription_disabled";
}

/// <summary>
/// Disables a subscription that cannot be delivered to, records why (visible on the subscription), and tells the
/// department: a <see cref="SubscriptionNotices.Disabled"/> event, written in the same transaction as the change.
/// </summary>
internal sealed partial class SubscriptionDisabler(SubscriptionStore subscriptions, RedisKeys keys, TimeProvider time, ILogger<SubscriptionDisabler> logger)
{
    public async Task DisableAsync(string subscriptionId, string reason)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var current = await subscriptions.GetAsync(subscriptionId);
            if (current is null || !current.Value.Enabled) return;
            var now = time.GetUtcNow();
            var updated = current.Value with { Enabled = false, DisabledReason = reason, DisabledAt = now, UpdatedAt = now, UpdatedBy = "gateway" };
            var notice = new GatewayEvent("evt_" + Guid.CreateVersion7(now).ToString("N"), SubscriptionNotices.Disabled, now, [], new JsonObject
            {
                ["subscription"] = new JsonObject
                {
                    ["id"] = updated.Id, ["url"] = updated.Url, ["description"] = updated.Description, ["reason"] = reason,
                    ["disabledAt"] = now.ToString("O"), ["link"] = $"/api/webhooks/subscriptions/{updated.Id}",
                },
            }) { Department = updated.Department };
            if (await subscriptions.ReplaceAsync(current, updated, tx => EventStream.Append(tx, keys, [notice])))
            {
                Log.Disabled(logger, subscriptionId, reason);
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.WebhookSubscriptionDisabled, LogLevel.Warning, "Webhook subscription {SubscriptionId} disabled: {Reason}")]
        public static partial void Disabled(ILogger logger, string subscriptionId, string reason);
    }
}
