using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim;

/// <summary>
/// Indirect probing (SWIM §3.1 ping-req) with Lifeguard's nacks (§IV-A): asking helpers, and being a
/// helper — ping the target, relay its ack, or send a nack when it stays silent.
/// </summary>
public sealed partial class SwimNode
{
    /// <summary>
    /// A helper waits <c>ProbeTimeout × 4/5</c> for the target before sending its nack, so the nack
    /// (sent in the requester's indirect phase, which lasts at least one ProbeTimeout) arrives before the
    /// requester's period ends and is counted.
    /// </summary>
    private const double RelayNackFraction = 0.8;

    private readonly Dictionary<uint, RelayState> _relays = [];

    /// <summary>Sends ping-req for <paramref name="probe"/> to up to k random alive members other than the target; returns how many.</summary>
    private int SendIndirectPings(ProbeState probe)
    {
        var candidates = new List<SwimMember>();
        foreach (SwimMember member in _table.AlivePeers())
        {
            if (member.NodeId != probe.TargetId)
            {
                candidates.Add(member);
            }
        }

        List<SwimMember> helpers = PickRandom(candidates, _config.IndirectChecks);
        SwimEndpoint local = _transport.Local;
        foreach (SwimMember helper in helpers)
        {
            var request = new IndirectPing(probe.SeqNo, probe.TargetId, probe.Target.Address, (ushort)probe.Target.Port,
                SelfId, local.Address, (ushort)local.Port, WantNack: true);
            SendWithPiggyback(EndpointOf(helper), request);
            Stats.IndirectProbe();
        }

        return helpers.Count;
    }

    /// <summary>Someone asks us to probe a target for them: ping it under our own sequence number and remember whom to answer.</summary>
    private void OnIndirectPing(IndirectPing request)
    {
        AnswerLaggingSender(request.TargetId, 0, deathToo: true); // the requester probes a member that left or died: say so
        uint seqNo = NextSeqNo();
        var source = new SwimEndpoint(request.SourceAddress, request.SourcePort);
        var wait = TimeSpan.FromTicks((long)(_config.ProbeTimeout.Ticks * RelayNackFraction));
        ITimer timer = _time.CreateTimer(_ => Guarded(() => OnRelayTimeout(seqNo)), null, wait, Timeout.InfiniteTimeSpan);
        _relays[seqNo] = new RelayState(request.SeqNo, source, request.WantNack, timer);
        SendWithPiggyback(new SwimEndpoint(request.TargetAddress, request.TargetPort), MakePing(seqNo, request.TargetId));
    }

    /// <summary>The target answered our relayed ping: pass the ack on under the requester's sequence number.</summary>
    private void OnRelayAck(uint seqNo)
    {
        if (!_relays.Remove(seqNo, out RelayState? relay))
        {
            return; // late, or not ours
        }

        relay.Timer.Dispose();
        SendWithPiggyback(relay.Source, new Ack(relay.SourceSeqNo));
    }

    private void OnRelayTimeout(uint seqNo)
    {
        if (!_relays.Remove(seqNo, out RelayState? relay))
        {
            return; // acked meanwhile
        }

        relay.Timer.Dispose();
        if (relay.WantNack)
        {
            SendWithPiggyback(relay.Source, new Nack(relay.SourceSeqNo));
        }
    }

    private void CancelRelays()
    {
        foreach (RelayState relay in _relays.Values)
        {
            relay.Timer.Dispose();
        }

        _relays.Clear();
    }

    private sealed record RelayState(uint SourceSeqNo, SwimEndpoint Source, bool WantNack, ITimer Timer);
}
