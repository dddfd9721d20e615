using MediaGateway.Hosting;
using MediaGateway.Observability;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Publishing;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.Hosting;

/// <summary>
/// The composition root (decision 32): each feature's AddX registers with TryAdd*, so calling it twice or in another
/// order registers nothing twice, and the start order of the background services is decided in one place.
/// </summary>
public sealed class CompositionTests
{
    // The demo's configuration with the sandboxes on, so every feature (EmbeddedSandboxes too) is registered; nothing is started.
    private static readonly string[] Args =
        ["--environment", "Demo", "--Sandbox:Enabled=true", "--Redis:ConnectionString=127.0.0.1:1,abortConnect=false,connectTimeout=200"];

    private static IServiceCollection Gateway()
    {
        var configDirectory = new ConfigDirectory(RepoPaths.Config);
        var builder = GatewayHost.CreateBuilder(Args, configDirectory);
        builder.Services.AddGateway(builder.Configuration, configDirectory);
        return builder.Services;
    }

    private static string Describe(ServiceDescriptor d) =>
        $"{d.ServiceType.Name} -> {StartOrder.ImplementationOf(d)?.Name ?? "(factory)"}";

    [Fact]
    public void AddingEveryFeatureTwice_RegistersNothingTwice()
    {
        var configDirectory = new ConfigDirectory(RepoPaths.Config);
        var builder = GatewayHost.CreateBuilder(Args, configDirectory);
        var services = builder.Services;
        services.AddGateway(builder.Configuration, configDirectory);
        var once = services.ToList();

        services.AddGateway(builder.Configuration, configDirectory);

        var added = services.Except(once).Select(Describe).ToList();
        Assert.True(added.Count == 0, "registered again: " + string.Join(", ", added));
    }

    [Fact]
    public void TheWeChatTokenCache_IsRegisteredOnce_AsTheMeteredRedisCache()
    {
        var services = Gateway();

        Assert.Single(services, d => d.ServiceType == typeof(IWeChatTokenCache));
        using var provider = services.BuildServiceProvider();
        Assert.IsType<MeteredWeChatTokenCache>(provider.GetRequiredService<IWeChatTokenCache>());
    }

    [Fact]
    public void EveryHostedService_IsRegisteredOnce()
    {
        var hosted = Gateway().Where(d => d.ServiceType == typeof(IHostedService)).Select(Describe).ToList();

        Assert.Equal(hosted.Distinct().ToList(), hosted);
    }

    [Fact]
    public void TheWebhookClient_HasOneDeliveryObserver()
    {
        using var provider = Gateway().BuildServiceProvider();
        var factory = provider.GetRequiredService<IOptionsMonitor<Microsoft.Extensions.Http.HttpClientFactoryOptions>>()
            .Get(MediaGateway.Webhooks.WebhookSender.HttpClientName);

        // Each AddHttpMessageHandler is one builder action; the observer is added once, by the webhook feature.
        var builder = new RecordingBuilder(provider);
        foreach (var action in factory.HttpMessageHandlerBuilderActions) action(builder);
        Assert.Single(builder.AdditionalHandlers, h => h is WebhookDeliveryObserver);
    }

    [Fact]
    public void TheStartOrder_DoesNotDependOnTheOrderFeaturesWereAdded()
    {
        var asAdded = Gateway();
        IServiceCollection reversed = new ServiceCollection();
        foreach (var descriptor in asAdded.Reverse()) reversed.Add(descriptor);

        var expected = StartOrder.First.ToList();
        Assert.Equal(expected, HostedTypes(StartOrder.Apply(asAdded)).Take(expected.Count));
        Assert.Equal(expected, HostedTypes(StartOrder.Apply(reversed)).Take(expected.Count));
    }

    [Fact]
    public void TheStartOrder_StartsPrerequisitesBeforeTheWorkers()
    {
        var order = HostedTypes(StartOrder.Apply(Gateway()));

        Assert.True(order.IndexOf(typeof(EmbeddedSandboxes)) < order.IndexOf(typeof(PublishWorker)));
        Assert.True(order.IndexOf(typeof(MediaGateway.Accounts.AccountStateSync)) < order.IndexOf(typeof(PublishWorker)));
        Assert.True(order.IndexOf(typeof(WeChatTokenKeeper)) < order.IndexOf(typeof(PublishWorker)));
        // Stopped in reverse: the audit checkpoint at stop comes after every service that appends has stopped.
        Assert.True(order.IndexOf(typeof(MediaGateway.Audit.AuditCheckpointer)) < order.IndexOf(typeof(AuditStreamListener)));
        Assert.True(order.IndexOf(typeof(MediaGateway.Audit.AuditCheckpointer)) < order.IndexOf(typeof(MediaGateway.Webhooks.WebhookWorker)));
        Assert.True(order.IndexOf(typeof(MediaGateway.Audit.AuditCheckpointer)) < order.IndexOf(typeof(PublishWorker)));
    }

    private static List<Type> HostedTypes(IServiceCollection services) =>
        services.Where(d => d.ServiceType == typeof(IHostedService)).Select(StartOrder.ImplementationOf).OfType<Type>().ToList();

    private sealed class RecordingBuilder(IServiceProvider services) : Microsoft.Extensions.Http.HttpMessageHandlerBuilder
    {
        public override string? Name { get; set; }

        public override HttpMessageHandler PrimaryHandler { get; set; } = new HttpClientHandler();

        public override IList<DelegatingHandler> AdditionalHandlers { get; } = [];

        public override IServiceProvider Services => services;

        public override HttpMessageHandler Build() => PrimaryHandler;
    }
}
