using MediaGateway.Auth;

namespace MediaGateway.Accounts;

/// <summary>Read access to the accounts a caller's department may see, with their ownership records (never credentials).</summary>
public static class AccountsApi
{
    public sealed record AccountView(string Id, string Platform, string Kind, string? PublishMode, int ReviewLevels, string Name, string Status,
        OwnershipRecord Ownership, string? SafeDomain, IReadOnlyList<string> AllowedLinkDomains, string? NotPublishableBecause);

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/accounts").WithTags("Accounts").RequireAuthorization();
        group.MapGet("/", (AccountRegistry registry, HttpContext http) =>
        {
            var user = http.GetGatewayUser();
            return TypedResults.Ok(registry.All
                .Where(a => user.IsAdministrator || a.IsVisibleTo(user.Department))
                .OrderBy(a => a.Id, StringComparer.Ordinal)
                .Select(ToView)
                .ToList());
        });
        return routes;
    }

    public static AccountView ToView(Account a) => new(a.Id, a.Platform.ToString(), a.Kind.ToString(),
        a.Platform == MediaGateway.Platforms.Platform.WeChat ? a.PublishMode.ToString() : null, a.ReviewLevels, a.Name,
        a.Status.ToString(), a.Ownership, a.SafeDomain, a.AllowedLinkDomains, a.WhyNotPublishable());
}
