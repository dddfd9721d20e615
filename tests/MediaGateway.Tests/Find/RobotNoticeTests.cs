using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Find;

/// <summary>
/// The robots end to end: an item submitted in the gateway reaches the review group's WeCom robot (the sandbox checks
/// the wire format) as a Chinese notice naming the item and the level, once. This failed while the notifier read the event stream, which the webhook fan-out trims as
/// it goes: its consumer group never saw an entry. It follows the audit chain now.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RobotNoticeTests(GatewayTestHost host)
{
    [Fact]
    public async Task A_submitted_item_reaches_the_review_groups_robot_once()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("机器人提醒");
        await TestData.SubmitAsync(op, TestData.Article(cover, title, ["wx-city"]));

        await TestData.Eventually(() => host.Robots.Received(GatewayTestHost.WeComRobotKey).Any(m => m.Text.Contains(title, StringComparison.Ordinal)),
            "the review group's robot is told", TimeSpan.FromSeconds(60));
        var told = host.Robots.Received(GatewayTestHost.WeComRobotKey).Where(m => m.Text.Contains(title, StringComparison.Ordinal)).ToList();
        var notice = Assert.Single(told);
        Assert.Contains("等待第 1 级审核", notice.Text, StringComparison.Ordinal);
    }
}
