using System.Security.Claims;

namespace MediaGateway.Auth;

/// <summary>
/// The principal every authentication scheme produces for a gateway user: the user id in
/// <see cref="GatewayUser.UserIdClaim"/>, the name and the roles, all from section "Users".
/// Nothing a caller presents (an API key, a token's claims) adds roles.
/// </summary>
internal static class GatewayPrincipal
{
    public static ClaimsPrincipal Create(GatewayUser user, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim> { new(GatewayUser.UserIdClaim, user.Id), new(ClaimTypes.Name, user.Name) };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }
}
