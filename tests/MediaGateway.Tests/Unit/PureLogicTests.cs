using System.Text.Json.Nodes;
using MediaGateway.Accounts;
using MediaGateway.Content;
using MediaGateway.Hosting;
using MediaGateway.Tests.Infrastructure;
using MediaGateway.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace MediaGateway.Tests.Unit;

public sealed class LinkAllowListTests
{
    [Theory]
    [InlineData("https://www.example.gov.cn/a", true)]
    [InlineData("https://news.www.example.gov.cn/a", true)]
    [InlineData("https://WWW.EXAMPLE.GOV.CN/a", true)]
    [InlineData("https://evilwww.example.gov.cn/a", false)]
    [InlineData("https://www.example.gov.cn.evil.test/a", false)]
    [InlineData("https://example.gov.cn/a", false)]
    public void SuffixMatch_OnALabelBoundary(string url, bool allowed) =>
        Assert.Equal(allowed, ContentSubmission.LinkAllowed(new Uri(url), ["www.example.gov.cn"]));
}

public sealed class OwnershipRecordTests
{
    [Fact]
    public void ACompleteRecord_MissesNothing()
    {
        var record = new OwnershipRecord
        {
            OpeningUnit = "a", SupervisingDepartment = "b", OperatingTeam = "c",
            ResponsiblePerson = new ResponsiblePerson { Name = "王敏", Contact = "1" }, FilingNumber = "f",
        };
        Assert.Empty(record.MissingFields());
    }

    [Fact]
    public void EachMissingField_IsNamed_P1()
    {
        var record = new OwnershipRecord { OpeningUnit = "a", OperatingTeam = " ", ResponsiblePerson = new ResponsiblePerson { Name = "王敏" } };
        Assert.Equal(["supervisingDepartment", "operatingTeam", "responsiblePerson.contact", "filingNumber"], record.MissingFields());
    }
}

public sealed class WebhookSignerTests
{
    [Fact]
    public void OurSignature_VerifiesWithTheStandardWebhooksLibrary()
    {
        var secret = WebhookSigner.NewSecret();
        var key = WebhookSigner.DecodeSecret(secret, "test");
        const string body = "{\"type\":\"publication.succeeded\",\"data\":{\"title\":\"中文\"}}";
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = "evt_1", ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = WebhookSigner.Sign(key, "evt_1", timestamp, body),
        };
        new StandardWebhook(secret).Verify(body, headers);

        headers["webhook-signature"] = WebhookSigner.Sign(key, "evt_1", timestamp, body + " ");
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(secret).Verify(body, headers));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("whsec_not-base64!")]
    [InlineData("whsec_c2hvcnQ=")]
    public void BadSecrets_AreRefused_NamingTheKey(string secret)
    {
        var error = Assert.Throws<ConfigurationException>(() => WebhookSigner.DecodeSecret(secret, "Webhooks:Subscriptions:x:SecretRef"));
        Assert.Equal("Webhooks:Subscriptions:x:SecretRef", error.Key);
    }
}
