using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Hosting;
using MediaGateway.Webhooks.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MediaGateway.Webhooks.Subscriptions;

/// <summary>
/// A department manages its own subscriptions (users with the Department role; administrators manage all). Every
/// request is checked whole before anything is written (400 names each bad field), and every write is one
/// compare-and-set, so nothing is ever half done.
/// </summary>
internal sealed class SubscriptionManagement(
    SubscriptionStore store, SubscriptionSeeding seeding, WebhookStore deliveries, WebhookConnector connector, AccountRegistry accounts,
    DepartmentDirectory departments, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const int MaxDescription = 500;

    /// <summary>Members of the department read its subscriptions; administrators read all.</summary>
    public static bool MayRead(GatewayUser user, SubscriptionRecord s) => user.IsAdministrator || s.Department == user.Department;

    public static bool MayManage(GatewayUser user, SubscriptionRecord s) =>
        user.IsAdministrator || (s.Department == user.Department && user.Has(Role.Department));

    public async Task<IReadOnlyList<SubscriptionView>> ListAsync(GatewayUser user)
    {
        await seeding.EnsureAsync();
        var now = time.GetUtcNow();
        var views = new List<SubscriptionView>();
        foreach (var s in (await store.ListAsync()).Where(s => MayRead(user, s)))
        {
            views.Add(SubscriptionView.Of(s, now, await deliveries.HealthAsync(s.Id)));
        }

        return views;
    }

    public async Task<SubscriptionRecord?> FindAsync(GatewayUser user, string id)
    {
        await seeding.EnsureAsync();
        var found = await store.GetAsync(id);
        return found is not null && MayRead(user, found.Value) ? found.Value : null;
    }

    public async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> GetAsync(GatewayUser user, string id)
    {
        var s = await FindAsync(user, id);
        return s is null ? NotFound(id) : TypedResults.Ok(SubscriptionView.Of(s, time.GetUtcNow(), await deliveries.HealthAsync(id)));
    }

    public async Task<Results<Created<SubscriptionView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        GatewayUser user, CreateSubscriptionRequest request, CancellationToken cancellationToken)
    {
        if (!user.IsAdministrator && !user.Has(Role.Department))
            return Problems.Forbidden("只有部门账号或管理员可以管理订阅 / only department users and administrators manage webhook subscriptions");
        await seeding.EnsureAsync();
        var errors = new Dictionary<string, List<string>>();
        var department = request.Department ?? user.Department;
        if (request.Department is not null && !user.IsAdministrator && request.Department != user.Department)
            errors.Add("department", "you may only subscribe for your own department / 只能为本部门订阅");
        else if (!departments.Contains(department))
            errors.Add("department", $"unknown department '{department}'");
        await CheckAsync(errors, department, request.Url, request.Events, request.Accounts, request.Description, urlRequired: true, cancellationToken);
        if (errors.Count > 0) return Problems.Invalid(errors);

        var now = time.GetUtcNow();
        var secret = WebhookSigner.NewSecret();
        var record = new SubscriptionRecord
        {
            Id = "whs_" + Guid.CreateVersion7(now).ToString("N"), Department = department, Url = new Uri(request.Url!).ToString(),
            Events = Distinct(request.Events), Accounts = Distinct(request.Accounts), Description = request.Description?.Trim(),
            Enabled = request.Enabled ?? true, DisabledReason = request.Enabled == false ? $"created disabled by {user.Id}" : null,
            DisabledAt = request.Enabled == false ? now : null, Source = "api",
            Secrets = [new SubscriptionSecret(secret, now, null)], CreatedAt = now, CreatedBy = user.Id, UpdatedAt = now, UpdatedBy = user.Id,
        };
        if (!await store.CreateAsync(record)) return Problems.ChangedMeanwhile();
        return TypedResults.Created($"/api/webhooks/subscriptions/{record.Id}", SubscriptionView.Of(record, now) with { Secret = secret });
    }

    public async Task<Results<Ok<SubscriptionView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        GatewayUser user, string id, UpdateSubscriptionRequest request, CancellationToken cancellationToken)
    {
        await seeding.EnsureAsync();
        var current = await store.GetAsync(id);
        if (current is null || !MayRead(user, current.Value)) return NotFound(id);
        if (!MayManage(user, current.Value)) return Forbidden();
        var errors = new Dictionary<string, List<string>>();
        await CheckAsync(errors, current.Value.Department, request.Url, request.Events, request.Accounts, request.Description, urlRequired: false, cancellationToken);
        if (errors.Count > 0) return Problems.Invalid(errors);

        var now = time.GetUtcNow();
        var s = current.Value;
        var enabling = request.Enabled == true && !s.Enabled;
        var updated = s with
        {
            Url = request.Url is null ? s.Url : new Uri(request.Url).ToString(),
            Events = request.Events is null ? s.Events : Distinct(request.Events),
            Accounts = request.Accounts is null ? s.Accounts : Distinct(request.Accounts),
            Description = request.Description is null ? s.Description : request.Description.Trim(),
            Enabled = request.Enabled ?? s.Enabled,
            DisabledReason = request.Enabled switch { true => null, false when s.Enabled => $"disabled by {user.Id}", _ => s.DisabledReason },
            DisabledAt = request.Enabled switch { true => null, false when s.Enabled => now, _ => s.DisabledAt },
            UpdatedAt = now, UpdatedBy = user.Id,
        };
        if (!await store.ReplaceAsync(current, updated)) return Problems.ChangedMeanwhile();
        if (enabling) await deliveries.ClearHealthAsync(id);
        return TypedResults.Ok(SubscriptionView.Of(updated, now, await deliveries.HealthAsync(id)));
    }

    public async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(GatewayUser user, string id)
    {
        await seeding.EnsureAsync();
        var current = await store.GetAsync(id);
        if (current is null || !MayRead(user, current.Value)) return NotFound(id);
        if (!MayManage(user, current.Value)) return Forbidden();
        return await store.DeleteAsync(current) ? TypedResults.NoContent() : Problems.ChangedMeanwhile();
    }

    public async Task<Results<Ok<SubscriptionView>, ValidationProblem, ProblemHttpResult>> RotateAsync(GatewayUser user, string id, RotateSecretRequest? request)
    {
        await seeding.EnsureAsync();
        var current = await store.GetAsync(id);
        if (current is null || !MayRead(user, current.Value)) return NotFound(id);
        if (!MayManage(user, current.Value)) return Forbidden();
        var grace = request?.GraceSeconds ?? options.Value.RotationGraceSeconds;
        if (grace is < 0 or > 604800)
            return Problems.Invalid(new() { ["graceSeconds"] = ["0 to 604800 (7 days): how long the old secret keeps signing"] });

        var now = time.GetUtcNow();
        var secret = WebhookSigner.NewSecret();
        var old = current.Value.ValidSecrets(now).FirstOrDefault();
        List<SubscriptionSecret> secrets = [new SubscriptionSecret(secret, now, null)];
        if (old is not null && grace > 0) secrets.Add(old with { ExpiresAt = now.AddSeconds(grace) });
        var updated = current.Value with { Secrets = secrets, UpdatedAt = now, UpdatedBy = user.Id };
        if (!await store.ReplaceAsync(current, updated)) return Problems.ChangedMeanwhile();
        return TypedResults.Ok(SubscriptionView.Of(updated, now, await deliveries.HealthAsync(id)) with { Secret = secret });
    }

    public async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> RedeliverAsync(GatewayUser user, string id, string deliveryId)
    {
        await seeding.EnsureAsync();
        var current = await store.GetAsync(id);
        if (current is null || !MayRead(user, current.Value)) return NotFound(id);
        if (!MayManage(user, current.Value)) return Forbidden();
        var delivery = await deliveries.GetAsync(deliveryId);
        if (delivery is null || delivery.SubscriptionId != id)
            return Problems.NotFound($"no delivery '{deliveryId}' of subscription '{id}' in the last {options.Value.LogRetentionDays} days");
        if (!current.Value.Enabled)
            return Problems.Conflict($"订阅已停用 / subscription '{id}' is disabled ({current.Value.DisabledReason}); enable it first");

        var now = time.GetUtcNow();
        var again = delivery with { State = DeliveryState.Pending, Manual = delivery.State != DeliveryState.Pending, NextAttemptAt = now };
        await deliveries.RequeueAsync(again, now, options.Value.Retention);
        return TypedResults.Accepted($"/api/webhooks/subscriptions/{id}/deliveries/{deliveryId}", DeliveryView.Of(again));
    }

    private async Task CheckAsync(Dictionary<string, List<string>> errors, string department, string? url, List<string>? events, List<string>? scope,
        string? description, bool urlRequired, CancellationToken cancellationToken)
    {
        if (url is not null || urlRequired)
        {
            if (await connector.WhyRefusedAsync(url, cancellationToken) is { } why) errors.Add("url", why);
        }

        foreach (var type in events ?? [])
        {
            if (!EventTypes.All.Contains(type ?? ""))
                errors.Add("events", $"unknown event type '{type}' (known: {string.Join(", ", EventTypes.All.Order(StringComparer.Ordinal))})");
        }

        foreach (var accountId in scope ?? [])
        {
            if (accounts.Find(accountId ?? "") is not { } account || !account.IsVisibleTo(department))
                errors.Add("accounts", $"no account '{accountId}' that department '{department}' may see / 部门无权查看该账号");
        }

        if (description is { Length: > MaxDescription }) errors.Add("description", $"at most {MaxDescription} characters");
    }

    private static List<string> Distinct(List<string>? values) => values?.Distinct(StringComparer.Ordinal).ToList() ?? [];

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"no subscription '{id}' for your department / 无此订阅");

    private static ProblemHttpResult Forbidden() =>
        Problems.Forbidden("只有本部门的部门账号或管理员可以修改订阅 / only the department's department users and administrators change its subscriptions");
}
