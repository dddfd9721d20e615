using MediaGateway.OpenApi;
using MediaGateway.Auth;
using MediaGateway.Content;
using MediaGateway.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaGateway.Reload;

/// <summary>GET /api/operations/reload (administrators): the rule set and account set in force and why a reload was refused.</summary>
internal static class ReloadApi
{
    internal sealed record RulesView(string Version, string? Problem);

    internal sealed record ReloadView(RulesView Rules, IReadOnlyList<ConfigReloadStatus.Report> Reloads);

    public static IEndpointRouteBuilder MapReloadApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/operations/reload", Results<Ok<ReloadView>, ProblemHttpResult> (GatewayUser user, RuleSetProvider rules, ConfigReloadStatus status) =>
                user.IsAdministrator
                    ? TypedResults.Ok(new ReloadView(new RulesView(rules.Current.Version, rules.LastProblem), status.All))
                    : Problems.Forbidden("只有管理员可以查看配置重载状态 / only administrators see the reload status"))
            .WithTags("Operations").RequireAuthorization().WithSummary("What configuration is in force, and why the last reload was refused, if it was.")
            .Refuses(StatusCodes.Status403Forbidden);
        return routes;
    }
}
