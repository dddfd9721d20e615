using MediaGateway.Accounts;
using MediaGateway.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Auth;

/// <summary>Registers the users (section "Users", checked now) and authentication; every endpoint needs a caller unless it says otherwise.</summary>
internal static class AuthExtensions
{
    public static IServiceCollection AddAuth(this IServiceCollection services, IConfiguration configuration, DepartmentDirectory departments)
    {
        services.TryAddSingleton(UserDirectory.Load(configuration, departments));
        if (!services.FirstTime("Auth")) return services;
        services.AddGatewayAuthentication(configuration);
        // Endpoints that need no caller (health, metrics, the OpenAPI document, the console's files, WeChat's callback) say AllowAnonymous.
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }
}
