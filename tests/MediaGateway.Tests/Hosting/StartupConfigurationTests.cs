using System.Net;
using MediaGateway.Hosting;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.Hosting;

/// <summary>Startup with bad configuration fails with a message naming the key.</summary>
public sealed class StartupConfigurationTests
{
    private static readonly string[] Demo = ["--environment", "Demo", "--urls", "http://127.0.0.1:0", "--Sandbox:Enabled=false"];

    private static async Task<string> StartFailureAsync(params string[] args)
    {
        var error = await Record.ExceptionAsync(async () =>
        {
            await using var app = GatewayHost.Build([.. Demo, .. args], new ConfigDirectory(RepoPaths.Config));
            await app.StartAsync();
            await app.StopAsync();
        });
        Assert.NotNull(error);
        Assert.True(error is ConfigurationException or OptionsValidationException, error.ToString());
        return error.Message;
    }

    [Fact]
    public async Task MissingRedisConnectionString_IsNamed()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=");
        Assert.Contains("Redis:ConnectionString", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutOfRangeOption_IsNamedWithItsSection()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=127.0.0.1:1", "--Publishing:Workers=0");
        Assert.Contains("Publishing:Workers", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPlatform_IsNamed()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=127.0.0.1:1", "--Accounts:wx-city:Platform=Douyin");
        Assert.Contains("Accounts:wx-city:Platform", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReviewChainShorterThanThreeLevels_IsRefused()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=127.0.0.1:1", "--Accounts:wx-city:ReviewLevels=2");
        Assert.Contains("Accounts:wx-city:ReviewLevels", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InlineSecret_IsRefused()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=127.0.0.1:1", "--Accounts:wx-city:AppSecretRef=plain-secret");
        Assert.Contains("Accounts:wx-city:AppSecretRef", message, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-secret", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSecretEnvironmentVariable_IsNamed()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=127.0.0.1:1", "--Accounts:wb-city:AccessTokenRef=env:MG_TEST_NEVER_SET_TOKEN");
        Assert.Contains("Accounts:wb-city:AccessTokenRef", message, StringComparison.Ordinal);
        Assert.Contains("MG_TEST_NEVER_SET_TOKEN", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewerWithoutLevel_IsNamed()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=127.0.0.1:1", "--Users:rv1-zhao:ReviewLevel=6");
        Assert.Contains("Users:rv1-zhao:ReviewLevel", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhookForAnUnknownEventType_IsNamed()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=127.0.0.1:1", "--Webhooks:Subscriptions:city-info-office-main:Events:0=content.exploded");
        Assert.Contains("Webhooks:Subscriptions:city-info-office-main:Events", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhookScopeOutsideTheDepartment_IsRefused()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=127.0.0.1:1", "--Webhooks:Subscriptions:city-info-office-main:Accounts:2=wx-health");
        Assert.Contains("may not see account 'wx-health'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALeaseShorterThanAPlatformCall_IsRefused()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=127.0.0.1:1", "--Publishing:LeaseSeconds=10");
        Assert.Contains("Publishing:LeaseSeconds", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADrainLongerThanTheShutdownTimeout_IsRefused()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=127.0.0.1:1", "--Publishing:DrainSeconds=40");
        Assert.Contains("Publishing:DrainSeconds", message, StringComparison.Ordinal);
        Assert.Contains("Operations:ShutdownTimeoutSeconds (30 s)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongerShutdownTimeout_AdmitsTheLongerDrain()
    {
        await using var app = GatewayHost.Build([.. Demo, "--Redis:ConnectionString=127.0.0.1:1,abortConnect=false,connectTimeout=200",
            "--Publishing:DrainSeconds=40", "--Operations:ShutdownTimeoutSeconds=60"], new ConfigDirectory(RepoPaths.Config));
        var options = app.Services.GetRequiredService<IOptions<MediaGateway.Publishing.PublishingOptions>>().Value;
        Assert.Equal(40, options.DrainSeconds);
        Assert.Equal(TimeSpan.FromSeconds(60), app.Services.GetRequiredService<IOptions<Microsoft.Extensions.Hosting.HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public async Task AnOtlpEndpointThatIsNotAUrl_IsNamed()
    {
        var message = await StartFailureAsync("--Redis:ConnectionString=127.0.0.1:1", "--Operations:OtlpEndpoint=127.0.0.1");
        Assert.Contains("Operations:OtlpEndpoint", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductionMode_RefusesARedisWithoutAof()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mg-noaof-" + Guid.NewGuid().ToString("N"));
        await using var redis = await EmbeddedRedis.StartAsync(dir);
        using (var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            await admin.GetServers()[0].ConfigSetAsync("appendonly", "no");
        }

        Environment.SetEnvironmentVariable("MG_TEST_AUDIT_KEY", Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var message = await StartFailureAsync($"--Redis:ConnectionString={redis.ConnectionString}", "--Gateway:Mode=Production",
            "--Audit:KeyRef=env:MG_TEST_AUDIT_KEY"); // Production needs the audit key before it gets to Redis

        Assert.Contains("Redis:ConnectionString", message, StringComparison.Ordinal);
        Assert.Contains("appendonly", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableRedis_InDevelopment_StartsAndHealthzSays503()
    {
        await using var app = GatewayHost.Build([.. Demo, "--Redis:ConnectionString=127.0.0.1:1,connectTimeout=300"], new ConfigDirectory(RepoPaths.Config));
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient();
            // The workers keep retrying instead of stopping the host: it still answers after they have tried for a while.
            await Task.Delay(TimeSpan.FromSeconds(4));
            using var response = await client.GetAsync(address + "/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("\"reachable\":false", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.False(app.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
