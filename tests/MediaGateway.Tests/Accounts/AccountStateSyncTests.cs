using MediaGateway.Accounts;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediaGateway.Tests.Accounts;

/// <summary>
/// The periodic sync with Redis replaces an account only when its stored state changed: what the worker keeps per
/// account (decision 19) is tied to the account object, and replacing it every few seconds would throw that away.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class AccountStateSyncTests(GatewayTestHost host)
{
    [Fact]
    public async Task AnUnchangedState_KeepsTheAccountObject_AcrossRefreshes()
    {
        var registry = host.Services.GetRequiredService<AccountRegistry>();
        var before = registry.Find("wx-city");
        Assert.NotNull(before);

        // Two refreshes, each over when StartAsync returns (a sync starts by refreshing). On a clock that only moves when
        // told, the periodic ones never come, so the refreshes counted are exactly these two.
        for (var refresh = 0; refresh < 2; refresh++)
        {
            using var sync = ActivatorUtilities.CreateInstance<AccountStateSync>(host.Services, new FakeTimeProvider(DateTimeOffset.UtcNow));
            await sync.StartAsync(CancellationToken.None);
            await sync.StopAsync(CancellationToken.None);
        }

        Assert.Same(before, registry.Find("wx-city"));
    }

    [Fact]
    public void AStoredStateApplied_IsAppliedAgainOnlyWhenItDiffers_OrAfterAnotherChange()
    {
        var registry = host.Services.GetRequiredService<AccountRegistry>();
        var state = AccountState.From(registry.Find("wb-city")!, DateTimeOffset.UtcNow);
        var json = MediaGateway.Storage.Json.Serialize(state);

        registry.ApplyStored("wb-city", json);
        var applied = registry.Find("wb-city");
        registry.ApplyStored("wb-city", json);
        Assert.Same(applied, registry.Find("wb-city"));

        // A change applied another way (the API on this instance) makes the next stored state count again.
        registry.Apply("wb-city", state);
        var changed = registry.Find("wb-city");
        Assert.NotSame(applied, changed);
        registry.ApplyStored("wb-city", json);
        Assert.NotSame(changed, registry.Find("wb-city"));
    }
}
