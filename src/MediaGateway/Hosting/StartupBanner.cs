using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MediaGateway.Hosting;

/// <summary>Tells the person who started the gateway where everything is (never a secret itself).</summary>
public sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, ConfigDirectory configDirectory,
    IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "(unknown)";
            var sandboxes = services.GetService<EmbeddedSandboxes>();
            Console.WriteLine($"""

                MediaGateway is running.
                  API:            {address}/api
                  OpenAPI:        {address}/openapi/v1.json
                  Health:         {address}/healthz
                  Config:         {configDirectory.Path}
                """);
            if (sandboxes is not null)
            {
                Console.WriteLine($"""
                      Demo tokens:    {configDirectory.Resolve("demo/tokens.md")}
                      WeChat sandbox: {sandboxes.WeChatAddress}
                      Weibo sandbox:  {sandboxes.WeiboAddress}
                      Demo receiver:  {sandboxes.ReceiverAddress}hooks/city-info-office/events
                    Walkthrough: README.md, or scripts/walkthrough.sh in another terminal. Ctrl-C stops everything.

                    """);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
