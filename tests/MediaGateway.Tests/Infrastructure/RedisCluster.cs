using System.Diagnostics;
using MediaGateway.Storage;
using StackExchange.Redis;

namespace MediaGateway.Tests.Infrastructure;

/// <summary>
/// A three-primary Redis Cluster on loopback ports (plain redis-server in cluster mode, joined with
/// <c>redis-cli --cluster create</c>), for running the end-to-end tests against a cluster.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private static readonly string[] CreateCommand = ["--cluster", "create"];
    private static readonly string[] CreateOptions = ["--cluster-replicas", "0", "--cluster-yes"];
    private readonly List<EmbeddedRedis> _nodes;

    private RedisCluster(List<EmbeddedRedis> nodes) => _nodes = nodes;

    internal IReadOnlyList<EmbeddedRedis> Nodes => _nodes;

    /// <summary>Every node, so the client finds the cluster from any of them.</summary>
    public string ConnectionString => string.Join(",", _nodes.Select(n => $"127.0.0.1:{n.Port}")) + ",abortConnect=false,allowAdmin=true";

    public static async Task<RedisCluster> StartAsync(string dataDirectory)
    {
        var nodes = new List<EmbeddedRedis>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await EmbeddedRedis.StartAsync(Path.Combine(dataDirectory, $"node{i}"),
                    extraArgs: ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"]));
            }

            var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in CreateCommand.Concat(nodes.Select(n => $"127.0.0.1:{n.Port}")).Concat(CreateOptions))
            {
                create.ArgumentList.Add(arg);
            }

            using (var process = Process.Start(create)!)
            {
                var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode != 0) throw new InvalidOperationException($"redis-cli --cluster create failed: {output}");
            }

            var cluster = new RedisCluster(nodes);
            await cluster.WaitUntilReadyAsync();
            return cluster;
        }
        catch
        {
            foreach (var node in nodes) await node.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var ready = true;
            foreach (var node in _nodes)
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{node.Port},allowAdmin=true");
                var info = (string?)await connection.GetServer("127.0.0.1", node.Port).ExecuteAsync("CLUSTER", "INFO") ?? "";
                ready &= info.Contains("cluster_state:ok", StringComparison.Ordinal);
            }

            if (ready) return;
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new InvalidOperationException("the Redis Cluster did not reach cluster_state:ok");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
    }
}
