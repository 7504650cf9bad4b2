using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.ClusterWork;

/// <summary>
/// Three in-process nodes shared by one contract class, started with <see cref="InProcessCluster.SteadyTimings"/>;
/// ready once one node serves the queue and every node's port answers a read.
/// </summary>
public abstract class PortCluster : IAsyncLifetime
{
    private InProcessCluster? _cluster;

    /// <summary>Whether the nodes run Raft (raft mode) rather than Bully + SQLite.</summary>
    public abstract bool Raft { get; }

    public InProcessCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var env = new Dictionary<string, string?>(InProcessCluster.SteadyTimings);
        if (Raft)
        {
            env["RINGRIFT_RAFT_ENABLED"] = "true";
            env["RINGRIFT_CONSENSUS_MODE"] = "raft";
        }
        _cluster = await InProcessCluster.StartAsync(3, env, raftPorts: Raft ? TestPorts.Free(3) : null);
        await ServingNodeAsync();
    }

    /// <summary>The node that serves the queue now, once every node's port reads through it.</summary>
    public async Task<ClusterNode> ServingNodeAsync()
    {
        var serving = await Eventually.Until<ClusterNode?>(async () =>
            {
                var servers = Cluster.Nodes.Where(n => Port(n).ServingQueue() is not null).ToList();
                if (servers.Count != 1) return null;
                foreach (var node in Cluster.Nodes)
                {
                    try { await Port(node).GetStatsAsync(); }
                    catch (Exception) { return null; }
                }
                return servers[0];
            },
            node => node is not null, "one node serving the queue and every node's port reading through it", InProcessCluster.ClusterWait);
        return serving!;
    }

    public static IClusterWork Port(ClusterNode node) => node.Services.GetRequiredService<IClusterWork>();

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

public sealed class BullyPortCluster : PortCluster
{
    public override bool Raft => false;
}

public sealed class RaftPortCluster : PortCluster
{
    public override bool Raft => true;
}
