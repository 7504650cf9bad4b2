using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.History;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// Jepsen-style on network namespaces: five node processes in five namespaces, all voters (or Raft
/// members), eight HTTP clients working throughout (any node: followers forward to the leader), and 20
/// seeded random fault schedules (<see cref="NetnsFaultSchedule"/>). After each schedule the faults are
/// healed and the cluster must agree on a leader again; after every ten the clients stop and the
/// recorded history is checked against the queue read from the leader. Bully with the quorum SQLite
/// queue (the default mode) meets kills, graceful restarts and partitions; Raft meets namespace faults
/// (loss, one-way and two-way cuts, isolation, a flapping link). Trait <c>Category=Netns</c>.
/// </summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", NetnsTestBed.Category)]
public sealed class HistoryNetnsTests(ITestOutputHelper output)
{
    private const int Nodes = 5;
    private const int Schedules = 20;
    private const int SchedulesPerRound = 10;

    [Fact]
    public async Task Bully_TwentySchedulesOfKillsRestartsAndPartitions_KeepEveryHistoryInvariant()
    {
        using var cluster = NetnsCluster.StartBully(Nodes);
        var workload = new HistoryWorkload(() => cluster.Live.Select(n => n.Url).ToList(), seed: 21, HistoryWorkload.QueueKind.QuorumSqlite);
        await cluster.WaitUntilServingAsync();

        // Every node's /status every 50 ms all along: never two acting leaders, whatever the schedules did.
        using var sampler = new LeaderStatusSampler(Enumerable.Range(0, Nodes).Select(i => (Func<NetnsNode>)(() => cluster.Nodes[i])).ToList());
        await RunAsync(cluster, workload, NetnsFaultSchedule.BullyMix, seedBase: 2000);
        await sampler.StopAsync();
        var timeline = sampler.Timeline();
        output.WriteLine($"{sampler.Samples.Count} samples of /status, {sampler.Missed} unanswered; {timeline.Runs.Count} acting runs at "
            + $"{timeline.Runs.Select(r => r.Epoch).Distinct().Count()} epochs by {string.Join(", ", timeline.Runs.Select(r => r.Node).Distinct().Order())}; "
            + $"{timeline.Unresolved.Count} hand-overs inside one sampling gap");
        foreach (var handOver in timeline.Unresolved) output.WriteLine("  " + handOver);
        Assert.True(timeline.Overlaps.Count == 0, "two acting leaders at once:\n" + string.Join("\n", timeline.Overlaps.Take(20)));
        Assert.True(timeline.SharedEpochs.Count == 0, string.Join("\n", timeline.SharedEpochs));
    }

    [Fact]
    public async Task Raft_TwentySchedulesOfNamespaceFaults_KeepEveryHistoryInvariant()
    {
        using var cluster = NetnsCluster.StartRaft(Nodes);
        var workload = new HistoryWorkload(() => cluster.Live.Select(n => n.Url).ToList(), seed: 23, HistoryWorkload.QueueKind.Raft);
        await RunAsync(cluster, workload, NetnsFaultSchedule.RaftMix, seedBase: 3000);
        Assert.Equal(0, workload.UntokenedClaims);
    }

    private async Task RunAsync(NetnsCluster cluster, HistoryWorkload workload, IReadOnlyList<NetnsFaultSchedule.Fault> mix, int seedBase)
    {
        await cluster.WaitUntilServingAsync();
        await cluster.WaitForLeaderAsync();
        var ran = new List<string>();
        HistoryReport? report = null;
        try
        {
            for (var round = 0; round < Schedules / SchedulesPerRound; round++)
            {
                // Clients work through ten schedules, then stop so the queue can be read without racing them.
                using var stop = new CancellationTokenSource();
                var clients = workload.RunAsync(8, stop.Token);
                try
                {
                    for (var schedule = round * SchedulesPerRound; schedule < (round + 1) * SchedulesPerRound; schedule++)
                    {
                        var leader = await cluster.WaitForLeaderAsync();
                        var epoch = (await cluster.Nodes[NetnsCluster.IndexOf(leader)].GetJsonAsync("/status"))["epoch"];
                        ran.Add($"#{schedule} (leader {leader}, epoch or term {epoch}): " + await NetnsFaultSchedule.RunAsync(new Random(seedBase + schedule), cluster, leader, mix));
                    }
                    await cluster.WaitForLeaderAsync();

                    // Enough work in every round, however slow the host: the clients go on until it is done.
                    var (claims, completions) = (20 * (round + 1), 10 * (round + 1));
                    await Eventually.Until(() => (Claims: workload.OkClaims, Completions: workload.OkCompletions),
                        done => done.Claims > claims && done.Completions > completions,
                        $"more than {claims} ok claims and {completions} ok completions after round {round + 1}", NetnsNode.ProcessWait);
                }
                finally
                {
                    await stop.CancelAsync();
                    await clients;
                }

                report = HistoryChecker.Check(workload.History, await FinalQueue.ReadAsync(cluster.LeaderUrlAsync, NetnsNode.ProcessWait));
                output.WriteLine($"after schedule {ran.Count}: {report}");
                Assert.True(report.IsValid, $"{report}\nschedules:\n{string.Join("\n", ran)}");
            }
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException($"{e.Message}\nschedules:\n{string.Join("\n", ran)}\n{cluster.LogTails()}");
        }
        output.WriteLine(string.Join("\n", ran));
        Assert.True(report!.OkClaims > 40 && report.OkCompletions > 20, $"too little work happened: {report}");
    }
}
