using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Scheduling;

/// <summary>
/// Posting slots per account (read with the accounts, <c>Accounts:{id}:Slots</c>), the schedule index, the next free
/// slot, the queue per account and the composing warnings; they count on the working-day calendar (AddCalendar).
/// </summary>
internal static class SchedulingExtensions
{
    public static IServiceCollection AddScheduling(this IServiceCollection services)
    {
        services.TryAddSingleton<ScheduleStore>();
        services.TryAddSingleton<SlotBook>();
        services.TryAddSingleton<ScheduleWarnings>();
        return services;
    }
}
