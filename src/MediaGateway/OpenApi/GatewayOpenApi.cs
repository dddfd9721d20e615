using MediaGateway.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MediaGateway.OpenApi;

/// <summary>
/// /openapi/v1.json is the API's contract (decision 27). What every endpoint shares is added here, from the endpoint's
/// metadata, rather than by hand on each endpoint: how to authenticate, and the answers any call may get —
/// 400 (a parameter or body that does not bind or validate), 401 (no or an unknown credential), 413/415 (a body too
/// large or of the wrong media type), 503 (the store is unreachable; not for endpoints marked WithoutStore). What only some endpoints answer (403, 404, 409,
/// 422) each endpoint declares itself with <c>ProducesProblem</c>. tests/…/Contract/ConformanceTests holds the
/// document to what the gateway really answers.
/// </summary>
internal static class GatewayOpenApi
{
    public const string ApiKeyScheme = "apiKey";
    public const string OidcScheme = "oidc";
    public const string ProblemJson = "application/problem+json";

    internal static void AddSecuritySchemes(OpenApiDocument document, OidcSettings? oidc)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "API key",
            Description = "An API key issued by an administrator (only its SHA-256 is configured), sent as 'Authorization: Bearer <key>'. "
                + "/ 管理员发放的 API 密钥，放在请求头 Authorization: Bearer <密钥> 中。",
        };
        if (oidc is not null)
        {
            document.Components.SecuritySchemes[OidcScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OpenIdConnect,
                OpenIdConnectUrl = new Uri(oidc.Authority.OriginalString.TrimEnd('/') + "/.well-known/openid-configuration"),
                Description = $"A JWT from the OpenID Connect issuer (audience '{oidc.Audience}'), sent as 'Authorization: Bearer <token>'; "
                    + $"its '{oidc.UserClaim}' claim names a configured user. The web console signs in this way. / 网页控制台通过 OIDC 登录。",
            };
        }
    }

    internal static async Task DeclareSharedAnswersAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, bool oidc, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var document = context.Document;
        operation.Responses ??= new OpenApiResponses();
        var problem = await ComponentAsync(typeof(ProblemDetails), context, ct);
        var validation = await ComponentAsync(typeof(HttpValidationProblemDetails), context, ct);

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        if (!anonymous)
        {
            // The fallback policy requires an authenticated caller on every endpoint that does not allow anonymous ones.
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] });
            if (oidc)
            {
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OidcScheme, document)] = [] });
            }

            Declare(operation, StatusCodes.Status401Unauthorized,
                "No credential, or one the gateway does not know; see WWW-Authenticate and the problem's detail. / 未提供或无效的凭据", problem);
        }

        if (operation.Parameters is { Count: > 0 } || operation.RequestBody is not null)
        {
            Declare(operation, StatusCodes.Status400BadRequest,
                "A parameter or field is invalid; 'errors' names each one and why (English / 中文).", validation);
        }

        if (operation.RequestBody is not null)
        {
            Declare(operation, StatusCodes.Status413PayloadTooLarge, "The request body is larger than the server accepts. / 请求体过大", problem);
            Declare(operation, StatusCodes.Status415UnsupportedMediaType,
                $"The body's Content-Type is not {string.Join(" or ", operation.RequestBody.Content?.Keys ?? [])}. / 请求体类型不受支持", problem);
        }

        if (!Hosting.StoreOutage.AnswersWithoutStore(metadata))
        {
            Declare(operation, StatusCodes.Status503ServiceUnavailable,
                "The store (Redis) cannot be reached (Retry-After says when to try again); 'outcome' says whether anything was saved. / 存储暂时不可用", problem);
            if (operation.Responses["503"] is OpenApiResponse outage)
            {
                outage.Headers ??= new Dictionary<string, IOpenApiHeader>();
                outage.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before trying again. / 建议的重试等待秒数",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                };
            }
        }

        // Problems an endpoint declared itself (ProducesProblem) get the same description style.
        foreach (var (status, response) in operation.Responses)
        {
            if (response is OpenApiResponse r && r.Content?.ContainsKey(ProblemJson) == true && string.IsNullOrEmpty(r.Description))
            {
                r.Description = status;
            }
        }
    }

    /// <summary>A reference to the type's schema under #/components/schemas, adding it there first if no endpoint did.</summary>
    private static async Task<IOpenApiSchema> ComponentAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, ct);
            document.AddComponent<IOpenApiSchema>(type.Name, schema);
        }

        return new OpenApiSchemaReference(type.Name, document);
    }

    private static void Declare(OpenApiOperation operation, int status, string description, IOpenApiSchema schema)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key)) return;
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = schema } },
        };
    }

    /// <summary>
    /// The gateway writes JSON without null members (Storage/Json: WhenWritingNull), so a nullable member may be
    /// absent: it is not "required", whatever its constructor says.
    /// </summary>
    internal static void OmittedNullsAreNotRequired(OpenApiSchema schema, System.Text.Json.Serialization.Metadata.JsonTypeInfo type)
    {
        if (schema.Required is not { Count: > 0 } required || schema.Properties is null) return;
        foreach (var (name, property) in schema.Properties)
        {
            if (AllowsNull(property)) required.Remove(name);
        }

        // A member of a referenced type (e.g. "global": PauseRecord?) does not show its nullability in the schema.
        foreach (var member in type.Properties.Where(p => p.IsGetNullable && (!p.PropertyType.IsValueType || Nullable.GetUnderlyingType(p.PropertyType) is not null)))
        {
            required.Remove(member.Name);
        }
    }

    private static bool AllowsNull(IOpenApiSchema schema) =>
        (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        || schema.OneOf?.Any(o => o.Type == JsonSchemaType.Null) == true
        || schema.AnyOf?.Any(o => o.Type == JsonSchemaType.Null) == true;
}

/// <summary>Endpoint metadata for the contract: the problems only this endpoint gives.</summary>
internal static class ContractMetadata
{
    /// <summary>Declares the problem+json answers (403, 404, 409, 422…) this endpoint gives besides the shared ones.</summary>
    public static RouteHandlerBuilder Refuses(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>The same for every endpoint of a group (a resource whose routes all refuse alike).</summary>
    public static RouteGroupBuilder Refuses(this RouteGroupBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
