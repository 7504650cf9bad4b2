using System.Diagnostics;
using RingRift.P2P.Coordination;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.History;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// Three node processes with Raft serving the queue: kill -9 the leader under 8 clients, restart it.
/// How fast the new leader serves is measured by the bench's <c>raft-failover</c>, not here.
/// </summary>
[Collection(RaftProcessCollection.Name)]
public sealed class RaftKillLeaderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ProcessWait = RaftProcessCluster.ProcessWait;

    [Fact]
    public async Task KillingTheRaftLeader_UnderEightClients_LosesNothing_AndTheRestartedNodeCatchesUp()
    {
        using var cluster = RaftProcessCluster.Start();
        await cluster.WaitForLeaderAsync();

        var workload = new HistoryWorkload(() => cluster.Live.Select(n => n.Url).ToList(), seed: 1);
        using var stop = new CancellationTokenSource();
        var clients = workload.RunAsync(8, stop.Token);
        string leaderId, newLeader;
        int leaderIndex;
        long killedAt;
        try
        {
            // The kill comes while clients hold claimed items.
            await Eventually.Until(() => workload.OkClaims, n => n >= 10, "10 acknowledged claims before the kill", ProcessWait);
            leaderId = await cluster.WaitForLeaderAsync();
            leaderIndex = RaftProcessCluster.IndexOf(leaderId);
            var oldTerm = (await Http.GetAsync(cluster.Nodes[leaderIndex].Url + "/", "raft/status")).Json!["node"]!["term"]!.GetValue<long>();

            workload.TermFloor = oldTerm;
            killedAt = Stopwatch.GetTimestamp();
            cluster.Kill(leaderIndex);
            newLeader = await cluster.WaitForLeaderAsync(not: leaderId);
            await Eventually.Until(() => workload.FirstClaimAboveFloor is not null,
                $"a claim committed in a term after {oldTerm} (the killed leader's)", ProcessWait);

            cluster.StartNode(leaderIndex);
            await cluster.WaitForLeaderAsync();
            var claimsBeforeRestart = workload.OkClaims;
            await Eventually.Until(() => workload.OkClaims, n => n >= claimsBeforeRestart + 10,
                $"10 more acknowledged claims with {leaderId} back (from {claimsBeforeRestart})", ProcessWait);
        }
        finally
        {
            await stop.CancelAsync();
            await clients;
        }

        var failover = Stopwatch.GetElapsedTime(killedAt, workload.FirstClaimAboveFloor!.Value);
        output.WriteLine($"kill -9 {leaderId} -> first claim committed by {newLeader}: {failover.TotalMilliseconds:0} ms (not checked; see bench raft-failover)");

        var items = await FinalItemsAsync(cluster);
        var report = HistoryChecker.Check(workload.History, items, new HistoryCheckOptions());
        output.WriteLine(report.ToString());
        Assert.True(report.OkClaims > 20, $"too little work happened: {report}");
        Assert.Equal(0, workload.UntokenedClaims);
        if (!report.IsValid)
        {
            // Everything needed to tell a wrong answer from a wrong final read: the whole history (in the test's
            // output, so the .trx keeps it), each node's leadership history and its Raft view now.
            output.WriteLine(workload.History.ToJsonLines());
            foreach (var node in cluster.Nodes)
            {
                var status = node.HasExited ? "(exited)" : (await RaftProcessCluster.RaftStatusAsync(node))?.ToJsonString();
                output.WriteLine($"--- {node.NodeId} raft/status: {status}\n{RaftProcessCluster.LeadershipHistory(node)}");
            }
        }
        Assert.True(report.IsValid, report + "\n(the whole history and each node's leadership history are in the test's output)");

        // The restarted node recovered from its log and caught up: it holds the same items.
        var restarted = cluster.Nodes[leaderIndex];
        var applied = await AppliedLeadersCommitAsync(cluster, restarted);
        Assert.True(applied > 0);
        var counted = await Eventually.Until(() => QueueTotalAsync(restarted), total => total == items.Count,
            $"{restarted.NodeId}'s /status to count the {items.Count} items of its replica (counts refresh every second)", ProcessWait);
        Assert.Equal(items.Count, counted);
    }

    /// <summary>Every item, read from the Raft leader (see <see cref="FinalQueue"/>).</summary>
    /// <param name="addedIds">Every id the run asked to add, for a run that may finish more items than one listing holds.</param>
    internal static Task<IReadOnlyList<WorkItem>> FinalItemsAsync(RaftProcessCluster cluster, IReadOnlyCollection<string>? addedIds = null) =>
        FinalQueue.ReadAsync(async () => cluster.Nodes[RaftProcessCluster.IndexOf(await cluster.WaitForLeaderAsync())].Url, ProcessWait, addedIds);

    /// <summary>Waits until <paramref name="node"/> has applied the leader's commit index; returns its last_applied.</summary>
    private static async Task<long> AppliedLeadersCommitAsync(RaftProcessCluster cluster, ChildNode node)
    {
        var leader = await cluster.WaitForLeaderAsync();
        var commit = (await Http.GetAsync(cluster.Nodes[RaftProcessCluster.IndexOf(leader)].Url + "/", "raft/status")).Json!["node"]!["commit_index"]!.GetValue<long>();
        return await Eventually.Until(
            async () => (await Http.GetAsync(node.Url + "/", "raft/status")).Json!["node"]!["last_applied"]!.GetValue<long>(),
            applied => applied >= commit, $"{node.NodeId} to apply up to the leader's commit index {commit}", ProcessWait);
    }

    private static async Task<int> QueueTotalAsync(ChildNode node) =>
        (await Http.GetAsync(node.Url + "/", "status")).Json!["work_queue"]!["total"]!.GetValue<int>();
}
