using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MediaGateway.Hosting;

/// <summary>Tells the person who started the gateway where everything is (never a secret itself).</summary>
internal sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, ConfigDirectory configDirectory,
    IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "(unknown)";
            var sandboxes = services.GetService<EmbeddedSandboxes>();
            var banner = new System.Text.StringBuilder($"""

                MediaGateway is running.
                  API:            {address}/api
                  Console:        {address}/console/
                  OpenAPI:        {address}/openapi/v1.json
                  Health:         {address}/healthz
                  Config:         {configDirectory.Path}

                """);
            if (sandboxes is not null)
            {
                banner.Append($"""
                      Demo tokens:    {configDirectory.Resolve("demo/tokens.md")}
                      WeChat sandbox: {sandboxes.WeChatAddress}
                      Weibo sandbox:  {sandboxes.WeiboAddress}
                      Demo receiver:  {sandboxes.ReceiverAddress}hooks/city-info-office/events
                      {SignInLine(services.GetRequiredService<IConfiguration>(), sandboxes)}
                    Walkthrough: README.md, or scripts/walkthrough.sh in another terminal. Ctrl-C stops everything.

                    """);
            }

            // One write, so log lines of other threads cannot land in the middle of it.
            Console.Write(banner.ToString());
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>How a person signs in to the demo: at the console's provider when one is configured (scripts/run.sh starts it), else a JWT from the sandbox issuer.</summary>
    private static string SignInLine(IConfiguration configuration, EmbeddedSandboxes sandboxes) =>
        configuration["Auth:Oidc:ConsoleClientId"] is { Length: > 0 } && configuration["Auth:Oidc:Authority"] is { Length: > 0 } authority
            ? $"Console sign-in: {authority} (type a demo user's id, e.g. op-li or rv1-zhao)"
            : $"Demo sign-in:   POST {sandboxes.IssuerAddress}_sandbox/tokens {{\"subject\":\"op-li\"}} gives a JWT";
}
