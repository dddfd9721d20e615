using System.Reflection;
using MediaGateway.Auth;
using MediaGateway.Hosting;
using Microsoft.AspNetCore.StaticFiles;

namespace MediaGateway.WebConsole;

/// <summary>
/// The web console under <c>/console</c>: static pages and ES modules embedded in the assembly (no build step,
/// nothing fetched from outside the gateway). The files are public; everything they show comes from the API with
/// the signed-in user's bearer token, so the browser can do nothing the API would refuse.
/// </summary>
internal static class ConsoleEndpoints
{
    public const string BasePath = "/console";
    private const string ResourcePrefix = "console/";

    /// <summary>
    /// Scripts only from the gateway; inline styles are allowed for the rendered article previews (no inline script).
    /// The browser may also reach the OpenID provider, when the console signs in there (discovery and token endpoint; decision 38).
    /// </summary>
    private static string ContentSecurityPolicy(string? provider) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + $"connect-src 'self'{(provider is null ? "" : " " + provider)}; frame-src 'self' blob: about:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapWebConsole(this IEndpointRouteBuilder routes)
    {
        routes.MapConsoleApi();
        routes.MapConsoleSignIn();
        var assembly = typeof(ConsoleEndpoints).Assembly;
        // "/console/{**path}" also matches "/console"; relative links need the slash, so that one is redirected.
        routes.MapGet(BasePath + "/{**path}", (string? path, HttpContext http) =>
                string.IsNullOrEmpty(path) && !http.Request.Path.Value!.EndsWith('/')
                    ? TypedResults.Redirect(BasePath + "/")
                    : Serve(assembly, string.IsNullOrEmpty(path) ? "index.html" : path, http))
            .AllowAnonymous().WithoutStore().ExcludeFromDescription();
        return routes;
    }

    private static IResult Serve(Assembly assembly, string path, HttpContext http)
    {
        // Only names the build embedded are served; ".." or absolute paths simply match nothing.
        var stream = assembly.GetManifestResourceStream(ResourcePrefix + path);
        if (stream is null)
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy(ConsoleSignIn.ProviderOrigin(http.RequestServices));
        var type = ContentTypes.TryGetContentType(path, out var known) ? known : "application/octet-stream";
        if (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal))
        {
            type += "; charset=utf-8";
        }

        return TypedResults.Stream(stream, type);
    }
}
