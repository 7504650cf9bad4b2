using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>kill -9 the leader of three real processes while clients work: a new leader takes over, nothing is lost or handed out twice.</summary>
/// <remarks>How fast the failover is belongs to the <c>failover</c> benchmark (bench/RingRift.P2P.Bench), not to this test.</remarks>
public sealed class KillLeaderTests
{
    /// <summary>Acknowledged adds the clients make before the kill, and again after the new leader is agreed.</summary>
    private const int AddsPerPhase = 40;

    [Fact]
    public async Task KillingTheLeader_ElectsAnother_NoAcknowledgedAddLost_NoItemClaimedTwice()
    {
        using var cluster = ProcessCluster.Start(3);
        // node-3 when the nodes settled together, else the lower node that led first: a lease in force is not preempted.
        var leaderId = await cluster.WaitForLeaderAsync();
        var leader = cluster.Nodes.Single(n => n.NodeId == leaderId);

        var added = new ConcurrentBag<string>();
        var claims = new ConcurrentBag<(string WorkId, string Claimant)>();
        var completed = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(i => Task.Run(() => ClientLoop(i, cluster, added, claims, completed, stop.Token))).ToArray();
        try
        {
            await Eventually.Until(() => added.Count >= AddsPerPhase, $"the clients' first {AddsPerPhase} acknowledged adds", ProcessCluster.ProcessWait);
            var beforeKill = added.Count;
            leader.Kill();
            var newLeader = await cluster.WaitForLeaderAsync(not: leaderId);
            var atNewLeader = added.Count;
            await Eventually.Until(() => added.Count >= atNewLeader + AddsPerPhase,
                $"{AddsPerPhase} more acknowledged adds after {newLeader} took over (from {atNewLeader})", ProcessCluster.ProcessWait);
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            Assert.NotEqual(leaderId, newLeader);
            Assert.True(added.Count > beforeKill, "clients made no progress after the kill");

            // Every acknowledged add is present on the serving leader; no item claimed by two holders;
            // every acknowledged completion is applied.
            var survivor = cluster.Nodes.Single(n => n.NodeId == newLeader);
            var listing = await Eventually.Until(() => Http.GetAsync(survivor.Url + "/", "work?limit=10000"), a => a.Status == 200,
                "the work listing, served by the leader", ProcessCluster.ProcessWait);
            var items = listing.Json!["items"]!.AsArray().ToDictionary(i => i!["work_id"]!.GetValue<string>(), i => i!);
            foreach (var id in added) Assert.True(items.ContainsKey(id), $"acknowledged add {id} was lost");
            var doubles = claims.GroupBy(c => c.WorkId).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
            Assert.Empty(doubles);
            foreach (var (workId, claimant) in claims)
            {
                Assert.True(items.TryGetValue(workId, out var item), $"claimed item {workId} is missing");
                Assert.Equal(claimant, item["claimed_by"]?.GetValue<string>());
            }
            foreach (var id in completed) Assert.Equal("completed", items[id]["status"]!.GetValue<string>());
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }
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
            if (n % 20 == 0) await Task.Delay(10); // pacing: leaves the loaded machine some room for the nodes
        }
    }
}
