using Microsoft.Extensions.Configuration;
using System.Net;
using CsCheck;
using MediaGateway.Sandbox;
using MediaGateway.Webhooks;
using MediaGateway.Webhooks.Security;

namespace MediaGateway.Tests.Unit;

/// <summary>SSRF address classification: properties over random addresses against an independent table of ranges.</summary>
public sealed class AddressPolicyTests
{
    // Independent reference: the refused IPv4 ranges as [first, last] integers.
    private static readonly (uint First, uint Last)[] RefusedV4 =
    [
        (0x00000000, 0x00FFFFFF), (0x0A000000, 0x0AFFFFFF), (0x64400000, 0x647FFFFF), (0x7F000000, 0x7FFFFFFF),
        (0xA9FE0000, 0xA9FEFFFF), (0xAC100000, 0xAC1FFFFF), (0xC0000000, 0xC00000FF), (0xC0000200, 0xC00002FF),
        (0xC0586300, 0xC05863FF), (0xC0A80000, 0xC0A8FFFF), (0xC6120000, 0xC613FFFF), (0xC6336400, 0xC63364FF),
        (0xCB007100, 0xCB0071FF), (0xE0000000, 0xFFFFFFFF),
    ];

    private static IPAddress V4(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    private static bool ReferenceRefuses(uint value) => RefusedV4.Any(r => value >= r.First && value <= r.Last);

    // Addresses near the range edges as well as anywhere.
    private static readonly Gen<uint> AnyV4 = Gen.OneOf(Gen.UInt,
        Gen.Select(Gen.Int[0, RefusedV4.Length - 1], Gen.Int[-2, 2], Gen.Bool, (i, d, end) => (uint)((long)(end ? RefusedV4[i].Last : RefusedV4[i].First) + d)));

    [Fact]
    public void IPv4_IsRefusedExactlyInTheSpecialRanges() =>
        AnyV4.Sample(v => Assert.Equal(ReferenceRefuses(v), AddressPolicy.Strict.WhyRefused(V4(v)) is not null), iter: 20000);

    [Fact]
    public void IPv4InsideIPv6_IsJudgedAsTheIPv4Address() =>
        AnyV4.Sample(v =>
        {
            var expected = AddressPolicy.Strict.WhyRefused(V4(v)) is not null;
            Assert.Equal(expected, AddressPolicy.Strict.WhyRefused(V4(v).MapToIPv6()) is not null);
            var b = V4(v).GetAddressBytes();
            var nat64 = IPAddress.Parse($"64:ff9b::{b[0]:x2}{b[1]:x2}:{b[2]:x2}{b[3]:x2}");
            Assert.Equal(expected, AddressPolicy.Strict.WhyRefused(nat64) is not null);
            var sixToFour = IPAddress.Parse($"2002:{b[0]:x2}{b[1]:x2}:{b[2]:x2}{b[3]:x2}::1");
            Assert.Equal(expected, AddressPolicy.Strict.WhyRefused(sixToFour) is not null);
        }, iter: 5000);

    [Fact]
    public void AnAllowListedNetwork_AllowsExactlyItsAddresses()
    {
        var policy = new AddressPolicy([IPNetwork.Parse("10.20.0.0/16")]);
        AnyV4.Sample(v =>
        {
            var inside = (v & 0xFFFF0000) == 0x0A140000;
            Assert.Equal(!inside && ReferenceRefuses(v), policy.WhyRefused(V4(v)) is not null);
        }, iter: 10000);
    }

    [Theory]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fd00:ec2::254", "metadata")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("fc00::1", "private")]
    [InlineData("fdff:ffff::1", "private")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("febf::1", "link-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("100.64.0.0", "CGNAT")]
    [InlineData("100.127.255.255", "CGNAT")]
    [InlineData("255.255.255.255", "broadcast")]
    public void SpecialAddresses_AreRefusedWithTheirName(string address, string reason) =>
        Assert.Contains(reason, AddressPolicy.Strict.WhyRefused(IPAddress.Parse(address)), StringComparison.Ordinal);

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("100.128.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddresses_AreAllowed(string address) => Assert.Null(AddressPolicy.Strict.WhyRefused(IPAddress.Parse(address)));

    [Fact]
    public void ABadAllowListEntry_IsNamed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Webhooks:AllowedNetworks:0"] = "127.0.0.1/33" }).Build();
        var error = Assert.Throws<MediaGateway.Hosting.ConfigurationException>(() => AddressPolicy.FromConfiguration(configuration));
        Assert.Equal("Webhooks:AllowedNetworks:0", error.Key);
    }
}

/// <summary>The connector resolves, checks every address, and connects to the checked one (not to what the system resolver says later).</summary>
public sealed class WebhookConnectorTests
{
    [Fact]
    public async Task AHostResolvingToAPrivateAddress_IsRefusedAtConnectTime_WithoutConnecting()
    {
        var connector = new WebhookConnector(AddressPolicy.Strict, (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.0.0.7") }));
        using var client = new HttpClient(MediaGateway.Webhooks.WebhooksExtensions.Handler(connector));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://rebind.example/hook")));
        var refused = Assert.IsType<WebhookAddressRefusedException>(error.InnerException);
        Assert.Contains("10.0.0.7", refused.Message, StringComparison.Ordinal);
        Assert.Contains("private", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheConnectionGoesToTheCheckedAddress()
    {
        await using var receiver = await WebhookReceiver.StartAsync(new WebhookReceiverOptions());
        var port = receiver.BaseAddress.Port;
        // "hooks.invalid" does not exist in DNS: the request can only arrive through the address the connector checked.
        var allowed = new WebhookConnector(new AddressPolicy([IPNetwork.Parse("127.0.0.1/32")]), (_, _) => Task.FromResult(new[] { IPAddress.Loopback }));
        using (var client = new HttpClient(MediaGateway.Webhooks.WebhooksExtensions.Handler(allowed)))
        {
            using var response = await client.PostAsync(new Uri($"http://hooks.invalid:{port}/hooks/pinned"), new StringContent("{}"));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        Assert.Single(receiver.Received("pinned"));
        var strict = new WebhookConnector(AddressPolicy.Strict, (_, _) => Task.FromResult(new[] { IPAddress.Loopback }));
        using var refusedClient = new HttpClient(MediaGateway.Webhooks.WebhooksExtensions.Handler(strict));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => refusedClient.PostAsync(new Uri($"http://hooks.invalid:{port}/hooks/pinned"), new StringContent("{}")));
        Assert.IsType<WebhookAddressRefusedException>(error.InnerException);
        Assert.Single(receiver.Received("pinned"));
    }

    [Fact]
    public async Task UrlChecks_NameTheReason()
    {
        var connector = new WebhookConnector(AddressPolicy.Strict, (_, _) => Task.FromResult(new[] { IPAddress.Parse("127.0.0.1") }));
        Assert.Contains("loopback", await connector.WhyRefusedAsync("https://localhost.example/x", CancellationToken.None), StringComparison.Ordinal);
        Assert.Contains("required", await connector.WhyRefusedAsync(null, CancellationToken.None), StringComparison.Ordinal);
        Assert.Contains("http(s)", await connector.WhyRefusedAsync("file:///etc/passwd", CancellationToken.None), StringComparison.Ordinal);
        var publicOnly = new WebhookConnector(AddressPolicy.Strict, (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") }));
        Assert.Null(await publicOnly.WhyRefusedAsync("https://hooks.example.gov.cn/x", CancellationToken.None));
    }
}

/// <summary>The retry rules, without I/O.</summary>
public sealed class RetryPolicyTests
{
    private static readonly IReadOnlyList<int> Schedule = WebhookOptions.DefaultRetrySchedule;

    [Fact]
    public void TheDefaultSchedule_RetriesForAtLeastThreeDays()
    {
        Assert.Equal([5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400], Schedule);
        Assert.True(TimeSpan.FromSeconds(Schedule.Sum() * 0.8) >= TimeSpan.FromDays(2.5));
        Assert.True(TimeSpan.FromSeconds(Schedule.Sum()) >= TimeSpan.FromDays(3));
    }

    [Fact]
    public void Jitter_StaysWithinTwentyPercent_OfEachStep() =>
        Gen.Select(Gen.Int[1, Schedule.Count], Gen.Double[0, 1]).Sample((attempt, r) =>
        {
            var outcome = RetryPolicy.Decide(attempt, 500, null, false, Schedule, TimeSpan.FromDays(1), r);
            Assert.Equal(DeliveryState.Pending, outcome.State);
            Assert.InRange(outcome.Delay!.Value.TotalSeconds, Schedule[attempt - 1] * 0.8 - 1e-6, Schedule[attempt - 1] * 1.2 + 1e-6);
        });

    [Theory]
    [InlineData(200, "Delivered", nameof(HealthChange.Succeeded))]
    [InlineData(299, "Delivered", nameof(HealthChange.Succeeded))]
    [InlineData(301, "Pending", nameof(HealthChange.Failed))]
    [InlineData(400, "Pending", nameof(HealthChange.Failed))]
    [InlineData(null, "Pending", nameof(HealthChange.Failed))]
    public void TheAnswer_DecidesTheState(int? status, string state, string healthName)
    {
        var outcome = RetryPolicy.Decide(1, status, null, false, Schedule, TimeSpan.FromDays(1), 0.5);
        Assert.Equal(state, outcome.State.ToString());
        Assert.Equal(Enum.Parse<HealthChange>(healthName), outcome.Health);
        Assert.False(outcome.DisableSubscription);
    }

    [Fact]
    public void Gone_Disables_AndExhaustion_Counts()
    {
        Assert.True(RetryPolicy.Decide(1, 410, null, false, Schedule, TimeSpan.FromDays(1), 0.5).DisableSubscription);
        var last = RetryPolicy.Decide(Schedule.Count + 1, 500, null, false, Schedule, TimeSpan.FromDays(1), 0.5);
        Assert.Equal((DeliveryState.Failed, HealthChange.Exhausted), (last.State, last.Health));
        var manual = RetryPolicy.Decide(1, 500, null, true, Schedule, TimeSpan.FromDays(1), 0.5);
        Assert.Equal((DeliveryState.Failed, HealthChange.Failed), (manual.State, manual.Health));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void RetryAfter_IsHonoured_UpToTheCap(int status)
    {
        Assert.Equal(TimeSpan.FromHours(1), RetryPolicy.Decide(1, status, TimeSpan.FromHours(1), false, Schedule, TimeSpan.FromDays(1), 0.5).Delay);
        Assert.Equal(TimeSpan.FromDays(1), RetryPolicy.Decide(1, status, TimeSpan.FromDays(9), false, Schedule, TimeSpan.FromDays(1), 0.5).Delay);
        Assert.Equal(TimeSpan.FromSeconds(5), RetryPolicy.Decide(1, status, TimeSpan.FromSeconds(1), false, Schedule, TimeSpan.FromDays(1), 0.5).Delay);
        // Other statuses ignore it.
        Assert.Equal(TimeSpan.FromSeconds(5), RetryPolicy.Decide(1, 500, TimeSpan.FromHours(1), false, Schedule, TimeSpan.FromDays(1), 0.5).Delay);
    }

    [Fact]
    public void RetryAfter_ReadsSecondsAndDates()
    {
        var now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        using var seconds = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        seconds.Headers.TryAddWithoutValidation("Retry-After", "120");
        Assert.Equal(TimeSpan.FromSeconds(120), RetryPolicy.RetryAfter(seconds, now));
        using var date = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        date.Headers.TryAddWithoutValidation("Retry-After", "Thu, 01 Jan 2026 00:10:00 GMT");
        Assert.Equal(TimeSpan.FromMinutes(10), RetryPolicy.RetryAfter(date, now));
        using var none = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        Assert.Null(RetryPolicy.RetryAfter(none, now));
    }
}
