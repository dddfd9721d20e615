using System.Security.Claims;

namespace MediaGateway.Auth;

internal enum Role
{
    /// <summary>Writes and schedules posts for the accounts their department operates.</summary>
    Operator,
    /// <summary>Reviews at one level: 1 初审 (handler), 2 审核 (department), 3 审发 (unit sign-off).</summary>
    Reviewer,
    /// <summary>Follows its accounts: webhooks and reports.</summary>
    Department,
    /// <summary>Accounts, rules, calendars. Cannot bypass review (P3).</summary>
    Administrator,
    /// <summary>P8: records other agencies' confirmations, and consultations on sensitive items (P9).</summary>
    AgencyLiaison,
    /// <summary>P6: the unit's secrecy officer; clears confidentiality-marker findings that are not classified content.</summary>
    SecrecyReviewer,
}

/// <summary>An authenticated person or service, as configured in section "Users".</summary>
internal sealed record GatewayUser(string Id, string Name, string Department, IReadOnlySet<Role> Roles, int? ReviewLevel)
{
    public const string UserIdClaim = "mg:user";

    public bool IsAdministrator => Roles.Contains(Role.Administrator);

    public bool Has(Role role) => Roles.Contains(role);

    /// <summary>
    /// Binds a handler parameter <c>GatewayUser user</c> to the caller (minimal API custom binding; no OpenAPI parameter).
    /// Anonymous: null, so only endpoints that require authorization take it; an authenticated id unknown to the directory
    /// is a server fault, as before.
    /// </summary>
    public static ValueTask<GatewayUser?> BindAsync(HttpContext context)
    {
        if (context.User.FindFirstValue(UserIdClaim) is not { } id) return ValueTask.FromResult<GatewayUser?>(null);
        return ValueTask.FromResult<GatewayUser?>(context.RequestServices.GetRequiredService<UserDirectory>().Find(id)
            ?? throw new InvalidOperationException($"unknown user {id}"));
    }
}
