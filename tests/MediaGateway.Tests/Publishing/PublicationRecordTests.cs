using System.Text;
using MediaGateway.Platforms;
using MediaGateway.Publishing;
using MediaGateway.Storage;

namespace MediaGateway.Tests.Publishing;

/// <summary>
/// The stored publication record is compact (computed values and defaults are left out), and every record written in the
/// earlier, fuller format still reads as the same publication.
/// </summary>
public sealed class PublicationRecordTests
{
    // A queued publication exactly as the gateway stored it before the compact format (taken from Redis).
    private const string OldQueued = """
        {"id":"c01a2529d23e37c479639e7784b7cb165.r1.wb-b109","contentId":"c01a2529d23e37c479639e7784b7cb165","revision":1,"accountId":"wb-b109","platform":"weibo","approvedFingerprint":"sha256:80d7979564935bb13d1acbbb07587b6dc5319a668dec5d44226e188035da8f70","state":"scheduled","createdAt":"2026-12-07T22:26:00.4304481+00:00","dueAt":"2026-12-08T22:25:49.302802+00:00","attempts":0,"lane":"routine","scheduledFor":"2026-12-08T22:25:49.302802+00:00","bodyImageUrls":{},"outcomePolls":0,"retractAttempts":0,"history":[{"at":"2026-12-07T22:26:00.4304481+00:00","note":"scheduled for 2026-12-08T22:25:49.3028020+00:00"}],"canRedrive":false,"isFinal":false,"needsWork":true,"untouched":true}
        """;

    // An old-format WeChat record in the middle of its steps, with every counter and the body images set.
    private const string OldInProgress = """
        {"id":"c1.r2.wx-city","contentId":"c1","revision":2,"accountId":"wx-city","platform":"weChat","approvedFingerprint":"sha256:ab","state":"queued","createdAt":"2026-12-07T22:26:00+00:00","attempts":2,"lane":"emergency","bodyImageUrls":{"media:m1":"http://mmbiz/1"},"coverMediaId":"cover-1","draftMediaId":"draft-1","outcomePolls":3,"retractAttempts":1,"history":[],"canRedrive":false,"isFinal":false,"needsWork":true,"untouched":false}
        """;

    [Fact]
    public void AQueuedRecordOfTheOldFormat_ReadsAsTheSamePublication_AndIsStoredInFewerBytes()
    {
        var p = Json.Deserialize<Publication>(OldQueued);

        Assert.Equal("c01a2529d23e37c479639e7784b7cb165.r1.wb-b109", p.Id);
        Assert.Equal(Platform.Weibo, p.Platform);
        Assert.Equal(PublicationState.Scheduled, p.State);
        Assert.Equal(PublishLane.Routine, p.Lane);
        Assert.Empty(p.BodyImageUrls);
        Assert.True(p.NeedsWork);
        Assert.True(p.Untouched);
        Assert.Equal(DateTimeOffset.Parse("2026-12-08T22:25:49.302802+00:00", System.Globalization.CultureInfo.InvariantCulture), p.DueAt);
        Assert.Single(p.History);

        var compact = Json.SerializeUtf8(p);
        var text = Encoding.UTF8.GetString(compact);
        foreach (var left in new[] { "canRedrive", "isFinal", "needsWork", "untouched", "attempts", "lane", "bodyImageUrls", "outcomePolls", "retractAttempts" })
        {
            Assert.DoesNotContain($"\"{left}\"", text, StringComparison.Ordinal);
        }

        Assert.True(compact.Length < Encoding.UTF8.GetByteCount(OldQueued.Trim()) - 150, $"{compact.Length} bytes");
        var again = Json.DeserializeUtf8<Publication>(compact);
        Assert.Equal(p with { BodyImageUrls = again.BodyImageUrls, History = again.History }, again);
        Assert.Equal(p.History, again.History);
    }

    [Fact]
    public void ARecordWithCountersLaneAndImages_KeepsThemThroughTheCompactFormat()
    {
        var p = Json.Deserialize<Publication>(OldInProgress);
        Assert.Equal((2, 3, 1, PublishLane.Emergency), (p.Attempts, p.OutcomePolls, p.RetractAttempts, p.Lane));
        Assert.Equal("http://mmbiz/1", p.BodyImageUrls["media:m1"]);
        Assert.False(p.Untouched);

        var again = Json.DeserializeUtf8<Publication>(Json.SerializeUtf8(p));
        Assert.Equal((2, 3, 1, PublishLane.Emergency), (again.Attempts, again.OutcomePolls, again.RetractAttempts, again.Lane));
        Assert.Equal(p.BodyImageUrls, again.BodyImageUrls);
        Assert.Equal(("cover-1", "draft-1"), (again.CoverMediaId, again.DraftMediaId));
        Assert.Equal(p with { BodyImageUrls = again.BodyImageUrls, History = again.History }, again);
    }
}
