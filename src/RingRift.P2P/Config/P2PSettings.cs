using RingRift.P2P.Membership;
using V = RingRift.P2P.Config.P2PEnvironmentVariables;

namespace RingRift.P2P.Config;

/// <summary>The validation rule of every <see cref="P2PConfig"/> setting, keyed by its variable.</summary>
internal static class P2PSettings
{
    public static readonly IntRule Port = new(V.Port, 1, 65535);
    public static readonly SecondsRule HeartbeatInterval = new(V.HeartbeatInterval, 3600);
    public static readonly SecondsRule PeerTimeout = new(V.PeerTimeout, 86400);
    public static readonly SecondsRule LeaderLease = new(V.LeaderLease, 86400);
    public static readonly FractionOrPercentRule LoadMaxForNewJobs = new(V.LoadMaxForNewJobs);
    public static readonly SecondsRule JobCheckInterval = new(V.JobCheckInterval, 86400);
    public static readonly BoolRule SwimEnabled = new(V.SwimEnabled);
    public static readonly BoolRule RaftEnabled = new(V.RaftEnabled);
    public static readonly BoolRule RaftWarmUp = new(V.RaftWarmUp);
    public static readonly EnumRule<MembershipMode> MembershipMode = new(V.MembershipMode);
    public static readonly EnumRule<ConsensusMode> ConsensusMode = new(V.ConsensusMode);
    public static readonly IntRule SwimBindPort = new(V.SwimBindPort, 1, 65535);
    public static readonly IntRule RaftBindPort = new(V.RaftBindPort, 1, 65535);
    public static readonly IntRule RaftElectionTimeout = new(V.RaftElectionTimeout, 20, 60000);
    public static readonly NumberRule RaftHeartbeatRatio = new(V.RaftHeartbeatRatio, 0.05, true, 0.5);
    public static readonly NodeIdRule NodeId = new(V.NodeId);
    public static readonly TextRule HostsFile = new(V.HostsFile);
    public static readonly TextRule DataDir = new(V.DataDir);
    public static readonly HostRule BindHost = new(V.BindHost);
    public static readonly HostRule AdvertiseAddress = new(V.AdvertiseAddress);
    public static readonly IntRule MaxRequestBodyBytes = new(V.MaxRequestBodyBytes, 1024, 104_857_600);
    public static readonly BoolRule WorkRequireFencing = new(V.WorkRequireFencing);
    public static readonly NumberRule StorageReserveMb = new(V.StorageReserveMb, 0, minInclusive: true, 1_000_000, "MiB");
    public static readonly NumberRule QueueRetention = new(V.QueueRetention, 0, minInclusive: true, 31_536_000, "seconds");
    public static readonly IntRule QueueRetainMax = new(V.QueueRetainMax, 0, 100_000_000);

    public const string VotersAllowed = "expected a comma-separated list of distinct node ids (" + NodeIds.Allowed + ")";
    public const string PeersAllowed = "expected a comma-separated list of host:port with a port from 1 to 65535 (IPv6 as [::1]:8770)";
    public const string RaftPeersAllowed = "expected a comma-separated list of host:port of every Raft member, this node included, with a port from 1 to 65535 (IPv6 as [::1]:4321)";
    public const string SwimSeedsAllowed = "expected a comma-separated list of host:port of SWIM members with a port from 1 to 65535 (IPv6 as [::1]:7947)";
    public const string TokenAllowed = "expected a token without control characters";
}
