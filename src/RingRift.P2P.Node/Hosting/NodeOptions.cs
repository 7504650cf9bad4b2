using RingRift.P2P.Config;
using RingRift.P2P.Membership;
using RingRift.P2P.Models;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Node.Hosting;

/// <summary>Everything a node needs to start, resolved from flags, then environment, then defaults.</summary>
public sealed record NodeOptions
{
    public required string NodeId { get; init; }
    public required P2PConfig Config { get; init; }
    public string BindHost { get; init; } = "0.0.0.0";
    public int Port { get; init; } = 8770;
    /// <summary>Address peers should use for this node; null lets each peer use the address it saw.</summary>
    public string? AdvertiseAddress { get; init; }
    /// <summary>host:port addresses to contact first; their ids are learned from their replies.</summary>
    public IReadOnlyList<PeerEndpoint> Seeds { get; init; } = [];
    /// <summary>Peers known by id from the inventory file.</summary>
    public IReadOnlyDictionary<string, PeerEndpoint> KnownPeers { get; init; } = new Dictionary<string, PeerEndpoint>();
    /// <summary>Named voters (p2p_voters / RINGRIFT_P2P_VOTERS); empty means every node votes.</summary>
    public IReadOnlyList<string> NamedVoters { get; init; } = [];
    public required string DataDir { get; init; }
    /// <summary>SWIM UDP/TCP port (--swim-port, RINGRIFT_SWIM_BIND_PORT, the host's swim_port, 7947).</summary>
    public int SwimPort { get; init; } = 7947;
    /// <summary>SWIM join seeds: --swim-seeds or RINGRIFT_SWIM_SEEDS, plus the hosts file's voters (see <see cref="RingRift.P2P.Swim.SwimSeeds.FromDistributedHosts"/>).</summary>
    public IReadOnlyList<SwimEndpoint> SwimSeeds { get; init; } = [];
    /// <summary>Raft TCP port (--raft-port, RINGRIFT_RAFT_BIND_PORT, the host's raft_port, 4321).</summary>
    public int RaftPort { get; init; } = 4321;
    /// <summary>The Raft group and this node's place in it (see <see cref="RaftMembership.Resolve"/>).</summary>
    public RaftMembership Raft { get; init; } = RaftMembership.SingleNode("127.0.0.1", 4321, "default");
    /// <summary>Work types this node runs.</summary>
    public IReadOnlyList<JobType> Capabilities { get; init; } = JobTypes.All;

    /// <summary>The job runner's jobs file (--jobs, RINGRIFT_P2P_JOBS_FILE), loaded; null: this node runs no jobs.</summary>
    public Jobs.JobsFile? Jobs { get; init; }

    /// <summary>Job runner and data sync settings from the environment.</summary>
    public RingRift.P2P.Jobs.JobsSettings JobsSettings { get; init; } = new();

    /// <summary>Webhooks for cluster events: those the environment sets, then the jobs file's.</summary>
    public IReadOnlyList<RingRift.P2P.Notifications.WebhookConfig> Webhooks { get; init; } = [];

    /// <summary>Console log format and level (RINGRIFT_LOG_FORMAT, RINGRIFT_LOG_LEVEL).</summary>
    public LogSettings Logging { get; init; } = new();

    /// <summary>The inventory file as read (--hosts, RINGRIFT_P2P_HOSTS_FILE); null without one.</summary>
    public RingRift.P2P.Hosts.DistributedHostsConfig? Inventory { get; init; }

    /// <summary>
    /// Where the values the resolver picked came from, by setting (<c>node_id</c>, <c>port</c>, <c>voters</c>,
    /// <c>raft_members</c>, …): a flag (<c>--port</c>), a variable (<c>RINGRIFT_P2P_PORT</c>), a key of the
    /// node's inventory entry (<c>hosts.gpu-1.p2p_port</c>) or <c>default</c>. Empty when built in code.
    /// </summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();

    public bool IsVoter => NamedVoters.Count == 0 || NamedVoters.Contains(NodeId, StringComparer.Ordinal);
}
