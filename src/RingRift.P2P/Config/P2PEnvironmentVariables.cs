namespace RingRift.P2P.Config;

/// <summary>Names of the environment variables <see cref="P2PConfig.FromEnvironment"/> reads.</summary>
public static class P2PEnvironmentVariables
{
    public const string Port = "RINGRIFT_P2P_PORT";
    public const string HeartbeatInterval = "RINGRIFT_P2P_HEARTBEAT_INTERVAL";
    public const string PeerTimeout = "RINGRIFT_P2P_PEER_TIMEOUT";
    public const string LeaderLease = "RINGRIFT_P2P_LEADER_LEASE";
    public const string LoadMaxForNewJobs = "RINGRIFT_P2P_LOAD_MAX_FOR_NEW_JOBS";
    public const string JobCheckInterval = "RINGRIFT_P2P_JOB_CHECK_INTERVAL";
    public const string SwimEnabled = "RINGRIFT_SWIM_ENABLED";
    public const string RaftEnabled = "RINGRIFT_RAFT_ENABLED";
    public const string MembershipMode = "RINGRIFT_MEMBERSHIP_MODE";
    public const string ConsensusMode = "RINGRIFT_CONSENSUS_MODE";
    public const string SwimBindPort = "RINGRIFT_SWIM_BIND_PORT";
    public const string SwimSeeds = "RINGRIFT_SWIM_SEEDS";
    public const string RaftBindPort = "RINGRIFT_RAFT_BIND_PORT";
    public const string RaftPeers = "RINGRIFT_RAFT_PEERS";
    public const string RaftElectionTimeout = "RINGRIFT_RAFT_ELECTION_TIMEOUT_MS";
    public const string RaftHeartbeatRatio = "RINGRIFT_RAFT_HEARTBEAT_RATIO";
    public const string RaftWarmUp = "RINGRIFT_RAFT_WARMUP";
    public const string AuthToken = "RINGRIFT_CLUSTER_AUTH_TOKEN";
    public const string AuthTokenFile = "RINGRIFT_CLUSTER_AUTH_TOKEN_FILE";
    public const string NodeId = "RINGRIFT_NODE_ID";
    public const string Voters = "RINGRIFT_P2P_VOTERS";
    public const string Peers = "RINGRIFT_P2P_PEERS";
    public const string HostsFile = "RINGRIFT_P2P_HOSTS_FILE";
    public const string DataDir = "RINGRIFT_P2P_DATA_DIR";
    public const string BindHost = "RINGRIFT_P2P_HOST";
    public const string AdvertiseAddress = "RINGRIFT_P2P_ADVERTISE_ADDRESS";
    public const string MaxRequestBodyBytes = "RINGRIFT_P2P_MAX_BODY_BYTES";
    public const string WorkRequireFencing = "RINGRIFT_WORK_REQUIRE_FENCING";
    public const string StorageReserveMb = "RINGRIFT_P2P_STORAGE_RESERVE_MB";
    public const string QueueRetention = "RINGRIFT_QUEUE_RETENTION";
    public const string QueueRetainMax = "RINGRIFT_QUEUE_RETAIN_MAX";

    /// <summary>
    /// Seed name → the original orchestrator's name for the same setting, read when the seed name is
    /// not set (both set to different values is an error naming both).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [LeaderLease] = "RINGRIFT_P2P_LEADER_LEASE_DURATION",
        [AdvertiseAddress] = "RINGRIFT_P2P_ADVERTISE_HOST",
    };

    /// <summary>
    /// The variable that sets the setting <paramref name="name"/> in <paramref name="env"/> (the process
    /// environment when null): <paramref name="name"/> itself, or its alias when only that is set; null when
    /// neither holds a non-blank value (the setting then has its default). Read as the node reads it.
    /// </summary>
    public static string? SetBy(string name, IReadOnlyDictionary<string, string?>? env = null) => new EnvironmentReader(env).SetBy(name);
}
