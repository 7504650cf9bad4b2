using RingRift.P2P.Membership;

namespace RingRift.P2P.Scheduling;

/// <summary>The "declared dead" verdict of the HTTP-heartbeat membership, for <see cref="DeadNodeRequeuer"/>.</summary>
public static class PeerTableDeaths
{
    /// <summary>
    /// A node is declared dead when this table has heard from it and its last heartbeat is at least
    /// one <see cref="PeerTable.PeerTimeout"/> old. Nodes never heard, or that said they were leaving,
    /// are not declared dead: the requeuer treats the first as dead only after its grace, the second after
    /// its departed grace.
    /// </summary>
    public static Func<string, bool> IsDeclaredDead(PeerTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return nodeId => table.HeartbeatAge(nodeId) is { } age && age >= table.PeerTimeout;
    }
}
