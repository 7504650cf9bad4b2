using RingRift.P2P.Membership;

namespace RingRift.P2P.Testing.Election;

/// <summary>A membership view whose alive set the test sets by hand. Thread-safe.</summary>
public sealed class StaticMembershipView : IMembershipView
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _alive = new(StringComparer.Ordinal);

    public StaticMembershipView(string selfId, params string[] alivePeers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selfId);
        SelfId = selfId;
        SetAlive(alivePeers);
    }

    public string SelfId { get; }

    /// <summary>Replaces the alive set (the node itself is ignored if named).</summary>
    public void SetAlive(params string[] peers)
    {
        lock (_gate)
        {
            _alive.Clear();
            foreach (var p in peers)
            {
                if (p != SelfId)
                    _alive.Add(p);
            }
        }
    }

    public void MarkAlive(string peer)
    {
        if (peer == SelfId)
            return;
        lock (_gate) _alive.Add(peer);
    }

    public void MarkDead(string peer)
    {
        lock (_gate) _alive.Remove(peer);
    }

    public IReadOnlyCollection<string> GetAlivePeers()
    {
        lock (_gate) return _alive.ToArray();
    }

    public bool IsPeerAlive(string nodeId)
    {
        lock (_gate) return _alive.Contains(nodeId);
    }
}
