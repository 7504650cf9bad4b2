using RingRift.P2P.Coordination;

namespace RingRift.P2P.Testing.Coordination;

/// <summary>
/// Replicas wired together in memory. A replica can be taken down (its calls answer null, as a
/// timeout would) or have its link from one sender cut.
/// </summary>
public sealed class InMemoryReplicaNetwork
{
    private readonly Dictionary<string, WorkReplica> _replicas = new(StringComparer.Ordinal);
    private readonly HashSet<string> _down = new(StringComparer.Ordinal);
    private readonly HashSet<(string From, string To)> _cut = [];
    private readonly HashSet<string> _dropDeletions = new(StringComparer.Ordinal);

    public void Add(string nodeId, WorkReplica replica) => _replicas[nodeId] = replica;

    public void Down(string nodeId) => _down.Add(nodeId);

    public void Up(string nodeId) => _down.Remove(nodeId);

    public void Cut(string from, string to) => _cut.Add((from, to));

    /// <summary>Pushes to <paramref name="nodeId"/> that carry deletions (<see cref="ReplicateRequest.Pruned"/>) are lost; all others arrive.</summary>
    public void DropDeletionsTo(string nodeId) => _dropDeletions.Add(nodeId);

    public void HealAll()
    {
        _down.Clear();
        _cut.Clear();
        _dropDeletions.Clear();
    }

    /// <summary>How many pushes and syncs were delivered (for assertions).</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    private int _delivered;

    public IReplicaTransport From(string sender) => new Transport(this, sender);

    private bool Reachable(string from, string to) =>
        _replicas.ContainsKey(to) && !_down.Contains(to) && !_down.Contains(from) && !_cut.Contains((from, to));

    private sealed class Transport(InMemoryReplicaNetwork net, string sender) : IReplicaTransport
    {
        public async Task<ReplicateAck?> ReplicateAsync(string nodeId, ReplicateRequest request, CancellationToken ct)
        {
            if (!net.Reachable(sender, nodeId)) return null;
            if (request.Pruned is { Count: > 0 } && net._dropDeletions.Contains(nodeId)) return null;
            Interlocked.Increment(ref net._delivered);
            return await net._replicas[nodeId].HandleReplicateAsync(request, ct);
        }

        public async Task<ReplicaSyncResponse?> SyncAsync(string nodeId, ReplicaSyncRequest request, CancellationToken ct)
        {
            if (!net.Reachable(sender, nodeId)) return null;
            Interlocked.Increment(ref net._delivered);
            return await net._replicas[nodeId].HandleSyncAsync(request, ct);
        }
    }
}
