using MediaGateway.Accounts;
using MediaGateway.Audit;
using MediaGateway.Auth;
using MediaGateway.Calendar;
using MediaGateway.Content;
using MediaGateway.Deadlines;
using MediaGateway.Health;
using MediaGateway.Observability;
using MediaGateway.OpenApi;
using MediaGateway.Platforms.WeChat;
using MediaGateway.Platforms.Weibo;
using MediaGateway.Publishing;
using MediaGateway.Reports;
using MediaGateway.Review;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using MediaGateway.WebConsole;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MediaGateway.Hosting;

/// <summary>The composition root: configuration, services per feature, endpoints per feature.</summary>
internal static class GatewayHost
{
    /// <summary>Builds the gateway. Configuration comes from the config directory, then environment variables, then the command line.</summary>
    /// <param name="clock">The clock every part of the gateway reads (default: the system's); a test may move it.</param>
    public static WebApplication Build(string[] args, ConfigDirectory configDirectory, TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args, ContentRootPath = Directory.GetParent(configDirectory.Path)!.FullName,
        });
        LoadConfiguration(builder.Configuration, configDirectory, builder.Environment.EnvironmentName);

        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSingleton(configDirectory);
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddValidatedOptions<GatewayOptions>(configuration, GatewayOptions.Section);
        services.AddValidatedOptions<RedisOptions>(configuration, RedisOptions.Section);
        services.AddValidatedOptions<PlatformsOptions>(configuration, PlatformsOptions.Section);
        services.AddValidatedOptions<PublishingOptions>(configuration, PublishingOptions.Section);
        services.AddValidatedOptions<RulesOptions>(configuration, RulesOptions.Section);
        services.AddValidatedOptions<SandboxOptions>(configuration, SandboxOptions.Section);
        services.AddValidatedOptions<WebhookOptions>(configuration, WebhookOptions.Section);

        CheckLeaseCoversOneCall(configuration);
        CheckDrainFitsShutdown(configuration);

        // The organisation: loaded now so that a bad file stops the start with its key named.
        var departments = DepartmentDirectory.Load(configuration);
        var accounts = AccountRegistry.Load(configuration, departments, configDirectory);
        services.AddSingleton(departments);
        services.AddSingleton(accounts);
        services.AddSingleton(UserDirectory.Load(configuration, departments));

        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.FillDetail);
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<StoreOutage.Handler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions, enumsByNameOnly: true));
        services.AddGatewayOpenApi(configuration);
        services.AddGatewayAuthentication(configuration);
        // Every endpoint needs an authenticated caller unless it says otherwise (only /healthz does).
        services.AddAuthorizationBuilder().SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser().Build());

        services.AddRedis();
        services.AddAudit(configuration, configDirectory); // before the event processor: its checkpoint at stop comes after the last append
        services.AddContent();
        services.AddPublishing();
        services.AddWebhooks(configuration, departments, accounts, configDirectory);
        services.AddDeadlines(configuration, configDirectory);
        services.AddReports();
        services.AddOperations(configuration); // after publishing and webhooks: it wraps the token cache and the webhook client
        services.AddWebConsole();
        services.AddHostedService<RuleListAudit>();
        services.AddSingleton(sp => new SignOffSheet(sp.GetRequiredService<ConfigDirectory>()
            .Resolve(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.TemplatesDirectory),
            sp.GetRequiredService<AccountRegistry>(), sp.GetRequiredService<UserDirectory>(),
            sp.GetRequiredService<DepartmentDirectory>(), sp.GetRequiredService<TimeProvider>()));
        if (configuration.GetValue<bool>("Sandbox:Enabled"))
        {
            // Registered before the workers, so the simulators listen before the first platform call.
            services.AddSingleton<EmbeddedSandboxes>();
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<EmbeddedSandboxes>()));
        }

        services.AddHostedService<StartupBanner>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseStoreOutageGate();
        app.MapOpenApi().WithoutStore();
        app.MapHealthApi();
        app.MapOperations();
        // Every text a person sends passes text hygiene before a handler runs (decision 25).
        var api = app.MapGroup("").AddEndpointFilterFactory(TextHygieneFilter.Create);
        api.MapAccountsApi();
        api.MapContentApi();
        api.MapReviewApi();
        api.MapPublishingApi();
        api.MapWebhooksApi();
        api.MapAuditApi();
        api.MapReportsApi();
        api.MapCalendarApi();
        app.MapWeChatCallbackApi();
        api.MapWebConsole();
        return app;
    }

    /// <summary>A worker renews its lease before each platform call, so one call (up to its timeout) must fit inside the lease.</summary>
    private static void CheckLeaseCoversOneCall(IConfiguration configuration)
    {
        var lease = configuration.GetValue("Publishing:LeaseSeconds", new PublishingOptions().LeaseSeconds);
        var timeout = Math.Max(configuration.GetValue("Platforms:WeChat:TimeoutSeconds", 15), configuration.GetValue("Platforms:Weibo:TimeoutSeconds", 15));
        if (lease <= timeout)
        {
            throw new ConfigurationException("Publishing:LeaseSeconds",
                $"must be longer than the platform timeout ({timeout} s): one platform call has to fit inside a worker's lease");
        }
    }

    /// <summary>On stop the host waits ShutdownTimeout for the workers; a drain longer than that would be cut off unsaved.</summary>
    private static void CheckDrainFitsShutdown(IConfiguration configuration)
    {
        var drain = configuration.GetValue("Publishing:DrainSeconds", new PublishingOptions().DrainSeconds);
        var shutdown = configuration.GetValue("Operations:ShutdownTimeoutSeconds", 30);
        if (drain >= shutdown)
        {
            throw new ConfigurationException("Publishing:DrainSeconds",
                $"must be shorter than Operations:ShutdownTimeoutSeconds ({shutdown} s): the host stops waiting for the workers after that");
        }
    }

    private static void LoadConfiguration(ConfigurationManager configuration, ConfigDirectory configDirectory, string environment)
    {
        // Our files go first, so environment variables and the command line still override them.
        var position = 0;
        void Insert(string relative, bool optional)
        {
            var source = new JsonConfigurationSource { Path = configDirectory.Resolve(relative), Optional = optional };
            source.ResolveFileProvider();
            configuration.Sources.Insert(position++, source);
        }

        Insert("appsettings.json", optional: false);
        Insert($"appsettings.{environment}.json", optional: true);
        foreach (var include in configuration.GetSection("Gateway:IncludeFiles").Get<string[]>() ?? [])
        {
            if (!File.Exists(configDirectory.Resolve(include)))
            {
                throw new ConfigurationException("Gateway:IncludeFiles", $"'{include}' does not exist in {configDirectory.Path}");
            }

            Insert(include, optional: false);
        }
    }

    private static IServiceCollection AddRedis(this IServiceCollection services)
    {
        services.AddSingleton<IConnectionMultiplexer>(sp =>
            ConnectionMultiplexer.Connect(RedisConnection.Options(sp.GetRequiredService<IOptions<RedisOptions>>().Value)));
        services.AddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
        services.AddSingleton<StreamPoller>();
        services.AddSingleton<RedisProbe>();
        services.AddHostedService<PersistenceGuard>();
        return services;
    }

    private static IServiceCollection AddContent(this IServiceCollection services)
    {
        services.AddSingleton<MediaStore>();
        services.AddSingleton<ContentStore>();
        services.AddSingleton<RuleSetProvider>();
        services.AddSingleton(sp => new ContentRenderer(sp.GetRequiredService<ConfigDirectory>()
            .Resolve(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.TemplatesDirectory)));
        services.AddSingleton<ContentSubmission>();
        services.AddSingleton<ReviewWorkflow>();
        services.AddSingleton<ContentWithdrawal>();
        services.AddSingleton<RetractionWorkflow>();
        services.AddSingleton<EventFactory>();
        return services;
    }

    private static IServiceCollection AddPublishing(this IServiceCollection services)
    {
        services.AddSingleton<AccountStore>();
        services.AddHostedService<AccountStateSync>(); // before the workers: seeded state is applied first
        services.AddSingleton<AccountLifecycle>();
        services.AddSingleton<IWeChatTokenCache, RedisWeChatTokenCache>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<PlatformsOptions>>().Value.WeChat;
            var clientOptions = new WeChatClientOptions
            {
                BaseUrl = o.BaseUrl, Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds), LocalTokenHold = TimeSpan.FromSeconds(o.TokenHoldSeconds),
            };
            return new WeChatClient(clientOptions,
                sp.GetRequiredService<IWeChatTokenCache>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WeChatClient>>());
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<PlatformsOptions>>().Value.Weibo;
            return new WeiboClient(new WeiboClientOptions { BaseUrl = o.BaseUrl, Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds) },
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WeiboClient>>());
        });
        services.AddSingleton<PublicationStore>();
        services.AddSingleton<PublishQueue>();
        services.AddSingleton<PublicationMedia>();
        services.AddSingleton<PublishingControl>();
        services.AddSingleton<DeadLetters>();
        services.AddSingleton<PublicationOutcomes>();
        services.AddSingleton<IPlatformPublisher, WeChatPublisher>();
        services.AddSingleton<IPlatformPublisher, WeiboPublisher>();
        services.AddSingleton<PostOwnership>();
        services.AddSingleton<WeChatMassSlots>();
        services.AddSingleton<WeChatPushStore>();
        services.AddSingleton<StepInputReader>();
        services.AddSingleton<PublicationProcessor>();
        services.AddHostedService<WeChatTokenKeeper>(); // before the workers: tokens are fetched while they start
        services.AddHostedService<PublishWorker>();
        services.AddHostedService<WeiboTokenWatcher>();
        return services;
    }
}
