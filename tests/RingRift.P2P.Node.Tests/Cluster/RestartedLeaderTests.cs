using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// Sticky leadership on node processes (issue 16 §4, the <c>soak</c> bench's case): the leader is SIGKILLed,
/// another node takes over, and the killed node is started again on its data. It follows the new leader, whose
/// lease is in force, instead of taking leadership back (which would fence a majority and copy the queue again).
/// </summary>
public sealed class RestartedLeaderTests
{
    /// <summary>4 s leases: the failover is quick, yet a loaded machine does not let a lease lapse on its own.</summary>
    private const double Lease = 4;

    private static readonly Dictionary<string, string> Timings = new()
    {
        ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = "0.4",
        ["RINGRIFT_P2P_PEER_TIMEOUT"] = "2",
        ["RINGRIFT_P2P_LEADER_LEASE"] = Lease.ToString(CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task LeaderKilledAndStartedAgain_FollowsItsSuccessor_WhichKeepsLeadingAtItsEpoch()
    {
        using var cluster = ProcessCluster.Start(3, Timings);
        var firstId = await cluster.WaitForLeaderAsync();
        var first = cluster.Nodes.Single(n => n.NodeId == firstId);
        first.Kill();
        var secondId = await cluster.WaitForLeaderAsync(not: firstId);
        var second = cluster.Nodes.Single(n => n.NodeId == secondId);
        var epoch = (await ProcessCluster.StatusAsync(second))!["epoch"]!.GetValue<long>();

        var restarted = cluster.Restart(first);
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        // Until the successor has renewed for two leases past the restart with the restarted node following it, or any
        // node but the successor at its epoch is seen leading (the old rule gave leadership back within a heartbeat).
        var watch = new LeadershipWatch(secondId, epoch);
        var end = await Eventually.Until(() => watch.PollAsync(cluster.Nodes, restarted),
            w => w.Moved is not null || (w.FollowedByRestarted && w.LeaseEnd >= startedAt + 2 * Lease),
            $"{secondId} leading at epoch {epoch} two leases after {firstId} started again, {firstId} following it", ProcessCluster.ProcessWait);

        Assert.True(end.Moved is null, $"leadership moved after {firstId} started again: {end.Moved}\n{ChildLogs.Tails(cluster.Nodes)}");
    }

    /// <summary>Polls every node's <c>/status</c>; remembers the first sign of another leader than <c>leader</c> at <c>epoch</c>.</summary>
    private sealed class LeadershipWatch(string leader, long epoch)
    {
        public string? Moved { get; private set; }

        public bool FollowedByRestarted { get; private set; }

        /// <summary>The leader's lease end (its <c>timestamp</c> + <c>lease_remaining_seconds</c>) at the latest poll; 0 when it did not lead.</summary>
        public double LeaseEnd { get; private set; }

        public async Task<LeadershipWatch> PollAsync(IEnumerable<ChildNode> nodes, ChildNode restarted)
        {
            foreach (var node in nodes.Where(n => !n.HasExited))
            {
                JsonNode? status;
                try { status = await ProcessCluster.StatusAsync(node); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { continue; } // still starting
                if (status is null) continue;
                var leads = status["is_leader"]?.GetValue<bool>() == true;
                var at = status["epoch"]?.GetValue<long>() ?? 0;
                if (leads && (node.NodeId != leader || at != epoch))
                    Moved ??= $"{node.NodeId} leads at epoch {at}";
                if (node.NodeId == leader)
                {
                    if (!leads) Moved ??= $"{leader} no longer leads (role {status["role"]}, epoch {at})";
                    LeaseEnd = leads ? status["timestamp"]!.GetValue<double>() + (status["lease_remaining_seconds"]?.GetValue<double>() ?? 0) : 0;
                }
                if (node == restarted)
                    FollowedByRestarted = status["leader_id"]?.GetValue<string>() == leader && at == epoch;
            }
            return this;
        }

        public override string ToString() => $"moved: {Moved ?? "no"}; restarted node follows: {FollowedByRestarted}; lease end {LeaseEnd:0.000}";
    }
}
