using MediaGateway.Hosting;
using MediaGateway.Storage;

namespace MediaGateway.Tests.Unit;

/// <summary>The gateway's Redis timeouts are defaults: the connection string may still set its own (issue 19).</summary>
public sealed class RedisConnectionTests
{
    [Fact]
    public void WithoutTimeoutsInTheConnectionString_TheGatewaysCommandTimeoutApplies()
    {
        // The embedded Redis's connection string, as the demo and the tests use it.
        var options = RedisConnection.Options(new RedisOptions { ConnectionString = "127.0.0.1:6390,abortConnect=false,allowAdmin=true" });
        Assert.Equal(2000, options.SyncTimeout);
        Assert.Equal(2000, options.AsyncTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.HeartbeatInterval);
        Assert.False(options.AbortOnConnectFail);
    }

    [Fact]
    public void TheConfiguredCommandTimeout_SetsBothTimeouts_AndAFasterHeartbeat()
    {
        var options = RedisConnection.Options(new RedisOptions { ConnectionString = "127.0.0.1:6390", CommandTimeoutMilliseconds = 2000 });
        Assert.Equal(2000, options.SyncTimeout);
        Assert.Equal(2000, options.AsyncTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.HeartbeatInterval);
    }

    [Fact]
    public void TimeoutsInTheConnectionString_Win()
    {
        var options = RedisConnection.Options(new RedisOptions { ConnectionString = "127.0.0.1:6390,syncTimeout=3000,asyncTimeout=4000" });
        Assert.Equal(3000, options.SyncTimeout);
        Assert.Equal(4000, options.AsyncTimeout);
    }
}
