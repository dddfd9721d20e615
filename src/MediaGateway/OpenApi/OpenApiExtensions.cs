using MediaGateway.Auth;
using MediaGateway.Hosting;

namespace MediaGateway.OpenApi;

/// <summary>Registers and maps /openapi/v1.json, the API's contract (decision 27; what it adds to each operation: <see cref="GatewayOpenApi"/>).</summary>
internal static class OpenApiExtensions
{
    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.FirstTime("OpenApi")) return services;
        var oidc = OidcSettings.Load(configuration);
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                GatewayOpenApi.AddSecuritySchemes(document, oidc);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, ct) => GatewayOpenApi.DeclareSharedAnswersAsync(operation, context, oidc is not null, ct));
            o.AddSchemaTransformer((schema, context, _) =>
            {
                GatewayOpenApi.OmittedNullsAreNotRequired(schema, context.JsonTypeInfo);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>The document is answered from memory, so also while the store is unreachable.</summary>
    public static WebApplication MapGatewayOpenApi(this WebApplication app)
    {
        app.MapOpenApi().WithoutStore();
        return app;
    }
}
