using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Accounts;

/// <summary>Registers the organisation (departments, accounts; loaded by the caller so a bad file stops the start with its key named) and the accounts' state in Redis.</summary>
internal static class AccountsExtensions
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, DepartmentDirectory departments, AccountRegistry accounts)
    {
        services.TryAddSingleton(departments);
        services.TryAddSingleton(accounts);
        services.TryAddSingleton<AccountStore>();
        services.TryAddSingleton<AccountLifecycle>();
        services.AddHostedService<AccountStateSync>(); // start order: see StartOrder
        return services;
    }
}
