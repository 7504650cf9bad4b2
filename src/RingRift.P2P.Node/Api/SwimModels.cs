using RingRift.P2P.Config;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// GET /swim/status. With SWIM disabled it still answers 200 with <paramref name="Enabled"/> and
/// <paramref name="Available"/> false, <paramref name="MembershipMode"/> http and empty numbers, so
/// dashboards need no special case. <paramref name="Available"/> is also false after a failed start.
/// </summary>
/// <param name="ConfiguredMode">RINGRIFT_MEMBERSHIP_MODE as set.</param>
/// <param name="MembershipMode">The mode in force (http when SWIM is disabled).</param>
/// <param name="LivenessSource">Who decides "alive" right now: http, swim, or swim+http (hybrid).</param>
/// <param name="FallbackReason">Why liveness rests on HTTP although the mode asks for SWIM; null when it does not.</param>
/// <param name="UnresolvedSeeds">SWIM seeds whose id is unknown (all of them until the node has joined, then 0).</param>
public sealed record SwimStatusResponse(
    bool Enabled,
    bool Available,
    bool Started,
    MembershipMode ConfiguredMode,
    MembershipMode MembershipMode,
    string LivenessSource,
    string? FallbackReason,
    string? LastStartError,
    string? BindEndpoint,
    string? AdvertisedEndpoint,
    ulong Incarnation,
    int AwarenessScore,
    int AliveCount,
    int SuspectedCount,
    int FailedCount,
    int LeftCount,
    int MemberCount,
    IReadOnlyList<string> Seeds,
    int UnresolvedSeeds,
    IReadOnlyList<string> UnresolvedSeedNames,
    bool Authenticated,
    SwimPacketCounters Packets,
    SwimProtocolCounters Protocol,
    SwimTimings? Timings);

/// <summary>Inbound UDP packets (every received packet is accepted or dropped for authentication or decoding) and outbound ones.</summary>
public sealed record SwimPacketCounters(
    long Received,
    long Accepted,
    long DroppedAuth,
    long DroppedDecode,
    IReadOnlyDictionary<string, long> DroppedDecodeByError,
    long Sent);

/// <summary>Protocol counters since start (see SwimNodeStats).</summary>
public sealed record SwimProtocolCounters(
    long Probes,
    long IndirectProbes,
    long TcpFallbackProbes,
    long TcpFallbackAcks,
    long FailedProbes,
    long Suspicions,
    long Refutations,
    long PushPulls,
    long RequestsSent,
    long RequestsReceived,
    long RequestsRejected,
    long InconclusiveProbes,
    long FinalProbes,
    long AccusationsAnswered,
    long AccusationsResent,
    long LateSuspicionTimers,
    long LeavesAcknowledged,
    long LeavesAnswered,
    long DeathsAnswered,
    long SuspicionsRegossiped,
    long StaleAccusationProbes,
    long StaleDeathConfirmations)
{
    /// <summary>All zero: SWIM is not running.</summary>
    public static SwimProtocolCounters None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>The timings in force (SwimConfig), in seconds.</summary>
public sealed record SwimTimings(
    double ProbeIntervalSeconds,
    double ProbeTimeoutSeconds,
    int IndirectChecks,
    double SuspicionMult,
    double SuspicionFloorSeconds,
    double GossipIntervalSeconds,
    double PushPullIntervalSeconds);

/// <summary>GET /swim/members: every peer SWIM knows (never this node), ordered by id; empty with SWIM disabled.</summary>
public sealed record SwimMembersResponse(bool Enabled, bool Started, int Count, IReadOnlyList<SwimMemberStatus> Members);

/// <summary>One peer as SWIM sees it.</summary>
/// <param name="State">alive, suspect, dead or left.</param>
/// <param name="StateChangedAt">When this node last changed its belief about the peer, Unix seconds.</param>
/// <param name="HttpEndpoint">host:port of the peer's HTTP API from its SWIM metadata; null when it gossips none.</param>
public sealed record SwimMemberStatus(
    string NodeId,
    string Address,
    int Port,
    string State,
    ulong Incarnation,
    double StateChangedAt,
    string? HttpEndpoint);
