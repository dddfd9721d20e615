namespace MediaGateway.Webhooks.Subscriptions;

/// <summary>
/// Seeds the configured subscriptions into Redis once: at start-up when Redis answers, else before the workers' first
/// turn. The API waits for it too, so a fresh gateway always lists its configured subscriptions.
/// </summary>
internal sealed class SubscriptionSeeding(SubscriptionStore store, ConfiguredSubscriptions configured, TimeProvider time) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    public async Task EnsureAsync()
    {
        if (_done) return;
        await _gate.WaitAsync();
        try
        {
            if (_done) return;
            await store.SeedAsync(configured, time.GetUtcNow());
            _done = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Redis is not there yet: the workers and the API seed on their first use.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _gate.Dispose();
}
