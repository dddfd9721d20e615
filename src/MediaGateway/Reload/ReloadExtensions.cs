using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Reload;

/// <summary>Registers the watch on the included configuration files and the calendar files (new accounts and years without a restart).</summary>
internal static class ReloadExtensions
{
    public static IServiceCollection AddConfigReload(this IServiceCollection services)
    {
        services.TryAddSingleton<ConfigReloadStatus>();
        services.AddHostedService<AccountsReload>();
        services.AddHostedService<CalendarReload>();
        return services;
    }
}
