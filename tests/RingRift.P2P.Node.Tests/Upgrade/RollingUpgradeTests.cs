using System.Text.Json.Nodes;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Upgrade;

/// <summary>
/// A rolling upgrade: three nodes of the previous release, work flowing, each node stopped gracefully and
/// started again on this build (same data dir and ports), one at a time. No acknowledged add is lost, no
/// item is handed out twice, each epoch or term has one leader, in Bully + SQLite and in Raft mode.
/// </summary>
[Trait("Category", "Upgrade")]
public sealed class RollingUpgradeTests : IDisposable
{
    /// <summary>
    /// The release this build must upgrade from in place: the commit main stood at when issue 15 (installing
    /// it as a service, rolling upgrades) began. Move it forward at each release.
    /// </summary>
    public const string PreviousRelease = "cffb6680e3fae65cd1cb6f206d9538234eb0dad4";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly string _root = Directory.CreateTempSubdirectory("ringrift-upgrade-").FullName;
    private readonly List<ChildNode> _nodes = [];

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public Task Bully_and_sqlite_cluster_upgraded_one_node_at_a_time_keeps_every_acknowledged_item() =>
        UpgradeAsync(raft: false);

    [Fact]
    public Task Raft_cluster_upgraded_one_node_at_a_time_keeps_every_acknowledged_item() =>
        UpgradeAsync(raft: true);

    private async Task UpgradeAsync(bool raft)
    {
        var previous = await PreviousBuild.DllAsync(PreviousRelease);
        var http = TestPorts.Free(3);
        var raftPorts = raft ? TestPorts.Free(3) : [];
        var env = new Dictionary<string, string>
        {
            ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = "0.5",
            ["RINGRIFT_P2P_PEER_TIMEOUT"] = "3",
            ["RINGRIFT_P2P_LEADER_LEASE"] = "6",
        };
        if (raft)
        {
            env["RINGRIFT_RAFT_ENABLED"] = "true";
            env["RINGRIFT_CONSENSUS_MODE"] = "raft";
            env["RINGRIFT_RAFT_ELECTION_TIMEOUT_MS"] = "250";
        }
        string[] Args(int i) =>
        [
            "--node-id", $"node-{i + 1}", "--host", "127.0.0.1", "--port", http[i].ToString(), "--data-dir", Path.Combine(_root, $"node-{i + 1}"),
            "--peers", string.Join(',', http.Where(p => p != http[i]).Select(p => $"127.0.0.1:{p}")),
            .. raft ? new[] { "--raft-port", raftPorts[i].ToString(), "--raft-peers", string.Join(',', raftPorts.Select(p => $"127.0.0.1:{p}")) } : [],
        ];
        var running = new ChildNode?[3];
        ChildNode Start(int i, string? program)
        {
            var node = ChildNode.Start($"node-{i + 1}", http[i], Args(i), Path.Combine(_root, $"node-{i + 1}.log"), env, program ?? TestNodeProgram.Path);
            _nodes.Add(node);
            return running[i] = node;
        }
        for (var i = 0; i < 3; i++) Start(i, previous);
        IReadOnlyList<string> Live() => running.Where(n => n is { HasExited: false }).Select(n => n!.Url).ToArray();

        await Eventually.Until(() => ServingAsync(Live()), ok => ok, "the previous release's cluster serving the queue", Wait);
        var workload = new UpgradeWorkload(Live, seed: raft ? 2 : 1);
        using var stop = new CancellationTokenSource();
        var load = workload.RunAsync(4, stop.Token);
        await Eventually.Until(() => workload.Completed.Count >= 10, "work flowing on the previous release", Wait);

        for (var i = 0; i < 3; i++)
        {
            var before = workload.Completed.Count;
            await running[i]!.StopAsync(TimeSpan.FromSeconds(30));
            var upgraded = Start(i, program: null);
            await Eventually.Until(async () => await VersionAsync(upgraded.Url) == NodeSelf.Version, $"node-{i + 1} serving on this build ({NodeSelf.Version})", Wait);
            Assert.Contains($"\"written_by\":\"{NodeSelf.Version}\"", File.ReadAllText(Path.Combine(_root, $"node-{i + 1}", DataDirFormat.FileName)));
            await Eventually.Until(() => workload.Completed.Count >= before + 10, $"work flowing after node-{i + 1}'s upgrade", Wait);
        }
        await stop.CancelAsync();
        await load;

        // Every node on this build, its data dir moved forward; every acknowledged item is where it was left.
        for (var i = 0; i < 3; i++)
            Assert.Contains($"\"format\":{DataDirFormat.Current}", File.ReadAllText(Path.Combine(_root, $"node-{i + 1}", DataDirFormat.FileName)));
        var doubleClaims = workload.Claims.GroupBy(c => c.WorkId).Where(g => g.Count() > 1).Select(g => $"{g.Key} by {string.Join(", ", g.Select(c => c.Worker))}").ToList();
        Assert.Empty(doubleClaims);
        var lost = new List<string>();
        var notCompleted = new List<string>();
        foreach (var id in workload.Added.Keys)
        {
            var item = await Eventually.Until(() => Http.GetAsync(running[0]!.Url + "/", "work/" + id), a => a.Status is 200 or 404, $"{id} read", Wait);
            if (item.Status == 404) lost.Add(id);
            else if (workload.Completed.ContainsKey(id) && item.Json!["status"]?.GetValue<string>() is { } s && s != "completed") notCompleted.Add($"{id}: {s}");
        }
        Assert.Empty(lost);
        Assert.Empty(notCompleted);
        var split = workload.LeadersByEpoch.Where(e => e.Value.Count > 1).Select(e => $"epoch {e.Key}: {string.Join(", ", e.Value.Keys)}").ToList();
        Assert.Empty(split);
        Assert.True(workload.Added.Count >= 30 && workload.Claims.Count >= 30, $"{workload.Added.Count} adds, {workload.Claims.Count} claims acknowledged");
    }

    private static async Task<bool> ServingAsync(IReadOnlyList<string> urls)
    {
        foreach (var url in urls)
        {
            try
            {
                if ((await Http.GetAsync(url + "/", "work/status")).Status == 200) return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
        }
        return false;
    }

    private static async Task<string?> VersionAsync(string url)
    {
        try { return (await Http.GetAsync(url + "/", "status")).Json?["version"]?.GetValue<string>(); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; }
    }
}
