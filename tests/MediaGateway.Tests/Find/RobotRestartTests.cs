using MediaGateway.Notifications;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Find;

/// <summary>A gateway of its own: these tests restart it.</summary>
public sealed class RobotRestartHost : GatewayTestHost;

/// <summary>
/// Issue 21: a robot notice waiting to be sent survives a restart of the gateway and is sent once after it — not lost
/// (as while pending notices were held in memory) and not doubled. The WeCom robot sandbox refuses for its rate (45009)
/// so the notice stays pending; the gateway is stopped and started again on the same Redis; the robot then takes it.
/// </summary>
public sealed class RobotRestartTests(RobotRestartHost host) : IClassFixture<RobotRestartHost>
{
    private const string Robot = "city-info-review-wecom";

    [Fact]
    public async Task A_notice_pending_when_the_gateway_restarts_is_sent_once_after_it()
    {
        var title = TestData.Unique("重启提醒");
        host.Robots.Fail(GatewayTestHost.WeComRobotKey, 45009, 1000); // "api freq out of limit": the minute is spent, the notice waits
        var refusedBefore = host.Robots.Refused;
        using (var op = host.Client(GatewayTestHost.OperatorToken))
        {
            var cover = await TestData.UploadCoverAsync(op);
            await TestData.SubmitAsync(op, TestData.Article(cover, title, ["wx-city"]));
        }

        // The robot was tried with the notice and refused it: it is pending, held until the minute is over.
        await TestData.Eventually(() => host.Robots.Refused > refusedBefore, "the robot is tried and refuses", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(host.Robots.Received(GatewayTestHost.WeComRobotKey), m => m.Text.Contains(title, StringComparison.Ordinal));

        await host.RestartGatewayAsync(() =>
        {
            host.Robots.Fail(GatewayTestHost.WeComRobotKey, 45009, 0); // the robot takes messages again
            return Task.CompletedTask;
        });

        await TestData.Eventually(() => host.Robots.Received(GatewayTestHost.WeComRobotKey).Any(m => m.Text.Contains(title, StringComparison.Ordinal)),
            "the pending notice is sent after the restart", TimeSpan.FromSeconds(60));
        var store = host.Services.GetRequiredService<NoticeStore>();
        await TestData.Eventually(async () => await store.RobotPendingCountAsync(Robot) == 0, "nothing left to send", TimeSpan.FromSeconds(60));
        Assert.Single(host.Robots.Received(GatewayTestHost.WeComRobotKey), m => m.Text.Contains(title, StringComparison.Ordinal));
    }
}
