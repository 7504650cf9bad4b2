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

    /// <summary>The file (path as given) this inventory was read from; null when built in code.</summary>
    public string? SourceName { get; init; }

    /// <summary>
    /// The line of every key the file set: <c>p2p_voters</c>, <c>raft_members[1]</c>, <c>hosts.a</c>,
    /// <c>hosts.a.p2p_port</c> (for a merged key, the line in force). Empty when built in code.
    /// </summary>
    public IReadOnlyDictionary<string, int> Lines { get; init; } = new Dictionary<string, int>();

    /// <summary><c>list/id</c> → the key of that id's item in the list, e.g. <c>raft_members/c</c> → <c>raft_members[2]</c>.</summary>
    public IReadOnlyDictionary<string, string> ListKeys { get; init; } = new Dictionary<string, string>();

    /// <summary>The line of <paramref name="key"/> in the file (see <see cref="Lines"/>); null when the file did not set it.</summary>
    public int? LineOf(string key) => Lines.TryGetValue(key, out var line) ? line : null;

    /// <summary>The key of <paramref name="id"/>'s item in <paramref name="list"/> (<c>raft_members[2]</c>), or <paramref name="list"/> when not listed.</summary>
    public string KeyOf(string list, string id) => ListKeys.TryGetValue($"{list}/{id}", out var key) ? key : list;

    /// <summary>
    /// An error about <paramref name="key"/> of this inventory, naming the file and the key's line
    /// (<c>distributed_hosts.yaml line 8: key 'raft_members[2]': …</c>).
    /// </summary>
    public HostsFileException Error(string key, string problem) =>
        new(SourceName ?? DistributedHosts.DefaultFileName, LineOf(key), key, problem);
}
