using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Sqlite;
using RingRift.P2P.Testing.Coordination;
using RingRift.P2P.Testing.Election;

namespace RingRift.P2P.Node.Tests.Coordination;

/// <summary>
/// Three voters n1..n3, each with its own SQLite store, fence file and <see cref="QuorumWorkQueue"/>,
/// wired through an in-memory network. Any of them can be made leader at an epoch, or follow an
/// <see cref="ElectionCluster"/> of the same ids (<see cref="AlignAsync"/>).
/// </summary>
public sealed class QuorumRig : IAsyncDisposable
{
    public static readonly string[] Ids = ["n1", "n2", "n3"];

    /// <summary>
    /// How long a leader waits for the other voters (on the real clock, whatever the rig's clock). The
    /// in-memory network answers at once, "down" included, so no test waits for it; it only has to
    /// outlast a SQLite write on a loaded host.
    /// </summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("ringrift-qr-").FullName;
    private readonly TimeProvider _time;

    private QuorumRig(TimeProvider time) => _time = time;

    public InMemoryReplicaNetwork Network { get; } = new();
    public Dictionary<string, SqliteWorkQueue> Stores { get; } = new();
    public Dictionary<string, WorkReplica> Replicas { get; } = new();
    public Dictionary<string, QuorumWorkQueue> Queues { get; } = new();

    public static async Task<QuorumRig> StartAsync(TimeProvider time)
    {
        var rig = new QuorumRig(time);
        foreach (var id in Ids) await rig.OpenAsync(id);
        return rig;
    }

    /// <summary>(Re)opens one node's store from disk, as after a restart.</summary>
    public async Task OpenAsync(string id)
    {
        if (Stores.TryGetValue(id, out var old)) await old.DisposeAsync();
        var dir = Path.Combine(_root, id);
        Directory.CreateDirectory(dir);
        var store = await SqliteWorkQueue.OpenAsync(Path.Combine(dir, "queue.db"), _time);
        var replica = new WorkReplica(id, store, new ReplicaFence(Path.Combine(dir, "fence")), () => new VoterSet(Ids),
            position: new ReplicaPosition(Path.Combine(dir, "position")));
        Stores[id] = store;
        Replicas[id] = replica;
        Network.Add(id, replica);
        Queues[id] = new QuorumWorkQueue(id, replica, Network.From(id), () => new VoterSet(Ids), RequestTimeout);
    }

    public async Task<QuorumWorkQueue> LeadAsync(string id, long epoch)
    {
        Assert.True(await Queues[id].ActivateAsync(epoch, CancellationToken.None), $"{id} could not take over at epoch {epoch}");
        return Queues[id];
    }

    /// <summary>Closes one node's store (so its WAL is checkpointed into the file), copies the file, reopens it.</summary>
    public async Task<byte[]> BackUpQueueAsync(string id)
    {
        await Stores[id].DisposeAsync();
        var copy = await File.ReadAllBytesAsync(Path.Combine(_root, id, "queue.db"));
        await OpenAsync(id);
        return copy;
    }

    /// <summary>Restarts one node with its queue file replaced by <paramref name="backup"/> (its fence and position files kept).</summary>
    public async Task RestoreQueueAsync(string id, byte[] backup)
    {
        await Stores[id].DisposeAsync();
        var path = Path.Combine(_root, id, "queue.db");
        foreach (var leftover in new[] { path + "-wal", path + "-shm" }) File.Delete(leftover);
        await File.WriteAllBytesAsync(path, backup);
        await OpenAsync(id);
    }

    /// <summary>The fence file of one node, for a test that restores it from an older backup.</summary>
    public string FencePath(string id) => Path.Combine(_root, id, "fence");

    /// <summary>
    /// What the node's election loop does after every tick (ElectionLoop.AlignQueue), for every node
    /// that is not crashed: a node that leads takes the queue over at its epoch unless it serves it
    /// already; any other node stops serving.
    /// </summary>
    public async Task AlignAsync(ElectionCluster cluster)
    {
        foreach (var id in Ids)
        {
            if (cluster.Network.IsCrashed(id)) continue;
            var election = cluster[id];
            if (!election.IsLeader) Queues[id].Deactivate();
            else if (Queues[id].ActiveEpoch != election.Snapshot.Epoch) await Queues[id].ActivateAsync(election.Snapshot.Epoch, CancellationToken.None);
        }
    }

    /// <summary>The node that leads and serves the queue at an epoch above <paramref name="above"/>, or null.</summary>
    public string? Serving(ElectionCluster cluster, long above = 0) =>
        Ids.SingleOrDefault(id => !cluster.Network.IsCrashed(id) && cluster[id].IsLeader
            && cluster[id].Snapshot.Epoch > above && Queues[id].ActiveEpoch == cluster[id].Snapshot.Epoch);

    /// <summary>
    /// Runs election rounds (each followed by <see cref="AlignAsync"/> and <paramref name="check"/>) until
    /// a node serves the queue at an epoch above <paramref name="above"/>; fails when none does within
    /// <paramref name="within"/> of the rig's clock.
    /// </summary>
    public async Task<string> RunUntilServingAsync(ElectionCluster cluster, TimeSpan within, long above = 0, Action? check = null)
    {
        var deadline = cluster.Clock.GetUtcNow() + within;
        while (true)
        {
            if (Serving(cluster, above) is { } leader) return leader;
            Assert.True(cluster.Clock.GetUtcNow() < deadline,
                $"no node serves the queue above epoch {above} {within} later: " + string.Join("; ", Ids.Select(id =>
                    $"{id} {cluster[id].Snapshot.Role} epoch={cluster[id].Snapshot.Epoch} known={cluster[id].Snapshot.KnownEpoch} " +
                    $"queue={Queues[id].ActiveEpoch} fence={Replicas[id].Fence.Epoch}")));
            cluster.Run(1);
            await AlignAsync(cluster);
            check?.Invoke();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in Stores.Values) await s.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
