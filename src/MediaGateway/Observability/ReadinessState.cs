namespace MediaGateway.Observability;

/// <summary>
/// Knows when the host began to stop (SIGTERM): from then on /healthz/ready answers 503 so a load balancer
/// sends nothing new, while the workers drain.
/// </summary>
internal sealed class ReadinessState(IHostApplicationLifetime lifetime) : IHostedService
{
    private volatile bool _stopping;

    public bool Stopping => _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => _stopping = true);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
