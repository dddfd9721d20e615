using System.Collections.Concurrent;
using MediaGateway.Platforms.WeChat;

namespace MediaGateway.Platforms.Tests.Clients.Support;

/// <summary>A thread-safe stand-in for the host's Redis token cache, counting what the client does with it.</summary>
internal sealed class InMemoryTokenCache : IWeChatTokenCache
{
    private readonly ConcurrentDictionary<string, WeChatAccessToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private int _gets;
    private int _sets;
    private int _invalidations;
    private int _lockRequests;

    /// <summary>False: every lock request times out (another instance holds it).</summary>
    public bool LockAvailable { get; set; } = true;

    /// <summary>Runs when a lock request times out, before null is returned (e.g. "the other instance stored a token").</summary>
    public Action? OnLockTimeout { get; set; }

    public int Gets => Volatile.Read(ref _gets);

    public int Sets => Volatile.Read(ref _sets);

    public int Invalidations => Volatile.Read(ref _invalidations);

    public int LockRequests => Volatile.Read(ref _lockRequests);

    public WeChatAccessToken? Peek(string appId) => _tokens.TryGetValue(appId, out var token) ? token : null;

    public void Put(string appId, WeChatAccessToken token) => _tokens[appId] = token;

    public Task<WeChatAccessToken?> GetAsync(string appId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _gets);
        return Task.FromResult(Peek(appId));
    }

    public Task SetAsync(string appId, WeChatAccessToken token, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sets);
        _tokens[appId] = token;
        return Task.CompletedTask;
    }

    public Task InvalidateAsync(string appId, string token, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _invalidations);
        // Only the token the platform refused: a newer one stored meanwhile stays.
        if (_tokens.TryGetValue(appId, out var current) && current.Token == token)
        {
            _tokens.TryRemove(new KeyValuePair<string, WeChatAccessToken>(appId, current));
        }

        return Task.CompletedTask;
    }

    public async Task<IAsyncDisposable?> AcquireRefreshLockAsync(string appId, TimeSpan wait, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lockRequests);
        if (!LockAvailable)
        {
            OnLockTimeout?.Invoke();
            return null;
        }

        var gate = _locks.GetOrAdd(appId, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(wait, cancellationToken).ConfigureAwait(false))
        {
            OnLockTimeout?.Invoke();
            return null;
        }

        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
