using System.Globalization;
using RingRift.P2P.Json;
using V = RingRift.P2P.Config.P2PEnvironmentVariables;

namespace RingRift.P2P.Config;

public sealed partial record P2PConfig
{
    /// <summary>
    /// Every variable <see cref="FromEnvironment"/> reads, with its default (taken from
    /// <c>new P2PConfig()</c>, so it cannot drift) and a one-line description. The README's
    /// configuration table is generated from, and checked against, this list.
    /// </summary>
    public static IReadOnlyList<(string Variable, string Default, string Description)> Documented { get; } = BuildDocumented();

    private static IReadOnlyList<(string, string, string)> BuildDocumented()
    {
        var d = new P2PConfig();
        var c = CultureInfo.InvariantCulture;
        static string Secs(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        static string Bool(bool b) => b ? "true" : "false";
        const string Unset = "(unset)";
        (string, string, string)[] rows =
        [
            (V.Port, d.DefaultPort.ToString(c), "HTTP API port (1-65535)"),
            (V.HeartbeatInterval, Secs(d.HeartbeatInterval), "Seconds between heartbeats (>0, <=3600, decimals allowed)"),
            (V.PeerTimeout, Secs(d.PeerTimeout), "Seconds of silence before a peer counts as dead (>0, <=86400, greater than the heartbeat interval)"),
            (V.LeaderLease, Secs(d.LeaderLeaseDuration), "Leader lease length in seconds (>0, <=86400); alias: RINGRIFT_P2P_LEADER_LEASE_DURATION (the original's name; both set to different values is an error)"),
            (V.LoadMaxForNewJobs, d.LoadMaxForNewJobs.ToString(c), "A node takes new jobs only while its load score is below this (>0, <=1; the original's percent form, above 1 and at most 100, is divided by 100)"),
            (V.JobCheckInterval, Secs(d.JobCheckInterval), "Seconds between the leader's training-trigger checks (>0, <=86400)"),
            (V.SwimEnabled, Bool(d.SwimEnabled), "Enable SWIM membership (true/false/1/0/yes/no/on/off); false means HTTP heartbeats only, whatever the mode (the rollback switch)"),
            (V.RaftEnabled, Bool(d.RaftEnabled), "Enable Raft consensus (true/false/1/0/yes/no/on/off): starts the Raft member; CONSENSUS_MODE decides whether it serves the queue"),
            (V.MembershipMode, WireName(d.MembershipMode), "Membership protocol when SWIM is enabled: http, swim (SWIM decides liveness) or hybrid (SWIM or HTTP heartbeats)"),
            (V.ConsensusMode, WireName(d.ConsensusMode), "Consensus protocol: bully, raft or hybrid"),
            (V.SwimBindPort, d.SwimBindPort.ToString(c), "SWIM port, UDP and TCP (1-65535)"),
            (V.SwimSeeds, "(empty)", "Comma-separated SWIM join seeds as host:port at their SWIM ports (IPv6 as [::1]:7947); added to the hosts file's voters"),
            (V.RaftBindPort, d.RaftBindPort.ToString(c), "Raft TCP port (1-65535)"),
            (V.RaftElectionTimeout, d.RaftElectionTimeoutMs.ToString(c), "Raft election timeout lower bound in ms (20-60000): each member draws its timeout from its own slice of [x, 2x] (members sorted by address), heartbeat RINGRIFT_RAFT_HEARTBEAT_RATIO x, request timeout 0.8x; raise above ~4x the worst round trip between members"),
            (V.RaftHeartbeatRatio, d.RaftHeartbeatRatio.ToString(c), "The Raft leader's heartbeat interval as a fraction of the election timeout (0.05-0.5); each heartbeat is a round trip to every follower, so a larger ratio costs less idle CPU and leaves fewer heartbeats per timeout to absorb a late one"),
            (V.RaftWarmUp, Bool(d.RaftWarmUp), "Before joining a Raft group of 2+ members, elect twice in a throwaway in-process group on loopback so the first real failover runs warm code (true/false; ~1-2 s more start-up)"),
            (V.RaftPeers, "(empty)", "Comma-separated Raft members as host:port at their Raft ports, this node included; used when the hosts file has no raft_members / p2p_voters; empty: a single-node group"),
            (V.AuthToken, Unset, "Shared cluster token; when set, every non-GET request (and GET /work/claim) must carry it"),
            (V.AuthTokenFile, Unset, "File holding the cluster token (trimmed); do not combine with " + V.AuthToken),
            (V.NodeId, Unset, "This node's id (1-128 letters, digits, '-', '_', '.')"),
            (V.Voters, "(empty)", "Comma-separated voter node ids; empty means p2p_voters from the hosts file, else every node votes"),
            (V.Peers, "(empty)", "Comma-separated seed peers as host:port (IPv6 as [::1]:8770)"),
            (V.HostsFile, Unset, "Path of distributed_hosts.yaml"),
            (V.DataDir, Unset, "Directory for the node's state (default ./data/<node-id>)"),
            (V.BindHost, d.BindHost, "Address the HTTP API listens on"),
            (V.AdvertiseAddress, Unset, "Address other nodes use to reach this node; alias: RINGRIFT_P2P_ADVERTISE_HOST (the original's name)"),
            (V.MaxRequestBodyBytes, d.MaxRequestBodyBytes.ToString(c), "Largest accepted request body in bytes (1024-104857600)"),
            (V.WorkRequireFencing, Bool(d.WorkRequireFencing), "Refuse start/complete/fail without proof of the claim: a fencing_token while Raft serves, a node_id while SQLite serves (true/false); off, the claimant is taken from the item, as in the original"),
            (V.StorageReserveMb, d.StorageReserveMb.ToString(c), "MiB of the data dir kept in a reserve file, deleted when the disk fills up so lease renewals still fit; work-queue writes resume once twice this is free (0-1000000; 0: none)"),
            (V.QueueRetention, Secs(d.QueueRetention), "Seconds the queue keeps a finished (completed, failed, cancelled) item after it finished; the leader prunes older ones, on every replica (0-31536000; 0: no age limit; training and evaluation items are kept)"),
            (V.QueueRetainMax, d.QueueRetainMax.ToString(c), "Most finished items the queue keeps, training and evaluation not counted; beyond it the oldest are pruned (0-100000000; 0: no count limit)"),
        ];
        return rows.AsReadOnly();
    }

    private static string WireName<T>(T value) where T : struct, Enum =>
        WireNames.Of<T>().First(pair => EqualityComparer<T>.Default.Equals(pair.Value, value)).Key;
}
