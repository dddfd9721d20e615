using System.Reflection;
using MediaGateway.Publishing;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MediaGateway.Tests.Hosting;

/// <summary>
/// The gateway's transactions and scripts touch several keys at once; on Redis Cluster they must all be in one slot.
/// Every key starts with the prefix as a hash tag, so they are. The end-to-end tests also run against a real
/// three-primary cluster (MG_TEST_REDIS=cluster in scripts/test.sh).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RedisClusterTests(GatewayTestHost host)
{
    [Fact]
    public void EveryKeyTheGatewayWrites_IsInOneHashSlot()
    {
        var keys = host.Services.GetRequiredService<RedisKeys>();
        var produced = new List<string>();
        foreach (var member in typeof(RedisKeys).GetMembers(BindingFlags.Public | BindingFlags.Instance))
        {
            switch (member)
            {
                case PropertyInfo { PropertyType.Name: nameof(String) } property when property.Name != nameof(RedisKeys.Tag):
                    produced.Add((string)property.GetValue(keys)!);
                    break;
                case MethodInfo { ReturnType.Name: nameof(String), IsSpecialName: false } method when method.DeclaringType == typeof(RedisKeys):
                    produced.Add((string)method.Invoke(keys, [.. method.GetParameters().Select(SampleFor)])!);
                    break;
            }
        }

        Assert.True(produced.Count >= 25, $"found only {produced.Count} keys");
        var slots = produced.Select(k => host.Multiplexer.HashSlot(k)).Distinct().ToList();
        Assert.Single(slots);
        Assert.All(produced, k => Assert.StartsWith(keys.Tag + ":", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheGatewayRuns_OnTheKindOfRedisTheTestsWereAskedFor()
    {
        var servers = host.Multiplexer.GetServers();
        var expected = GatewayTestHost.OnCluster ? ServerType.Cluster : ServerType.Standalone;
        Assert.All(servers, s => Assert.Equal(expected, s.ServerType));
        if (GatewayTestHost.OnCluster)
        {
            Assert.Equal(3, servers.Count(s => !s.IsReplica));
        }

        // And it answers: a publication path through the real API works on it.
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var id = (await TestData.SubmitAsync(op, TestData.Article(cover, targets: ["wb-city"])))["id"]!.GetValue<string>();
        await TestData.ApproveAllLevelsAsync(host, id);
        Assert.Equal("published", TestData.Publication(await TestData.WaitForFinalPublicationsAsync(op, id), "wb-city")["state"]!.GetValue<string>());
    }

    private static object SampleFor(ParameterInfo parameter) => parameter.ParameterType switch
    {
        var t when t == typeof(string) => parameter.Name == "id" ? "c1.r1.wx-city" : "sample",
        var t when t == typeof(DateTimeOffset) => DateTimeOffset.UnixEpoch,
        var t when t == typeof(int) => 2,
        var t when t == typeof(long) => 1_700_000_000_000L,
        var t when t == typeof(PublishLane) => PublishLane.Emergency,
        var t => throw new InvalidOperationException($"no sample for {t.Name} {parameter.Name}"),
    };
}
