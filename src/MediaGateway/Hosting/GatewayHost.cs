using MediaGateway.Accounts;
using MediaGateway.Audit;
using MediaGateway.Auth;
using MediaGateway.Calendar;
using MediaGateway.Content;
using MediaGateway.Deadlines;
using MediaGateway.Health;
using MediaGateway.Notifications;
using MediaGateway.Observability;
using MediaGateway.OpenApi;
using MediaGateway.Publishing;
using MediaGateway.Reload;
using MediaGateway.Reports;
using MediaGateway.Scheduling;
using MediaGateway.Review;
using MediaGateway.Storage;
using MediaGateway.Webhooks;
using MediaGateway.WebConsole;
using Microsoft.Extensions.Configuration.Json;

namespace MediaGateway.Hosting;

/// <summary>
/// The composition root: configuration, then each feature's services (<c>AddX</c> in the feature's
/// <c>XExtensions.cs</c>), then each feature's endpoints (<c>MapX</c>). Registrations are <c>TryAdd*</c>, so the
/// <c>AddX</c> calls may come in any order and twice without registering anything twice; the one order that matters,
/// that of the background services, is decided in <see cref="StartOrder"/> (decision 32).
/// </summary>
internal static class GatewayHost
{
    /// <summary>Builds the gateway. Configuration comes from the config directory, then environment variables, then the command line.</summary>
    /// <param name="clock">The clock every part of the gateway reads (default: the system's); a test may move it.</param>
    public static WebApplication Build(string[] args, ConfigDirectory configDirectory, TimeProvider? clock = null)
    {
        var builder = CreateBuilder(args, configDirectory);
        builder.Services.AddGateway(builder.Configuration, configDirectory, clock);
        StartOrder.Apply(builder.Services);

        var app = builder.Build();
        app.UseApiConventions();
        app.MapGatewayOpenApi();
        app.MapHealthApi();
        app.MapObservability();
        app.MapReloadApi();
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
        api.MapScheduling();
        api.MapNotificationsApi();
        app.MapWeChatCallbackApi();
        api.MapWebConsole();
        return app;
    }

    /// <summary>A web application builder with the gateway's configuration loaded (nothing registered yet).</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, ConfigDirectory configDirectory)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args, ContentRootPath = Directory.GetParent(configDirectory.Path)!.FullName,
        });
        LoadConfiguration(builder.Configuration, configDirectory, builder.Environment.EnvironmentName);
        return builder;
    }

    /// <summary>Every feature's services. Options are validated at start (<c>ValidateOnStart</c>, cross-checks as <c>IValidateOptions</c>); the organisation's files are checked now.</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration, ConfigDirectory configDirectory,
        TimeProvider? clock = null)
    {
        // The organisation: loaded now so that a bad file stops the start with its key named; the features that check
        // their own settings against it (users, webhook scopes) are handed it.
        var departments = DepartmentDirectory.Load(configuration);
        var accounts = AccountRegistry.Load(configuration, departments, configDirectory);

        services.AddGatewayBasics(configuration, configDirectory, clock);
        services.AddApiConventions();
        services.AddGatewayOpenApi(configuration);
        services.AddAuth(configuration, departments);
        services.AddStorage(configuration);
        services.AddAccounts(departments, accounts);
        services.AddAudit(configuration, configDirectory);
        services.AddContent(configuration);
        services.AddReview();
        services.AddPublishing(configuration);
        services.AddWebhooks(configuration, departments, accounts, configDirectory);
        services.AddNotifications(configuration);
        services.AddCalendar(configuration, configDirectory);
        services.AddDeadlines(configuration);
        services.AddScheduling();
        services.AddReports();
        services.AddObservability(configuration);
        services.AddConfigReload();
        services.AddWebConsole();
        services.AddSandboxes(configuration);
        return services;
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
}
