namespace MediaGateway.Webhooks;

/// <summary>What one attempt's answer means: the delivery's new state, when to try again, and what it says about the subscription.</summary>
internal readonly record struct AttemptOutcome(DeliveryState State, TimeSpan? Delay, bool DisableSubscription, HealthChange Health);

/// <summary>
/// The retry rules, pure: 2xx is success; 410 Gone disables the subscription; anything else (3xx included: redirects are
/// not followed, timeouts, connection errors) is retried on the schedule with ±20 % jitter; 429 and 503 wait at least
/// their <c>Retry-After</c>; a manual redelivery is one attempt.
/// </summary>
internal static class RetryPolicy
{
    public static AttemptOutcome Decide(int attempt, int? status, TimeSpan? retryAfter, bool manual, IReadOnlyList<int> schedule,
        TimeSpan maxRetryAfter, double random01)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (status is >= 200 and < 300) return new(DeliveryState.Delivered, null, false, HealthChange.Succeeded);
        if (status == 410) return new(DeliveryState.Failed, null, true, HealthChange.Failed);
        if (manual) return new(DeliveryState.Failed, null, false, HealthChange.Failed);
        if (attempt > schedule.Count) return new(DeliveryState.Failed, null, false, HealthChange.Exhausted);
        var delay = TimeSpan.FromSeconds(schedule[attempt - 1] * (0.8 + (0.4 * random01)));
        if (status is 429 or 503 && retryAfter is { } wait && wait > delay)
        {
            delay = wait < maxRetryAfter ? wait : maxRetryAfter;
        }

        return new(DeliveryState.Pending, delay, false, HealthChange.Failed);
    }

    /// <summary>The <c>Retry-After</c> of an answer (seconds or an HTTP date), or null.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }
}
