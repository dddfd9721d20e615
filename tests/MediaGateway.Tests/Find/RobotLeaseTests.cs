using MediaGateway.Notifications;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Find;

/// <summary>
/// One gateway at a time sends for a robot (a lease in Redis). A send that outlasted its lease must not take notices off
/// the list once another gateway holds it: that one sends from the head of the list itself, and both removing their
/// count would drop notices nobody sent.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RobotLeaseTests(GatewayTestHost host)
{
    [Fact]
    public async Task A_sender_that_lost_its_lease_removes_nothing_and_the_holder_removes_what_it_sent()
    {
        var store = host.Services.GetRequiredService<NoticeStore>();
        var robot = "lease-test-" + Guid.NewGuid().ToString("N")[..8];
        var lease = TimeSpan.FromSeconds(30);
        IReadOnlyList<(string, Notice)> notices = [.. Enumerable.Range(1, 3).Select(i => (robot, new Notice($"第 {i} 条", DateTimeOffset.UnixEpoch)))];
        await store.RecordAsync("lease-test-stream", "none", ["0-1"], notices, []); // an entry id to acknowledge (no such group: XACK answers 0)
        Assert.True(await store.LeaseRobotAsync(robot, "gateway-a", lease));
        Assert.False(await store.LeaseRobotAsync(robot, "gateway-b", lease)); // a holds it

        await store.ReleaseRobotAsync(robot, "gateway-a"); // as if a's lease ran out during a slow send
        Assert.True(await store.LeaseRobotAsync(robot, "gateway-b", lease));

        Assert.False(await store.QueueFor(robot, "gateway-a", lease).RemoveAsync(1));
        Assert.Equal(3, await store.RobotPendingCountAsync(robot));
        Assert.True(await store.QueueFor(robot, "gateway-b", lease).RemoveAsync(1));
        Assert.Equal(["第 2 条", "第 3 条"], (await store.RobotPendingAsync(robot, 10)).Select(n => n.Line));
    }
}
