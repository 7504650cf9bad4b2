using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Json;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.History;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>Three node processes with Raft serving the queue: kill -9 the leader under 8 clients, restart it.</summary>
[Collection(RaftProcessCollection.Name)]
public sealed class RaftKillLeaderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillingTheRaftLeader_UnderEightClients_LosesNothing_AndTheRestartedNodeCatchesUp()
    {
        using var cluster = RaftProcessCluster.Start();
        var leaderId = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        var leaderIndex = RaftProcessCluster.IndexOf(leaderId);
        var oldTerm = (await RaftProcessCluster.RaftStatusAsync(cluster.Nodes[leaderIndex]))!["node"]!["term"]!.GetValue<long>();

        var workload = new RaftWorkload(() => cluster.Live.Select(n => n.Url).ToList(), seed: 1);
        using var stop = new CancellationTokenSource();
        var clients = workload.RunAsync(8, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(2));

        workload.TermFloor = oldTerm;
        var killedAt = Stopwatch.GetTimestamp();
        cluster.Kill(leaderIndex);
        var newLeader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), not: leaderId);
        await Task.Delay(TimeSpan.FromSeconds(2));
        cluster.StartNode(leaderIndex);
        await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await clients;

        Assert.NotNull(workload.FirstClaimAboveFloor);
        var failover = Stopwatch.GetElapsedTime(killedAt, workload.FirstClaimAboveFloor!.Value);
        output.WriteLine($"kill -9 {leaderId} -> first claim committed by {newLeader}: {failover.TotalMilliseconds:0} ms");
        Assert.True(failover < TimeSpan.FromSeconds(5), $"first claim on the new leader came {failover.TotalMilliseconds:0} ms after the kill");

        var items = await FinalItemsAsync(cluster);
        var report = HistoryChecker.Check(workload.History, items, new HistoryCheckOptions());
        output.WriteLine(report.ToString());
        Assert.True(report.OkClaims > 20, $"too little work happened: {report}");
        Assert.Equal(0, workload.UntokenedClaims);
        Assert.True(report.IsValid, report + "\n" + workload.History.ToJsonLines()[..Math.Min(20000, workload.History.ToJsonLines().Length)]);

        // The restarted node recovered from its log and caught up: it holds the same items.
        var restarted = cluster.Nodes[leaderIndex];
        var local = await Http.GetAsync(restarted.Url + "/", "raft/status");
        Assert.True(local.Json!["node"]!["last_applied"]!.GetValue<long>() > 0);
        Assert.Equal(items.Count, await CountOnAsync(cluster, restarted.Url));
    }

    internal static async Task<IReadOnlyList<WorkItem>> FinalItemsAsync(RaftProcessCluster cluster)
    {
        // A leader can be deposed between the wait and the read (503, retry); anything else is a failure.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
            var answer = await Http.GetAsync(cluster.Nodes[RaftProcessCluster.IndexOf(leader)].Url + "/", "work?limit=10000");
            if (answer.Status == 503 && DateTime.UtcNow < deadline) { await Task.Delay(100); continue; }
            Assert.True(answer.Status == 200, $"listing the final items answered {answer.Status}: {answer.Json?.ToJsonString()}");
            return answer.Json!["items"]!.AsArray().Select(i => i.Deserialize<WorkItem>(P2PJson.Options)!).ToList();
        }
    }

    /// <summary>Items in the restarted node's own replica (its /raft/status last_applied must reach the leader's commit first).</summary>
    private static async Task<int> CountOnAsync(RaftProcessCluster cluster, string url)
    {
        var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        var commit = (await Http.GetAsync(cluster.Nodes[RaftProcessCluster.IndexOf(leader)].Url + "/", "raft/status")).Json!["node"]!["commit_index"]!.GetValue<long>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var status = (await Http.GetAsync(url + "/", "raft/status")).Json!;
            if (status["node"]!["last_applied"]!.GetValue<long>() >= commit) break;
            await Task.Delay(50);
        }
        await Task.Delay(1500); // /status counts are refreshed every second
        var stats = (await Http.GetAsync(url + "/", "status")).Json!["work_queue"]!;
        return stats["total"]!.GetValue<int>();
    }
}
