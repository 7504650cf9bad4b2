using System.Globalization;
using System.Text;
using RingRift.P2P.Membership;
using S = RingRift.P2P.Config.P2PSettings;
using V = RingRift.P2P.Config.P2PEnvironmentVariables;

namespace RingRift.P2P.Config;

/// <summary>
/// Node configuration: the seed's <c>P2PConfig</c> constants plus the settings this service adds.
/// Build it with <see cref="FromEnvironment"/> or read the process-wide <see cref="Current"/>;
/// <c>new P2PConfig()</c> gives the defaults. Every <c>init</c> checks its value (so a
/// <c>with</c> expression cannot store a bad one); the rule that spans two settings
/// (<see cref="PeerTimeout"/> &gt; <see cref="HeartbeatInterval"/>) is checked by
/// <see cref="Validate"/>, which <see cref="FromEnvironment"/> always calls.
/// </summary>
/// <remarks>
/// Bad values throw <see cref="P2PConfigException"/>. <see cref="ToString"/> never shows
/// <see cref="AuthToken"/>.
/// </remarks>
public sealed partial record P2PConfig
{
    /// <summary>HTTP API port (<c>RINGRIFT_P2P_PORT</c>, 1–65535).</summary>
    /// <value>8770 by default, as in the seed.</value>
    public int DefaultPort { get; init => field = S.Port.Check(value); } = 8770;

    /// <summary>How often a node sends heartbeats (<c>RINGRIFT_P2P_HEARTBEAT_INTERVAL</c>, seconds, &gt; 0 and ≤ 3600).</summary>
    /// <value>5 seconds by default.</value>
    public TimeSpan HeartbeatInterval { get; init => field = S.HeartbeatInterval.Check(value); } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Silence after which a peer counts as dead (<c>RINGRIFT_P2P_PEER_TIMEOUT</c>, seconds, &gt; 0 and ≤ 86400).
    /// Must be greater than <see cref="HeartbeatInterval"/>.
    /// </summary>
    /// <value>15 seconds by default: three missed heartbeats.</value>
    public TimeSpan PeerTimeout { get; init => field = S.PeerTimeout.Check(value); } = TimeSpan.FromSeconds(15);

    /// <summary>Leader lease length (<c>RINGRIFT_P2P_LEADER_LEASE</c>, seconds, &gt; 0 and ≤ 86400).</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan LeaderLeaseDuration { get; init => field = S.LeaderLease.Check(value); } = TimeSpan.FromSeconds(30);

    /// <summary>A node takes new jobs only while its load score is below this (<c>RINGRIFT_P2P_LOAD_MAX_FOR_NEW_JOBS</c>, &gt; 0 and ≤ 1).</summary>
    /// <value>0.8 by default.</value>
    public double LoadMaxForNewJobs { get; init => field = S.LoadMaxForNewJobs.Check(value); } = 0.8;

    /// <summary>
    /// True when <c>RINGRIFT_P2P_LOAD_MAX_FOR_NEW_JOBS</c> was given in the original orchestrator's percent
    /// form (above 1, at most 100) and divided by 100; the node logs that once at start-up.
    /// </summary>
    public bool LoadMaxForNewJobsFromPercent { get; init; }

    /// <summary>How often the leader looks for work to dispatch (<c>RINGRIFT_P2P_JOB_CHECK_INTERVAL</c>, seconds, &gt; 0 and ≤ 86400).</summary>
    /// <value>15 seconds by default.</value>
    public TimeSpan JobCheckInterval { get; init => field = S.JobCheckInterval.Check(value); } = TimeSpan.FromSeconds(15);

    /// <summary>Switches SWIM membership on (<c>RINGRIFT_SWIM_ENABLED</c>).</summary>
    /// <value>false by default.</value>
    public bool SwimEnabled { get; init; }

    /// <summary>Switches Raft consensus on (<c>RINGRIFT_RAFT_ENABLED</c>).</summary>
    /// <value>false by default.</value>
    public bool RaftEnabled { get; init; }

    /// <summary>Membership protocol (<c>RINGRIFT_MEMBERSHIP_MODE</c>: http, swim, hybrid).</summary>
    /// <value><see cref="Config.MembershipMode.Http"/> by default.</value>
    public MembershipMode MembershipMode { get; init => field = S.MembershipMode.Check(value); } = MembershipMode.Http;

    /// <summary>Consensus protocol (<c>RINGRIFT_CONSENSUS_MODE</c>: bully, raft, hybrid).</summary>
    /// <value><see cref="Config.ConsensusMode.Bully"/> by default.</value>
    public ConsensusMode ConsensusMode { get; init => field = S.ConsensusMode.Check(value); } = ConsensusMode.Bully;

    /// <summary>SWIM UDP port (<c>RINGRIFT_SWIM_BIND_PORT</c>, 1–65535).</summary>
    /// <value>7947 by default.</value>
    public int SwimBindPort { get; init => field = S.SwimBindPort.Check(value); } = 7947;

    /// <summary>
    /// SWIM join seeds (<c>RINGRIFT_SWIM_SEEDS</c>, comma list of host:port at SWIM ports; IPv6 as
    /// <c>[::1]:7947</c>), for ad-hoc clusters; added to the seeds taken from the hosts file.
    /// </summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<string> SwimSeeds { get; init => field = CheckPeers(value, null, V.SwimSeeds, S.SwimSeedsAllowed); } = [];

    /// <summary>Raft TCP port (<c>RINGRIFT_RAFT_BIND_PORT</c>, 1–65535).</summary>
    /// <value>4321 by default.</value>
    public int RaftBindPort { get; init => field = S.RaftBindPort.Check(value); } = 4321;

    /// <summary>
    /// Lower bound of the Raft election timeout in ms (<c>RINGRIFT_RAFT_ELECTION_TIMEOUT_MS</c>, 20–60,000);
    /// each member draws its timeout from its own slice of [x, 2x], the leader heartbeats every 0.2x, a request times out
    /// after 0.8x. Raise it above ~4 × the worst round trip between members (cross-cloud groups).
    /// </summary>
    /// <value>100 by default (100–200 ms: sub-second failover on a LAN; DotNext recommends 150–300 ms).</value>
    public int RaftElectionTimeoutMs { get; init => field = S.RaftElectionTimeout.Check(value); } = 100;

    /// <summary>
    /// The Raft leader's heartbeat interval as a fraction of <see cref="RaftElectionTimeoutMs"/>
    /// (<c>RINGRIFT_RAFT_HEARTBEAT_RATIO</c>, 0.05–0.5). Each heartbeat is an AppendEntries round trip to
    /// every follower, most of an idle Raft member's CPU; a follower notices a dead leader after its own
    /// election timeout whatever the heartbeat, so a larger ratio costs less CPU but leaves fewer heartbeats
    /// in a timeout to absorb a late one.
    /// </summary>
    /// <value>0.2 by default.</value>
    public double RaftHeartbeatRatio { get; init => field = S.RaftHeartbeatRatio.Check(value); } = 0.2;

    /// <summary>
    /// Before a Raft member of a group of two or more joins, run a throwaway three-member group on
    /// loopback inside the process (<c>RINGRIFT_RAFT_WARMUP</c>), so a member that has never led does
    /// not compile the leader's code during its first failover (~1–2 s more start-up).
    /// </summary>
    /// <value>true by default.</value>
    public bool RaftWarmUp { get; init; } = true;

    /// <summary>
    /// Every Raft member as host:port at its Raft port, this node included (<c>RINGRIFT_RAFT_PEERS</c>);
    /// used when the hosts file names no <c>raft_members</c> / <c>p2p_voters</c>. Empty: a single-node group.
    /// </summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<string> RaftPeers { get; init => field = CheckPeers(value, null, V.RaftPeers, S.RaftPeersAllowed); } = [];

    /// <summary>
    /// Shared cluster secret (<c>RINGRIFT_CLUSTER_AUTH_TOKEN</c>, or the trimmed content of the file
    /// named by <c>RINGRIFT_CLUSTER_AUTH_TOKEN_FILE</c>; not both). Never printed.
    /// </summary>
    /// <value>null by default: no authentication.</value>
    public string? AuthToken { get; init => field = CheckToken(value); }

    /// <summary>This node's id (<c>RINGRIFT_NODE_ID</c>, 1–128 letters, digits, '-', '_', '.').</summary>
    /// <value>null by default: the host decides (e.g. from the machine name).</value>
    public string? NodeId { get; init => field = S.NodeId.Check(value); }

    /// <summary>Nodes whose leases make a leader (<c>RINGRIFT_P2P_VOTERS</c>, comma list of distinct node ids).</summary>
    /// <value>Empty by default: voters come from the hosts file, if any.</value>
    public IReadOnlyList<string> Voters { get; init => field = CheckVoters(value, null); } = [];

    /// <summary>Seed peers (<c>RINGRIFT_P2P_PEERS</c>, comma list of host:port; IPv6 as <c>[::1]:8770</c>).</summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<string> Peers { get; init => field = CheckPeers(value, null, V.Peers, S.PeersAllowed); } = [];

    /// <summary>Path of <c>distributed_hosts.yaml</c> (<c>RINGRIFT_P2P_HOSTS_FILE</c>).</summary>
    /// <value>null by default: no hosts file.</value>
    public string? HostsFile { get; init => field = S.HostsFile.Check(value); }

    /// <summary>Directory for the node's state (<c>RINGRIFT_P2P_DATA_DIR</c>).</summary>
    /// <value>null by default: the host picks one.</value>
    public string? DataDir { get; init => field = S.DataDir.Check(value); }

    /// <summary>Address the HTTP API listens on (<c>RINGRIFT_P2P_HOST</c>, host name or IP).</summary>
    /// <value>"0.0.0.0" (all IPv4 interfaces) by default.</value>
    public string BindHost { get; init => field = S.BindHost.Check(value) ?? throw S.BindHost.Fail("(null)"); } = "0.0.0.0";

    /// <summary>Address other nodes should use to reach this one (<c>RINGRIFT_P2P_ADVERTISE_ADDRESS</c>).</summary>
    /// <value>null by default: the host works it out.</value>
    public string? AdvertiseAddress { get; init => field = S.AdvertiseAddress.Check(value); }

    /// <summary>Largest accepted HTTP request body (<c>RINGRIFT_P2P_MAX_BODY_BYTES</c>, 1024 – 104857600).</summary>
    /// <value>1048576 (1 MiB) by default.</value>
    public int MaxRequestBodyBytes { get; init => field = S.MaxRequestBodyBytes.Check(value); } = 1_048_576;

    /// <summary>
    /// Refuse start / complete / fail without proof of the claim (<c>RINGRIFT_WORK_REQUIRE_FENCING</c>): a
    /// fencing token while Raft serves, a node id while the SQLite queue serves. Off by default, so the
    /// original orchestrator's workers (which send neither) keep working.
    /// </summary>
    /// <value>false by default.</value>
    public bool WorkRequireFencing { get; init; }

    /// <summary>
    /// Size of the reserve file kept in the data dir (<c>RINGRIFT_P2P_STORAGE_RESERVE_MB</c>, MiB, 0 – 1000000):
    /// deleted when the disk fills up, so the small state files a node must keep writing while full (the lease
    /// voter's promises) still fit; work-queue writes resume once twice this much is free.
    /// </summary>
    /// <value>1 MiB by default: thousands of lease renewals' worth of room, written once at start. 0: no reserve.</value>
    public double StorageReserveMb { get; init => field = S.StorageReserveMb.Check(value); } = 1;

    /// <summary>
    /// How long the queue keeps a finished item (completed, failed for good, cancelled) after it finished
    /// (<c>RINGRIFT_QUEUE_RETENTION</c>, seconds, 0 – 31536000); the leader prunes older ones. Zero: no age limit.
    /// </summary>
    /// <value>24 hours by default: a day of history for <c>/work</c> and the training loop, then memory stays flat.</value>
    public TimeSpan QueueRetention { get; init => field = TimeSpan.FromSeconds(S.QueueRetention.Check(value.TotalSeconds)); } = TimeSpan.FromHours(24);

    /// <summary>
    /// The most finished items the queue keeps (<c>RINGRIFT_QUEUE_RETAIN_MAX</c>, 0 – 100000000), training and
    /// evaluation items not counted; beyond it the oldest are pruned. 0: no count limit.
    /// </summary>
    /// <value>10,000 by default.</value>
    public int QueueRetainMax { get; init => field = S.QueueRetainMax.Check(value); } = 10_000;

    /// <summary>The retention policy these two settings make (<see cref="Coordination.QueueRetention"/>).</summary>
    public Coordination.QueueRetention Retention => new() { MaxAge = QueueRetention, MaxFinished = QueueRetainMax };

    /// <summary>
    /// Checks the rules that span settings: <see cref="PeerTimeout"/> must be greater than
    /// <see cref="HeartbeatInterval"/>. Returns this instance so it can end a <c>with</c> chain.
    /// </summary>
    /// <exception cref="P2PConfigException">A cross-setting rule is broken; the message names both variables.</exception>
    public P2PConfig Validate()
    {
        if (PeerTimeout <= HeartbeatInterval)
        {
            throw new P2PConfigException(V.PeerTimeout, Seconds(PeerTimeout),
                $"expected a number of seconds greater than {V.HeartbeatInterval} ({Seconds(HeartbeatInterval)})");
        }
        return this;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    private static string? CheckToken(string? token)
    {
        if (token is null) return null;
        // The value is a secret: the error shows a placeholder, never the token.
        if (token.Length == 0 || token.Any(char.IsControl) || token.Trim().Length != token.Length)
            throw new P2PConfigException(V.AuthToken, "<redacted>", S.TokenAllowed);
        return token;
    }

    private static IReadOnlyList<string> CheckVoters(IReadOnlyList<string> voters, string? raw)
    {
        ArgumentNullException.ThrowIfNull(voters, nameof(Voters));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in voters)
        {
            if (!NodeIds.IsValid(id))
                throw new P2PConfigException(V.Voters, raw ?? string.Join(",", voters), $"entry '{id}' is not a node id: {S.VotersAllowed}");
            if (!seen.Add(id))
                throw new P2PConfigException(V.Voters, raw ?? string.Join(",", voters), $"entry '{id}' is listed twice: {S.VotersAllowed}");
        }
        return voters.ToArray().AsReadOnly();
    }

    private static IReadOnlyList<string> CheckPeers(IReadOnlyList<string> peers, string? raw, string variable, string allowed)
    {
        ArgumentNullException.ThrowIfNull(peers, variable == V.Peers ? nameof(Peers) : variable == V.RaftPeers ? nameof(RaftPeers) : nameof(SwimSeeds));
        foreach (var peer in peers)
        {
            if (!PeerAddress.TryParse(peer, out _, out _, out var reason))
                throw new P2PConfigException(variable, raw ?? string.Join(",", peers), $"entry '{peer}' {reason}: {allowed}");
        }
        return peers.ToArray().AsReadOnly();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        var c = CultureInfo.InvariantCulture;
        builder.Append(c, $"DefaultPort = {DefaultPort}, HeartbeatInterval = {HeartbeatInterval}, PeerTimeout = {PeerTimeout}, ");
        builder.Append(c, $"LeaderLeaseDuration = {LeaderLeaseDuration}, LoadMaxForNewJobs = {LoadMaxForNewJobs}, LoadMaxForNewJobsFromPercent = {LoadMaxForNewJobsFromPercent}, JobCheckInterval = {JobCheckInterval}, ");
        builder.Append(c, $"SwimEnabled = {SwimEnabled}, RaftEnabled = {RaftEnabled}, MembershipMode = {MembershipMode}, ConsensusMode = {ConsensusMode}, ");
        builder.Append(c, $"SwimBindPort = {SwimBindPort}, SwimSeeds = [{string.Join(", ", SwimSeeds)}], RaftBindPort = {RaftBindPort}, RaftPeers = [{string.Join(", ", RaftPeers)}], RaftElectionTimeoutMs = {RaftElectionTimeoutMs}, RaftHeartbeatRatio = {RaftHeartbeatRatio.ToString(c)}, RaftWarmUp = {RaftWarmUp}, AuthToken = {(AuthToken is null ? "null" : "<redacted>")}, ");
        builder.Append(c, $"NodeId = {NodeId ?? "null"}, Voters = [{string.Join(", ", Voters)}], Peers = [{string.Join(", ", Peers)}], ");
        builder.Append(c, $"HostsFile = {HostsFile ?? "null"}, DataDir = {DataDir ?? "null"}, BindHost = {BindHost}, ");
        builder.Append(c, $"AdvertiseAddress = {AdvertiseAddress ?? "null"}, MaxRequestBodyBytes = {MaxRequestBodyBytes}, WorkRequireFencing = {WorkRequireFencing}, StorageReserveMb = {StorageReserveMb}, ");
        builder.Append(c, $"QueueRetention = {QueueRetention}, QueueRetainMax = {QueueRetainMax}");
        return true;
    }
}
