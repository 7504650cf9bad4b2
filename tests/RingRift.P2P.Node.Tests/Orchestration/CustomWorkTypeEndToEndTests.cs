using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Node.Tests.Sync;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Orchestration;

/// <summary>
/// A work type that is not built in, on two node processes with different jobs files: a gauntlet item
/// that depends on a training item runs after it, on the node whose file defines gauntlet; an item of a
/// type no node defines stays pending and the leader's status says why.
/// </summary>
[Collection(JobProcessCollection.Name)]
public sealed class CustomWorkTypeEndToEndTests : IDisposable
{
    private readonly TempDir _dir = new("custom");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_gauntlet_item_that_depends_on_a_training_runs_after_it_on_the_node_that_defines_gauntlet()
    {
        var plain = _dir.Full("plain.yaml");
        var arena = _dir.Full("arena.yaml");
        File.WriteAllText(plain, "jobs:\n  training:\n    command: [\"/bin/sh\", \"-c\", \"sleep 2\"]\n");
        File.WriteAllText(arena, "jobs:\n  gauntlet:\n    command: [\"/bin/sh\", \"-c\", \"exit 0\"]\n    slots: cpu\n");
        using var cluster = new JobProcessCluster(2, i => i == 0 ? plain : arena);
        var leader = await cluster.WaitForLeaderAsync();
        var url = cluster.Nodes[0].Url + "/";

        foreach (var (id, type, dependsOn) in new[] { ("t-1", "training", (string?)null), ("g-1", "gauntlet", "t-1"), ("c-1", "cpu_cmaes", null) })
        {
            var body = new JsonObject { ["work_id"] = id, ["work_type"] = type, ["command_id"] = "add-" + id };
            if (dependsOn is not null) body["depends_on"] = new JsonArray(dependsOn);
            var added = await Eventually.Until(
                () => Http.PostAsync(url, "work/add", body.DeepClone()),
                a => a.Status != 503, $"work/add of {id} answered by a serving leader", ProcessCluster.ProcessWait);
            Assert.True(added.Status == 200 || added.Code == "DUPLICATE_WORK_ID", $"add answered {added.Status}: {added.Text}");
        }

        var done = await cluster.WaitAsync(() => Http.GetAsync(url, "work/g-1"), a => a.Json?["status"]?.GetValue<string>() == "completed", "g-1 completed");
        Assert.Equal("node-2", done.Json!["claimed_by"]!.GetValue<string>());
        Assert.Equal("gauntlet", done.Json["work_type"]!.GetValue<string>());
        var training = (await Http.GetAsync(url, "work/t-1")).Json!;
        Assert.Equal(("completed", "node-1"), (training["status"]!.GetValue<string>(), training["claimed_by"]!.GetValue<string>()));
        Assert.True(done.Json["claimed_at"]!.GetValue<double>() >= training["completed_at"]!.GetValue<double>(),
            $"g-1 was claimed at {done.Json["claimed_at"]}, before t-1 completed at {training["completed_at"]}");

        var leaderUrl = cluster.Nodes[JobProcessCluster.IndexOf(leader)].Url + "/";
        var status = await cluster.WaitAsync(() => Http.GetAsync(leaderUrl, "status"),
            a => a.Json?["jobs"]?["last_dispatch"]?["unplaced"] is JsonArray groups && groups.Any(g => g?["work_type"]?.GetValue<string>() == "cpu_cmaes"),
            "the leader's last dispatch to list cpu_cmaes as unplaced");
        var group = status.Json!["jobs"]!["last_dispatch"]!["unplaced"]!.AsArray().First(g => g!["work_type"]!.GetValue<string>() == "cpu_cmaes")!;
        Assert.Equal("no_capable_node", group["reason"]!.GetValue<string>());
        Assert.Equal("pending", (await Http.GetAsync(url, "work/c-1")).Json!["status"]!.GetValue<string>());
    }
}
