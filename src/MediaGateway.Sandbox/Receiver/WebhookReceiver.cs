using MediaGateway.Sandbox.Receiver;

namespace MediaGateway.Sandbox;

public sealed class WebhookReceiverOptions
{
    /// <summary>0 = an ephemeral port on 127.0.0.1.</summary>
    public int Port { get; set; }

    /// <summary>Receiver name → Standard Webhooks secret ("whsec_" + base64 key).</summary>
    public IDictionary<string, string> Secrets { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Stamps <see cref="ReceivedWebhook.ReceivedAt"/>. (Signature timestamps are checked on the wall clock by StandardWebhooks.)</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>One delivery as received: raw headers and body, and whether its signature verified.</summary>
public sealed record ReceivedWebhook(
    string Name, string? WebhookId, string? Timestamp, string? Signature, string Body, bool SignatureValid, DateTimeOffset ReceivedAt);

/// <summary>
/// A department's webhook endpoint: POST /hooks/{name} records the delivery and verifies its signature with the
/// StandardWebhooks package (independent of the gateway's signer), then answers 204 or the status set by
/// <see cref="RespondWith"/>. GET /hooks/{name}/events lists the deliveries; POST /hooks/{name}/respond
/// {statusCode, times} does what RespondWith does.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly SandboxHost _host;
    private readonly ReceiverState _state;

    private WebhookReceiver(SandboxHost host, ReceiverState state)
    {
        _host = host;
        _state = state;
    }

    public Uri BaseAddress => _host.BaseAddress;

    public static async Task<WebhookReceiver> StartAsync(WebhookReceiverOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var state = new ReceiverState(options);
        var host = await SandboxHost.StartAsync(options.Port, app => state.Map(app), cancellationToken);
        return new WebhookReceiver(host, state);
    }

    /// <summary>The URL to register for a receiver: {base}hooks/{name}.</summary>
    public Uri UrlFor(string name) => new(BaseAddress, "hooks/" + Uri.EscapeDataString(name));

    public IReadOnlyList<ReceivedWebhook> Received(string name) => _state.Received(name);

    /// <summary>Answers the next <paramref name="times"/> deliveries to <paramref name="name"/> with this status.</summary>
    public void RespondWith(string name, int statusCode, int times) => _state.RespondWith(name, statusCode, times);

    /// <summary>As <see cref="RespondWith(string, int, int)"/>, with a <c>Retry-After</c> (seconds) and/or a <c>Location</c> header.</summary>
    public void RespondWith(string name, int statusCode, int times, int? retryAfterSeconds, string? location = null) =>
        _state.RespondWith(name, statusCode, times, retryAfterSeconds, location);

    /// <summary>Sets (or replaces) the secret deliveries to <paramref name="name"/> are verified with, e.g. one just made through the API.</summary>
    public void SetSecret(string name, string secret) => _state.SetSecret(name, secret);

    /// <summary>From now on, requests to <paramref name="name"/> are recorded and then left unanswered until <see cref="Release"/>: a hanging endpoint.</summary>
    public void Hang(string name) => _state.Hang(name);

    /// <summary>Answers every request <see cref="Hang"/> held, and answers new ones at once again.</summary>
    public void Release(string name) => _state.Release(name);

    /// <summary>How many requests to <paramref name="name"/> are waiting for an answer right now.</summary>
    public int WaitingCount(string name) => _state.WaitingCount(name);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
