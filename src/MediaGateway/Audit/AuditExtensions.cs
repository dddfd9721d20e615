using MediaGateway.Accounts;
using MediaGateway.Auth;
using MediaGateway.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Audit;

/// <summary>Registers the audit chain (P7): its key, its checkpoints outside Redis, the checkpoint writer, the rule-list record, and the sign-off sheet.</summary>
internal static class AuditExtensions
{
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration, ConfigDirectory configDirectory)
    {
        var options = configuration.GetSection(AuditOptions.Section).Get<AuditOptions>() ?? new AuditOptions();
        if (options.CheckpointMinutes is < 1 or > 60)
            throw new ConfigurationException("Audit:CheckpointMinutes", "must be between 1 and 60");
        if (string.IsNullOrWhiteSpace(options.CheckpointDirectory))
            throw new ConfigurationException("Audit:CheckpointDirectory", "required: a directory outside Redis for the audit checkpoints");
        var location = AuditCheckpointLocation.From(options, configDirectory);
        // Loaded now, so a missing or short key stops the start with its setting named.
        services.TryAddSingleton(AuditKey.Load(configuration, configDirectory, location.Directory));
        services.TryAddSingleton(options);
        services.TryAddSingleton(location);
        services.TryAddSingleton<AuditCheckpoints>();
        services.TryAddSingleton<AuditLog>();
        services.AddHostedService<AuditCheckpointer>(); // start order: see StartOrder
        services.AddHostedService<RuleListAudit>();
        services.TryAddSingleton(sp => new SignOffSheet(sp.TemplatesPath(), sp.GetRequiredService<AccountRegistry>(),
            sp.GetRequiredService<UserDirectory>(), sp.GetRequiredService<DepartmentDirectory>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
