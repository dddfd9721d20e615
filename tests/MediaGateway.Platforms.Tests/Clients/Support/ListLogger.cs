using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Platforms.Tests.Clients.Support;

/// <summary>Keeps every formatted log line so tests can prove that no secret was logged.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public string AllText => string.Join('\n', _lines);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{logLevel} {eventId.Id} {formatter(state, exception)}";
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            line += " | " + string.Join(", ", values.Select(kv => $"{kv.Key}={kv.Value}"));
        }

        _lines.Enqueue(exception is null ? line : line + " | " + exception);
    }
}
