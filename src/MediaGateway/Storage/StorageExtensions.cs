using MediaGateway.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Storage;

/// <summary>Registers Redis: section "Redis", the connection, the key builder, and the persistence check at start.</summary>
internal static class StorageExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RedisOptions>(configuration, RedisOptions.Section);
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
            ConnectionMultiplexer.Connect(RedisConnection.Options(sp.GetRequiredService<IOptions<RedisOptions>>().Value)));
        services.TryAddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
        services.TryAddSingleton<StreamPoller>();
        services.TryAddSingleton<RedisProbe>();
        services.AddHostedService<PersistenceGuard>();
        return services;
    }
}
