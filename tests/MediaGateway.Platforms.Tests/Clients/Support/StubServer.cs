using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Platforms.Tests.Clients.Support;

/// <summary>One request as the stub received it.</summary>
internal sealed record StubRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? ContentType, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>A tiny Kestrel server on 127.0.0.1 answering canned responses, for transport behaviour the sandbox does not cover.</summary>
internal sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StubRequest> _requests;

    private StubServer(WebApplication app, ConcurrentQueue<StubRequest> requests, Uri baseAddress)
    {
        _app = app;
        _requests = requests;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IReadOnlyList<StubRequest> Requests => [.. _requests];

    public IEnumerable<StubRequest> RequestsTo(string path) => Requests.Where(r => r.Path == path);

    public static async Task<StubServer> StartAsync(Func<StubRequest, HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var requests = new ConcurrentQueue<StubRequest>();
        app.Run(async ctx =>
        {
            using var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body, ctx.RequestAborted);
            var request = new StubRequest(
                ctx.Request.Method,
                ctx.Request.Path.Value ?? string.Empty,
                ctx.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
                ctx.Request.ContentType,
                body.ToArray());
            requests.Enqueue(request);
            await handler(request, ctx);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new StubServer(app, requests, new Uri(address.TrimEnd('/') + "/"));
    }

    public static Task Json(HttpContext ctx, string json, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return ctx.Response.WriteAsync(json, ctx.RequestAborted);
    }

    /// <summary>A loopback address where nothing listens: connecting is refused.</summary>
    public static Uri ClosedPortAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
