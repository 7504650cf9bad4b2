using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>kill -9 the leader of three real processes while clients work: a new leader takes over, nothing is lost or handed out twice.</summary>
public sealed class KillLeaderTests
{
    [Fact]
    public async Task KillingTheLeader_ElectsAnother_NoAcknowledgedAddLost_NoItemClaimedTwice()
    {
        using var cluster = ProcessCluster.Start(3);
        var leaderId = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        var leader = cluster.Nodes.Single(n => n.NodeId == leaderId);

        var added = new ConcurrentBag<string>();
        var claims = new ConcurrentBag<(string WorkId, string Claimant)>();
        var completed = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(i => Task.Run(() => ClientLoop(i, cluster, added, claims, completed, stop.Token))).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(2));
        var beforeKill = added.Count;
        var killedAt = Stopwatch.StartNew();
        leader.Kill();
        var newLeader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), not: leaderId);
        var failover = killedAt.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        stop.Cancel();
        await Task.WhenAll(clients);

        Assert.NotEqual(leaderId, newLeader);
        Assert.True(beforeKill > 0, "clients made no progress before the kill");
        Assert.True(added.Count > beforeKill, "clients made no progress after the kill");
        Assert.True(failover < TimeSpan.FromSeconds(15), $"failover took {failover}");

        // Every acknowledged add is present on the new leader; no item claimed by two holders;
        // every acknowledged completion is applied.
        var survivor = cluster.Nodes.Single(n => n.NodeId == newLeader);
        var listing = await Http.GetAsync(survivor.Url + "/", "work?limit=10000");
        Assert.Equal(200, listing.Status);
        var items = listing.Json!["items"]!.AsArray().ToDictionary(i => i!["work_id"]!.GetValue<string>(), i => i!);
        foreach (var id in added) Assert.True(items.ContainsKey(id), $"acknowledged add {id} was lost");
        var doubles = claims.GroupBy(c => c.WorkId).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.Empty(doubles);
        foreach (var (workId, claimant) in claims)
        {
            var item = items[workId];
            Assert.Equal(claimant, item["claimed_by"]?.GetValue<string>());
        }
        foreach (var id in completed) Assert.Equal("completed", items[id]["status"]!.GetValue<string>());
    }

    private static async Task ClientLoop(int index, ProcessCluster cluster, ConcurrentBag<string> added,
        ConcurrentBag<(string, string)> claims, ConcurrentBag<string> completed, CancellationToken stop)
    {
        var claimant = $"worker-{index}";
        var random = new Random(index);
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var alive = cluster.Nodes.Where(x => !x.HasExited).ToArray();
            var node = alive[random.Next(alive.Length)];
            try
            {
                var id = $"c{index}-{n++}";
                var add = await Http.PostAsync(node.Url + "/", "work/add", new JsonObject { ["work_id"] = id, ["work_type"] = "selfplay" });
                if (add.Status == 200) added.Add(id);
                var claim = await Http.GetAsync(node.Url + "/", $"work/claim?node_id={claimant}");
                if (claim.Status == 200 && claim.Json!["status"]!.GetValue<string>() == "claimed")
                {
                    var workId = claim.Json["work"]!["work_id"]!.GetValue<string>();
                    claims.Add((workId, claimant));
                    var done = await Http.PostAsync(node.Url + "/", "work/complete", new JsonObject { ["work_id"] = workId, ["node_id"] = claimant });
                    if (done.Status == 200) completed.Add(workId);
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (n % 20 == 0) await Task.Delay(10);
        }
    }
}
