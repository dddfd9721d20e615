using System.Collections.Concurrent;
using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Not "MediaGateway.Tests.Auth": GatewayTestHost writes Auth.UserDirectory, which that namespace would capture.
namespace MediaGateway.Tests.Authentication;

/// <summary>
/// The gateway of <see cref="GatewayTestHost"/> with JWT authentication on: a local OpenID Connect issuer
/// (<see cref="OidcIssuer"/>) is the authority. The issuer starts first, since its address is part of the gateway's
/// configuration. Every log line the gateway writes, at every level, is kept in <see cref="Logs"/>.
/// </summary>
public sealed class OidcGatewayTestHost : GatewayTestHost, IAsyncLifetime
{
    public const string Audience = "media-gateway-tests";
    public const string FirstReviewGroup = "city-news-first-review";

    public OidcGatewayTestHost() : this(StartIssuer())
    {
    }

    private OidcGatewayTestHost(OidcIssuer issuer) : base(
    [
        $"--Auth:Oidc:Authority={issuer.Issuer}",
        $"--Auth:Oidc:Audience={Audience}",
        "--Auth:Oidc:RequireHttpsMetadata=false",
        // A person with no entry in Users but in this group is a 初审 reviewer of city-news-team.
        $"--Auth:Oidc:Groups:{FirstReviewGroup}:Department=city-news-team",
        $"--Auth:Oidc:Groups:{FirstReviewGroup}:Roles:0=Reviewer",
        $"--Auth:Oidc:Groups:{FirstReviewGroup}:ReviewLevel=1",
        // Everything is logged (to Logs), so a test can prove no token ever reaches a log; the console stays quiet.
        "--Logging:LogLevel:Default=Trace",
        "--Logging:LogLevel:Microsoft=Trace",
        "--Logging:LogLevel:Microsoft.AspNetCore=Trace",
        "--Logging:Console:LogLevel:Default=Warning",
    ]) => Issuer = issuer;

    public OidcIssuer Issuer { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>A token for <paramref name="subject"/> from the configured issuer, for the gateway, valid for an hour.</summary>
    public string Token(string subject, IDictionary<string, object>? extraClaims = null) =>
        Issuer.IssueToken(subject, Audience, TimeSpan.FromHours(1), extraClaims);

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Issuer.DisposeAsync();
    }

    // The base class takes its arguments in its constructor, so the issuer (whose port is ephemeral) starts here,
    // once per collection and before any gateway thread runs: the only blocking wait the tests allow.
#pragma warning disable RS0030
    private static OidcIssuer StartIssuer() => Task.Run(() => OidcIssuer.StartAsync(new OidcIssuerOptions())).GetAwaiter().GetResult();
#pragma warning restore RS0030
}

[CollectionDefinition(Name)]
public sealed class OidcGatewayCollection : ICollectionFixture<OidcGatewayTestHost>
{
    public const string Name = "gateway-oidc";
}

/// <summary>Keeps every formatted log message and exception the gateway writes.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
