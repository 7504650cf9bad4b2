using System.Diagnostics.Metrics;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Node.Metrics;

/// <summary>
/// Meter <c>RingRift.P2P.Membership</c>: peers by state as HTTP heartbeats and SWIM each see them, and SWIM's
/// protocol counters. Every value is read, when scraped, from the counters <c>/status</c> shows
/// (<see cref="SwimNodeStats"/>, the packet reader's stats), so nothing is counted twice.
/// </summary>
public sealed class MembershipMetrics
{
    public const string MeterName = "RingRift.P2P.Membership";

    public MembershipMetrics(IMeterFactory meters, NodeMembership membership, PeerTable peers)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("ringrift_p2p_members", () => Members(membership, peers),
            description: "Peers (this node excluded) by state, as each membership source sees them");

        Counter(meter, "ringrift_p2p_swim_probes", "SWIM direct probes started", membership, s => s.Probes);
        Counter(meter, "ringrift_p2p_swim_probes_failed", "SWIM probes with no ack by the end of their period", membership, s => s.FailedProbes);
        Counter(meter, "ringrift_p2p_swim_probes_inconclusive", "SWIM probes not counted as failed because this node's own timers ran late", membership, s => s.InconclusiveProbes);
        Counter(meter, "ringrift_p2p_swim_indirect_probes", "SWIM indirect ping requests sent to helpers", membership, s => s.IndirectProbes);
        Counter(meter, "ringrift_p2p_swim_tcp_fallback_probes", "SWIM TCP fallback pings sent", membership, s => s.TcpFallbackProbes);
        Counter(meter, "ringrift_p2p_swim_suspicions", "SWIM suspicions started here", membership, s => s.Suspicions);
        Counter(meter, "ringrift_p2p_swim_refutations", "Accusations about this node it refuted", membership, s => s.Refutations);
        Counter(meter, "ringrift_p2p_swim_accusations_answered", "Accusations about this node answered at once with its Alive", membership, s => s.AccusationsAnswered);
        Counter(meter, "ringrift_p2p_swim_late_suspicion_timers", "Suspicion timers that fired late (this node stalled) and got a grace period", membership, s => s.LateSuspicionTimers);
        Counter(meter, "ringrift_p2p_swim_final_probes", "Last pings sent to a suspect before declaring it dead", membership, s => s.FinalProbes);
        Counter(meter, "ringrift_p2p_swim_accusations_resent", "Accusations sent again to a suspect acked only through a helper or TCP", membership, s => s.AccusationsResent);
        Counter(meter, "ringrift_p2p_swim_push_pulls", "SWIM push-pull exchanges completed", membership, s => s.PushPulls);
        Counter(meter, "ringrift_p2p_swim_datagrams_sent", "SWIM UDP datagrams sent", membership, s => s.PacketsSent);
        Counter(meter, "ringrift_p2p_swim_datagrams_received", "SWIM UDP datagrams received, before authentication", membership, s => s.PacketsReceived);
        Counter(meter, "ringrift_p2p_swim_sent", "SWIM UDP payload bytes sent", membership, s => s.BytesSent, "By");
        Counter(meter, "ringrift_p2p_swim_received", "SWIM UDP payload bytes received", membership, s => s.BytesReceived, "By");
        meter.CreateObservableCounter("ringrift_p2p_swim_datagrams_dropped", () => Dropped(membership),
            description: "SWIM datagrams dropped unread: failed authentication or could not be decoded");
    }

    private static void Counter(Meter meter, string name, string description, NodeMembership membership, Func<SwimNodeStats, long> read, string? unit = null) =>
        meter.CreateObservableCounter<long>(name, () => membership.Swim?.Stats is { } stats ? [new Measurement<long>(read(stats))] : [],
            unit: unit, description: description);

    private static IEnumerable<Measurement<int>> Members(NodeMembership membership, PeerTable peers)
    {
        var http = peers.Peers.Count(p => peers.IsPeerAlive(p.NodeId));
        yield return new Measurement<int>(http, new("state", "alive"), new("source", "http"));
        yield return new Measurement<int>(peers.Peers.Count - http, new("state", "dead"), new("source", "http"));
        if (membership.Swim is not { Started: true } swim) yield break;
        var byState = new int[4];
        foreach (var member in swim.Members) byState[(int)member.State]++;
        foreach (var state in Enum.GetValues<SwimMemberState>())
            yield return new Measurement<int>(byState[(int)state], new("state", state.ToString().ToLowerInvariant()), new("source", "swim"));
    }

    private static IEnumerable<Measurement<long>> Dropped(NodeMembership membership)
    {
        if (membership.Swim?.Packets is not { } packets) yield break;
        yield return new Measurement<long>(packets.DroppedAuth, new KeyValuePair<string, object?>("reason", "auth"));
        yield return new Measurement<long>(packets.DroppedDecode, new KeyValuePair<string, object?>("reason", "decode"));
    }
}
