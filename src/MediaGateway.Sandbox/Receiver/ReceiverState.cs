using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace MediaGateway.Sandbox.Receiver;

internal sealed class ReceiverState(WebhookReceiverOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _secrets = new(options.Secrets, StringComparer.Ordinal);
    private readonly Dictionary<string, List<ReceivedWebhook>> _received = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Status, int Remaining, int? RetryAfter, string? Location)> _responses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _hanging = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _waiting = new(StringComparer.Ordinal);

    public void Map(WebApplication app)
    {
        app.MapPost("/hooks/{name}", async (HttpContext ctx, string name) =>
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(ctx.RequestAborted);
            var headers = ctx.Request.Headers;
            var received = new ReceivedWebhook(
                name,
                Header(headers, "webhook-id"),
                Header(headers, "webhook-timestamp"),
                Header(headers, "webhook-signature"),
                body,
                Verify(name, body, headers),
                options.TimeProvider.GetUtcNow());
            var (status, retryAfter, location) = Record(received);
            if (HangingGate(name) is { } gate)
            {
                Waiting(name, +1);
                try
                {
                    await gate.WaitAsync(ctx.RequestAborted);
                }
                finally
                {
                    Waiting(name, -1);
                }
            }

            if (retryAfter is { } seconds) ctx.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (location is not null) ctx.Response.Headers.Location = location;
            return Results.StatusCode(status);
        });

        app.MapGet("/hooks/{name}/events", (string name) =>
        {
            var events = new JsonArray();
            foreach (var r in Received(name))
            {
                events.Add(new JsonObject
                {
                    ["name"] = r.Name,
                    ["webhookId"] = r.WebhookId,
                    ["timestamp"] = r.Timestamp,
                    ["signature"] = r.Signature,
                    ["signatureValid"] = r.SignatureValid,
                    ["receivedAt"] = r.ReceivedAt.ToString("O"),
                    ["body"] = ParseOrText(r.Body),
                });
            }

            return Results.Text(Json.Write(events), Json.ContentType);
        });

        app.MapPost("/hooks/{name}/respond", async (HttpContext ctx, string name) =>
        {
            var body = Json.TryParseObject(await Json.ReadBodyAsync(ctx.Request));
            var status = body is null ? null : Json.GetLong(body, "statusCode");
            if (status is null or < 100 or > 599)
            {
                return Results.BadRequest(new { error = "expected {\"statusCode\": 503, \"times\": 2, \"retryAfter\": 30, \"location\": \"http://…\"} (the last two optional)" });
            }

            var retryAfter = Json.GetLong(body!, "retryAfter");
            RespondWith(name, (int)status, (int)(Json.GetLong(body!, "times") ?? 1), retryAfter is null ? null : (int)retryAfter,
                body!["location"]?.GetValue<string>());
            return Results.NoContent();
        });
    }

    public IReadOnlyList<ReceivedWebhook> Received(string name)
    {
        lock (_gate)
        {
            return _received.TryGetValue(name, out var list) ? list.ToList() : [];
        }
    }

    public void SetSecret(string name, string secret)
    {
        lock (_gate)
        {
            _secrets[name] = secret;
        }
    }

    /// <summary>Requests to <paramref name="name"/> are recorded, then left unanswered until <see cref="Release"/>.</summary>
    public void Hang(string name)
    {
        lock (_gate)
        {
            _hanging.TryAdd(name, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    public void Release(string name)
    {
        lock (_gate)
        {
            if (_hanging.Remove(name, out var gate)) gate.TrySetResult();
        }
    }

    /// <summary>Requests to <paramref name="name"/> waiting for an answer now.</summary>
    public int WaitingCount(string name)
    {
        lock (_gate)
        {
            return _waiting.GetValueOrDefault(name);
        }
    }

    private Task? HangingGate(string name)
    {
        lock (_gate)
        {
            return _hanging.TryGetValue(name, out var gate) ? gate.Task : null;
        }
    }

    private void Waiting(string name, int change)
    {
        lock (_gate)
        {
            _waiting[name] = _waiting.GetValueOrDefault(name) + change;
        }
    }

    public void RespondWith(string name, int statusCode, int times, int? retryAfterSeconds = null, string? location = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        lock (_gate)
        {
            if (times <= 0)
            {
                _responses.Remove(name);
            }
            else
            {
                _responses[name] = (statusCode, times, retryAfterSeconds, location);
            }
        }
    }

    private (int Status, int? RetryAfter, string? Location) Record(ReceivedWebhook received)
    {
        lock (_gate)
        {
            if (!_received.TryGetValue(received.Name, out var list))
            {
                _received[received.Name] = list = [];
            }

            list.Add(received);
            if (_responses.TryGetValue(received.Name, out var planned))
            {
                if (planned.Remaining <= 1)
                {
                    _responses.Remove(received.Name);
                }
                else
                {
                    _responses[received.Name] = planned with { Remaining = planned.Remaining - 1 };
                }

                return (planned.Status, planned.RetryAfter, planned.Location);
            }

            return (StatusCodes.Status204NoContent, null, null);
        }
    }

    private bool Verify(string name, string body, IHeaderDictionary headers)
    {
        string? secret;
        lock (_gate)
        {
            _secrets.TryGetValue(name, out secret);
        }

        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }

        try
        {
            new StandardWebhook(secret).Verify(body, headers);
            return true;
        }
        catch (Exception e) when (e is WebhookVerificationException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var v) ? v.ToString() : null;

    private static JsonNode? ParseOrText(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return JsonValue.Create(body);
        }
    }
}
