using System.Collections.Concurrent;
using System.Net;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Faults;
using RingRift.P2P.Testing.History;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// Jepsen-style: three Raft node processes whose Raft traffic passes through fault-injecting proxies
/// on 127.0.0.1, eight HTTP clients working throughout, and 50 seeded random fault schedules
/// (kills, restarts, one-way and two-way partitions, isolation, latency). After each schedule the
/// faults are healed, the cluster must agree on a leader again, and the recorded history is checked.
/// </summary>
[Collection(FaultScheduleCollection.Name)]
public sealed class RaftFaultScheduleTests(ITestOutputHelper output)
{
    /// <summary>Schedules run in CI (the bench's raft-faults runs more).</summary>
    private const int Schedules = 50;

    [Fact]
    public async Task FiftyRandomFaultSchedules_KeepEveryHistoryInvariant()
    {
        // No count limit on finished items: a fast build (the native executable) finishes more than the default 10,000
        // in fifty schedules, and the checker must find every one of them (the retention's day is never reached).
        var (mesh, cluster) = await StartAsync(new Dictionary<string, string> { ["RINGRIFT_QUEUE_RETAIN_MAX"] = "0" });
        await using var _ = mesh;
        using var __ = cluster;
        await cluster.WaitForLeaderAsync();
        var workload = new HistoryWorkload(() => cluster.Live.Select(n => n.Url).ToList(), seed: 7);
        var ran = new List<string>();
        HistoryReport? report = null;
        for (var round = 0; round < Schedules / 10; round++)
        {
            // Clients work through ten schedules, then stop so the queue can be read without racing them.
            using var stop = new CancellationTokenSource();
            var clients = workload.RunAsync(8, stop.Token);
            try
            {
                for (var schedule = round * 10; schedule < round * 10 + 10; schedule++)
                {
                    ran.Add(await RunScheduleAsync(new Random(1000 + schedule), mesh, cluster));
                    mesh.Heal();
                    await cluster.WaitForLeaderAsync();
                }

                // Enough work in every round, however slow the host: the clients go on until it is done.
                var (claims, completions) = (20 * (round + 1), 10 * (round + 1));
                await Eventually.Until(() => (Claims: workload.OkClaims, Completions: workload.OkCompletions),
                    done => done.Claims > claims && done.Completions > completions,
                    $"more than {claims} ok claims and {completions} ok completions after round {round + 1}", RaftProcessCluster.ProcessWait);
            }
            finally
            {
                await stop.CancelAsync();
                await clients;
            }
            // Every id asked to add: on a fast build (the native executable) fifty schedules finish more items than one listing holds.
            report = HistoryChecker.Check(workload.History, await RaftKillLeaderTests.FinalItemsAsync(cluster, workload.AddedIds));
            output.WriteLine($"after schedule {ran.Count}: {report}");
            Assert.True(report.IsValid, $"{report}\nschedules: {string.Join(" | ", ran)}");
            Assert.Equal(0, workload.UntokenedClaims);
        }
        output.WriteLine(string.Join("\n", ran));
        Assert.True(report!.OkClaims > 100 && report.OkCompletions > 50, $"too little work happened: {report}");
    }

    internal static async Task<(ProxyMesh Mesh, RaftProcessCluster Cluster)> StartAsync(IReadOnlyDictionary<string, string>? env = null)
    {
        var raftPorts = TestPorts.Free(3);
        var pids = new ConcurrentDictionary<int, string>();
        var mesh = ProxyMesh.Start(
            Enumerable.Range(0, 3).ToDictionary(RaftProcessCluster.IdOf, i => new IPEndPoint(IPAddress.Loopback, raftPorts[i])),
            LoopbackConnectionOwner.Identifier(pids));
        var advertised = Enumerable.Range(0, 3).Select(i => mesh.EndPointOf(RaftProcessCluster.IdOf(i)).Port).ToArray();
        RaftProcessCluster? cluster = null;
        try
        {
            cluster = RaftProcessCluster.Start(3, raftPorts, advertised, env, started: (index, pid) => pids[pid] = RaftProcessCluster.IdOf(index));
            return (mesh, cluster);
        }
        catch
        {
            cluster?.Dispose();
            await mesh.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One schedule: 1-3 faults, each held 0.3-1.2 s (pacing, not a wait for anything), some overlapping.
    /// Returns what it did. Whatever happens, it heals and lets its restarts finish before returning.
    /// </summary>
    private static async Task<string> RunScheduleAsync(Random random, ProxyMesh mesh, RaftProcessCluster cluster)
    {
        var leader = await cluster.WaitForLeaderAsync();
        var ids = Enumerable.Range(0, 3).Select(RaftProcessCluster.IdOf).ToArray();
        var others = ids.Where(id => id != leader).ToArray();
        var steps = new List<string>();
        var restarts = new List<Task>();
        var faults = random.Next(1, 4);
        try
        {
            for (var f = 0; f < faults; f++)
            {
                var target = random.Next(2) == 0 ? leader : others[random.Next(others.Length)];
                var hold = TimeSpan.FromMilliseconds(random.Next(300, 1200));
                switch (random.Next(7))
                {
                    case 0:
                        steps.Add($"kill -9 {target}");
                        restarts.Add(KillThenRestartAsync(cluster, RaftProcessCluster.IndexOf(target), hold, graceful: false));
                        break;
                    case 1:
                        steps.Add($"SIGTERM+restart {target}");
                        restarts.Add(KillThenRestartAsync(cluster, RaftProcessCluster.IndexOf(target), hold, graceful: true));
                        break;
                    case 2:
                        steps.Add($"isolate {target}");
                        mesh.Isolate(target);
                        break;
                    case 3:
                        var to = ids.Where(id => id != target).ElementAt(random.Next(2));
                        steps.Add($"one-way {target}->{to}");
                        mesh.OneWay(target, to);
                        break;
                    case 4:
                        steps.Add($"partition {target} | rest");
                        mesh.Partition([target], ids.Where(id => id != target).ToArray());
                        break;
                    case 5:
                        var delay = TimeSpan.FromMilliseconds(random.Next(10, 60));
                        steps.Add($"delay {delay.TotalMilliseconds:0} ms");
                        mesh.SetDelay(delay);
                        break;
                    default:
                        steps.Add("pause");
                        break;
                }
                await Task.Delay(hold / (random.Next(2) + 1));
            }
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 900)));
        }
        finally
        {
            mesh.Heal();
            await Task.WhenAll(restarts);
        }
        return string.Join(", ", steps);
    }

    /// <summary>Members being stopped and restarted by a schedule step right now.</summary>
    private static readonly ConcurrentDictionary<(RaftProcessCluster Cluster, int Index), byte> Restarting = new();

    /// <summary>
    /// Stops a member and starts it again after <paramref name="down"/>. A schedule may pick the same
    /// member twice while the first restart is still under way; the second step then does nothing
    /// (two restarts of one member would otherwise race to start it).
    /// </summary>
    private static async Task KillThenRestartAsync(RaftProcessCluster cluster, int index, TimeSpan down, bool graceful)
    {
        if (!Restarting.TryAdd((cluster, index), 0)) return;
        try
        {
            var node = cluster.Nodes[index];
            if (node.HasExited) return;
            if (graceful) await node.StopAsync(TimeSpan.FromSeconds(10));
            else node.Kill();
            await Task.Delay(down);
            cluster.StartNode(index);
        }
        finally
        {
            Restarting.TryRemove((cluster, index), out _);
        }
    }
}
