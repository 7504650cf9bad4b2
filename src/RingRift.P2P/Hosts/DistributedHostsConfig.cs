namespace RingRift.P2P.Hosts;

/// <summary>The cluster inventory read from <c>distributed_hosts.yaml</c>. Lists and hosts keep file order.</summary>
public sealed record DistributedHostsConfig
{
    /// <summary>An inventory with no voters, no Raft members and no hosts.</summary>
    public static DistributedHostsConfig Empty { get; } = new();

    /// <summary><c>p2p_voters</c>: nodes that vote in Bully leases; empty when absent.</summary>
    public IReadOnlyList<string> P2pVoters { get; init; } = [];

    /// <summary><c>raft_members</c>: the Raft group; empty when absent (then use <see cref="Voters"/>).</summary>
    public IReadOnlyList<string> RaftMembers { get; init; } = [];

    /// <summary><c>hosts</c> by id, in file order; ids compare ordinally.</summary>
    public IReadOnlyDictionary<string, HostEntry> Hosts { get; init; } = new Dictionary<string, HostEntry>();

    /// <summary><see cref="P2pVoters"/> when non-empty; else the ids of hosts with <c>voter: true</c>, in file order; else empty.</summary>
    public IReadOnlyList<string> Voters()
    {
        if (P2pVoters.Count > 0) return P2pVoters;
        return Hosts.Values.Where(h => h.Voter).Select(h => h.Id).ToArray();
    }

    /// <summary><see cref="RaftMembers"/> when non-empty, else <see cref="Voters"/> (the example file's rule).</summary>
    public IReadOnlyList<string> RaftGroup() => RaftMembers.Count > 0 ? RaftMembers : Voters();

    /// <summary>Hosts whose <see cref="HostEntry.IsActive"/> is true, in file order.</summary>
    public IReadOnlyList<HostEntry> ActiveHosts() => Hosts.Values.Where(h => h.IsActive).ToArray();
}
