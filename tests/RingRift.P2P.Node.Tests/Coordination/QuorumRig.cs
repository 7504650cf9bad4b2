using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Sqlite;
using RingRift.P2P.Testing.Coordination;

namespace RingRift.P2P.Node.Tests.Coordination;

/// <summary>
/// Three voters n1..n3, each with its own SQLite store, fence file and <see cref="QuorumWorkQueue"/>,
/// wired through an in-memory network. Any of them can be made leader at an epoch.
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
        var replica = new WorkReplica(id, store, new ReplicaFence(Path.Combine(dir, "fence")), () => new VoterSet(Ids));
        Stores[id] = store;
        Network.Add(id, replica);
        Queues[id] = new QuorumWorkQueue(id, replica, Network.From(id), () => new VoterSet(Ids), RequestTimeout);
    }

    public async Task<QuorumWorkQueue> LeadAsync(string id, long epoch)
    {
        Assert.True(await Queues[id].ActivateAsync(epoch, CancellationToken.None), $"{id} could not take over at epoch {epoch}");
        return Queues[id];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in Stores.Values) await s.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
