using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// SIGTERM (what <c>systemctl stop</c> sends) to the Raft leader of three node processes with SWIM
/// deciding membership and Raft serving the queue: the leader hands Raft leadership to another member
/// before it exits, leaves SWIM gracefully (the others record it <c>left</c>, never suspect or dead),
/// exits 0, and an item acknowledged before the SIGTERM is still in the queue.
/// </summary>
[Collection(RaftProcessCollection.Name)]
public sealed partial class SigtermRaftLeaderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ProcessWait = RaftProcessCluster.ProcessWait;

    [GeneratedRegex(@"Raft leadership handed to (?<leader>\S+) in (?<ms>\d+) ms")]
    private static partial Regex HandedOver();

    [Fact]
    public async Task SigtermToTheRaftLeader_HandsLeadershipOverBeforeExiting_LeavesSwim_AndKeepsAcknowledgedWork()
    {
        using var cluster = RaftProcessCluster.Start(env: new Dictionary<string, string>
        {
            ["RINGRIFT_SWIM_ENABLED"] = "true",
            ["RINGRIFT_MEMBERSHIP_MODE"] = "swim",
        }, swim: true);
        var leaderId = await cluster.WaitForLeaderAsync();
        foreach (var node in cluster.Nodes)
            await Eventually.Until(() => AliveInSwimAsync(node), n => n == 2, $"{node.NodeId} to see both others alive in SWIM", ProcessWait);

        var leader = cluster.Nodes[RaftProcessCluster.IndexOf(leaderId)];
        var added = await Eventually.Until(
            () => Http.PostAsync(leader.Url + "/", "work/add", new JsonObject
            {
                ["work_id"] = "acked-before-sigterm",
                ["work_type"] = "selfplay",
                ["command_id"] = "add-acked-before-sigterm",
            }),
            a => a.Status != 503, "the add acknowledged by the Raft leader", ProcessWait);
        Assert.True(added.Status == 200 || added.Code == "DUPLICATE_WORK_ID", $"add answered {added.Status}: {added.Text}");
        var oldTerm = (await RaftProcessCluster.RaftStatusAsync(leader))!["node"]!["term"]!.GetValue<long>();

        var survivors = cluster.Nodes.Where(n => n != leader).ToList();
        var seen = new ConcurrentQueue<(string Survivor, string State)>();
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(() => SampleSwimStatesAsync(survivors, leaderId, seen, stopSampling.Token));
        string newLeader;
        try
        {
            var sent = Stopwatch.GetTimestamp();
            await leader.StopAsync(NodeHost.ShutdownTimeout + TimeSpan.FromSeconds(10)); // SIGTERM, SIGKILL only after this
            output.WriteLine($"{leaderId} exited {Stopwatch.GetElapsedTime(sent).TotalSeconds:0.00} s after the SIGTERM");
            Assert.True(leader.ExitCode == 0, $"{leaderId} exited with {leader.ExitCode}:\n{cluster.Tail(leader)}");

            // Left is final: once both survivors record it, no later suspicion can show up.
            foreach (var survivor in survivors)
                await Eventually.Until(() => SwimStateAsync(survivor, leaderId), s => s == "left", $"{survivor.NodeId} to record {leaderId} as left", ProcessWait);
            newLeader = await cluster.WaitForLeaderAsync(not: leaderId);
        }
        finally
        {
            await stopSampling.CancelAsync();
            await sampler;
        }

        var states = seen.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{leaderId} as the survivors saw it in SWIM, sample counts: {string.Join(", ", states.Select(kv => $"{kv.Key} {kv.Value}"))}");
        Assert.DoesNotContain("suspect", states.Keys);
        Assert.DoesNotContain("dead", states.Keys);

        // The stopping process wrote that it handed over (before stopping the rest of the node), and to whom:
        // the leader the survivors agree on, in a later term.
        var log = File.ReadAllText(leader.LogPath);
        var handed = HandedOver().Match(log);
        Assert.True(handed.Success, $"{leaderId}'s log does not say it handed Raft leadership over:\n{cluster.Tail(leader)}");
        output.WriteLine($"{leaderId} handed Raft leadership to {handed.Groups["leader"].Value} in {handed.Groups["ms"].Value} ms");
        Assert.Equal(newLeader, handed.Groups["leader"].Value);
        var next = cluster.Nodes[RaftProcessCluster.IndexOf(newLeader)];
        Assert.True((await RaftProcessCluster.RaftStatusAsync(next))!["node"]!["term"]!.GetValue<long>() > oldTerm);

        var item = await Eventually.Until(() => Http.GetAsync(next.Url + "/", "work/acked-before-sigterm"), a => a.Status != 503,
            "the acknowledged item read from the new leader", ProcessWait);
        Assert.True(item.Status == 200, $"the item acknowledged before the SIGTERM is gone: {item.Status} {item.Text}");
    }

    private static async Task<int> AliveInSwimAsync(ChildNode node)
    {
        var members = (await Http.GetAsync(node.Url + "/", "swim/members")).Json?["members"]?.AsArray() ?? [];
        return members.Count(m => m!["node_id"]!.GetValue<string>() != node.NodeId && m["state"]!.GetValue<string>() == "alive");
    }

    private static async Task<string?> SwimStateAsync(ChildNode node, string member)
    {
        var members = (await Http.GetAsync(node.Url + "/", "swim/members")).Json?["members"]?.AsArray() ?? [];
        return members.FirstOrDefault(m => m!["node_id"]!.GetValue<string>() == member)?["state"]?.GetValue<string>();
    }

    /// <summary>Records every survivor's SWIM state of <paramref name="member"/> as often as the machine allows, until cancelled.</summary>
    private static async Task SampleSwimStatesAsync(IReadOnlyList<ChildNode> survivors, string member, ConcurrentQueue<(string, string)> seen, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var survivor in survivors)
            {
                try
                {
                    if (await SwimStateAsync(survivor, member) is { } state) seen.Enqueue((survivor.NodeId, state));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            }
            try { await Task.Delay(20, ct); } catch (OperationCanceledException) { }
        }
    }
}
