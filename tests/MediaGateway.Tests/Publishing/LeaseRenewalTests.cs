using MediaGateway.Sandbox;
using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Publishing;

/// <summary>A gateway whose lease (3 s) is shorter than a whole WeChat publication, though longer than one call (timeout 2 s).</summary>
public sealed class ShortLeaseGatewayHost() : GatewayTestHost(
[
    "--Publishing:LeaseSeconds=3", "--Platforms:WeChat:TimeoutSeconds=2", "--Platforms:Weibo:TimeoutSeconds=2",
]);

[CollectionDefinition(Name)]
public sealed class ShortLeaseCollection : ICollectionFixture<ShortLeaseGatewayHost>
{
    public const string Name = "short-lease";
}

/// <summary>
/// Reliability promise 2: a worker renews its lease before every platform call, so a publication that takes
/// longer than the lease is not reclaimed by another worker while a send is still in flight.
/// </summary>
[Collection(ShortLeaseCollection.Name)]
public sealed class LeaseRenewalTests(ShortLeaseGatewayHost host)
{
    [Fact]
    public async Task ASendSpanningTheLeaseEnd_IsNotTakenOverByAnotherWorker()
    {
        // 1.5 s before the send marker is stored, then a 1.9 s submit: the 3 s lease would end during the send.
        // Without renewal another worker reclaims the entry, finds the marker and goes looking for the article on the
        // platform while it is being published; the first worker's result then lands over a concurrent change.
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/material/add_material", Delay = TimeSpan.FromMilliseconds(1500), Times = 1 });
        host.WeChat.Faults.Add(new SandboxFault { Path = "/cgi-bin/freepublish/submit", Delay = TimeSpan.FromMilliseconds(1900), Times = 1 });

        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var title = TestData.Unique("长任务");
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, title, ["wx-city"])))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);

        var pub = TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wx-city");
        Assert.Equal("published", pub["state"]!.GetValue<string>());
        Assert.Single(host.WeChat.PublishedArticles, a => a.Title == title);
        var notes = pub["history"]!.AsArray().Select(h => h!["note"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(notes, n => n.StartsWith("failed", StringComparison.Ordinal));
        Assert.Single(notes, n => n.StartsWith("submitted", StringComparison.Ordinal));
        Assert.DoesNotContain(notes, n => n.StartsWith("outcome unknown", StringComparison.Ordinal) || n.Contains("concurrent change", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Receiver.Received(GatewayTestHost.ReceiverName),
            r => r.Body.Contains(id, StringComparison.Ordinal) && r.Body.Contains("\"publication.failed\"", StringComparison.Ordinal));
    }
}
