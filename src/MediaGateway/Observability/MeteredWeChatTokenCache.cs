using MediaGateway.Platforms.WeChat;

namespace MediaGateway.Observability;

/// <summary>The Redis token cache, counting each freshly fetched token (a stored token is a refresh) for <c>mediagateway.token.refreshes</c>.</summary>
internal sealed class MeteredWeChatTokenCache(IWeChatTokenCache inner) : IWeChatTokenCache
{
    public Task<WeChatAccessToken?> GetAsync(string appId, CancellationToken cancellationToken) => inner.GetAsync(appId, cancellationToken);

    public async Task SetAsync(string appId, WeChatAccessToken token, CancellationToken cancellationToken)
    {
        await inner.SetAsync(appId, token, cancellationToken);
        GatewayMetrics.TokenRefreshed("WeChat", appId);
    }

    public Task InvalidateAsync(string appId, string token, CancellationToken cancellationToken) => inner.InvalidateAsync(appId, token, cancellationToken);

    public Task<IAsyncDisposable?> AcquireRefreshLockAsync(string appId, TimeSpan wait, CancellationToken cancellationToken) =>
        inner.AcquireRefreshLockAsync(appId, wait, cancellationToken);
}
