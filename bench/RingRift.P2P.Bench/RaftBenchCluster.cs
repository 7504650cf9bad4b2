using System.Net;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Bench;

/// <summary>
/// Raft members in this process on 127.0.0.1 (free ports), each with a durable write-ahead log in
/// its own folder under one temporary root that is deleted on dispose.
/// </summary>
public sealed class RaftBenchCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ringrift-raftbench-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<RaftNode> _nodes = [];

    private RaftBenchCluster()
    {
    }

    public IReadOnlyList<RaftNode> Nodes => _nodes;

    /// <summary>Starts <paramref name="size"/> members; <paramref name="tune"/> adjusts each member's options (group commit sizes).</summary>
    public static async Task<RaftBenchCluster> StartAsync(int size, Func<RaftNodeOptions, RaftNodeOptions> tune)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var cluster = new RaftBenchCluster();
        var endPoints = LoopbackPorts.Free(size).Select(p => (EndPoint)new IPEndPoint(IPAddress.Loopback, p)).ToList();
        try
        {
            var started = await Task.WhenAll(endPoints.Select((endPoint, i) => RaftNode.StartAsync(tune(new RaftNodeOptions
            {
                NodeId = $"n{i + 1}",
                PublicEndPoint = endPoint,
                Members = endPoints,
                DataDir = Path.Combine(cluster._root, $"n{i + 1}"),
            }))));
            cluster._nodes.AddRange(started);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>The member all members agree leads, once it can commit and every member has caught up.</summary>
    public async Task<RaftNode> WaitForLeaderAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var leaders = _nodes.Where(n => n.IsLeader).ToList();
            if (leaders.Count == 1 && _nodes.All(n => n.IsReady && n.LeaderId == leaders[0].NodeId)) return leaders[0];
            await Task.Delay(20);
        }
        throw new TimeoutException($"no agreed raft leader within {within.TotalSeconds:0} s: "
            + string.Join(", ", _nodes.Select(n => $"{n.NodeId} leader={n.IsLeader} sees={n.LeaderId ?? "none"} ready={n.IsReady}")));
    }

    /// <summary>The member leading now, or null while there is none that can commit.</summary>
    public RaftNode? CurrentLeader() => _nodes.FirstOrDefault(n => n.IsLeader);

    /// <summary>Log entries and commands written by group commit on all members (each counts only while it leads).</summary>
    public (long Entries, long Commands) GroupCommitTotals()
    {
        long entries = 0, commands = 0;
        foreach (var status in _nodes.Select(n => n.Status()))
        {
            entries += status.Batches;
            commands += status.Commands;
        }
        return (entries, commands);
    }

    public long SnapshotsWritten() => _nodes.Sum(n => n.Status().SnapshotsWritten);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        _nodes.Clear();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
