using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim;

/// <summary>
/// The failure detector (SWIM §3, §4.3; Lifeguard §IV-A): one probe per protocol period, round-robin
/// over a shuffled member list; direct ping, then indirect pings and a TCP fallback after the probe
/// timeout, and suspicion of the target when the period ends without any ack.
/// </summary>
public sealed partial class SwimNode
{
    private ITimer? _probeTimer;
    private ITimer? _probeTimeoutTimer;
    private ProbeState? _probe;

    private void StartProbeLoop()
    {
        _probeTimer = CreateTimer(ProbeTick);
        _probeTimeoutTimer = CreateTimer(OnProbeTimeout);
        _probeTimer.Change(ScaledProbeInterval(), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Lifeguard §IV-A: <c>ProbeInterval × (awareness + 1)</c>.</summary>
    private TimeSpan ScaledProbeInterval() => SwimMath.ScaledProbeInterval(_config.ProbeInterval, _awareness.Score);

    /// <summary>Lifeguard §IV-A: <c>ProbeTimeout × (awareness + 1)</c>.</summary>
    private TimeSpan ScaledProbeTimeout() => _awareness.ScaleTimeout(_config.ProbeTimeout);

    /// <summary>End of a protocol period: conclude the previous probe, start the next, re-arm at the (health-scaled) interval.</summary>
    private void ProbeTick()
    {
        FinishProbe();
        if (_table.Self.State != SwimMemberState.Left)
        {
            StartProbe();
        }

        _probeTimer!.Change(ScaledProbeInterval(), Timeout.InfiniteTimeSpan);
    }

    private void StartProbe()
    {
        var probeable = new List<string>();
        foreach (SwimMember member in _table.Members.Values)
        {
            if (member.NodeId != SelfId && member.State is SwimMemberState.Alive or SwimMemberState.Suspect)
            {
                probeable.Add(member.NodeId);
            }
        }

        string? targetId = _probeOrder.Next(probeable);
        if (targetId is null || _table.Get(targetId) is not { } target)
        {
            return; // nobody to probe yet
        }

        var probe = new ProbeState(targetId, EndpointOf(target), NextSeqNo());
        _probe = probe;
        Stats.Probe();
        SwimMessage ping = MakePing(probe.SeqNo, targetId);
        if (target.State == SwimMemberState.Suspect)
        {
            // Lifeguard §IV-C buddy system: tell the suspect directly so it can refute at once.
            SendWithPiggyback(probe.Target, ping, new Suspect(target.Incarnation, targetId, SelfId));
        }
        else
        {
            SendWithPiggyback(probe.Target, ping);
        }

        _probeTimeoutTimer!.Change(ScaledProbeTimeout(), Timeout.InfiniteTimeSpan);
    }

    private Ping MakePing(uint seqNo, string targetId)
    {
        SwimEndpoint local = _transport.Local;
        return new Ping(seqNo, targetId, SelfId, local.Address, (ushort)local.Port);
    }

    /// <summary>The direct ack is late: ask k helpers to probe for us (SWIM §3.1 ping-req) and try the stream fallback.</summary>
    private void OnProbeTimeout()
    {
        ProbeState? probe = _probe;
        if (probe is null || probe.Acked)
        {
            return;
        }

        SwimLog.DirectProbeMissed(_logger, SelfId, probe.TargetId, probe.SeqNo);
        probe.ExpectedNacks = SendIndirectPings(probe);
        if (_config.TcpFallback)
        {
            TimeSpan timeout = ScaledProbeInterval() - ScaledProbeTimeout();
            AfterLock(() => _ = FallbackPingAsync(probe, timeout));
        }
    }

    /// <summary>TCP fallback: a ping over the transport's reliable request channel, for members whose UDP is blocked.</summary>
    private async Task FallbackPingAsync(ProbeState probe, TimeSpan timeout)
    {
        try
        {
            byte[] request = _auth.Seal(SwimCodec.Encode(MakePing(probe.SeqNo, probe.TargetId)));
            Stats.TcpFallbackProbe();
            Stats.RequestSent();
            byte[]? response = await _transport.SendRequestAsync(probe.Target, request, timeout, _stopping.Token).ConfigureAwait(false);
            if (response is null || TryOpen(response) is not Ack ack || ack.SeqNo != probe.SeqNo)
            {
                return; // no answer, a forged one, or not ours
            }

            Guarded(() =>
            {
                if (ReferenceEquals(_probe, probe) && !probe.Acked)
                {
                    Stats.TcpFallbackAck();
                    OnAck(ack.SeqNo);
                }
            });
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        catch (Exception ex)
        {
            SwimLog.CallbackFailed(_logger, SelfId, ex);
        }
    }

    /// <summary>An ack for our probe (direct, relayed, or over TCP) or for a ping we relay for someone else.</summary>
    private void OnAck(uint seqNo)
    {
        if (_probe is { } probe && probe.SeqNo == seqNo)
        {
            if (!probe.Acked)
            {
                probe.Acked = true;
                _awareness.ApplyDelta(Awareness.DeltaSuccessfulProbe);
            }

            return;
        }

        OnRelayAck(seqNo);
    }

    /// <summary>A helper could not reach our target in time (Lifeguard §IV-A): not our fault, so it counts for our health.</summary>
    private void OnNack(uint seqNo)
    {
        if (_probe is { } probe && probe.SeqNo == seqNo && !probe.Acked)
        {
            probe.Nacks++;
        }
    }

    /// <summary>
    /// The period ended. A failed probe raises awareness (Lifeguard §IV-A: by the number of missing nacks,
    /// or by one when no helper was asked) and suspects the target (SWIM §4.2).
    /// </summary>
    private void FinishProbe()
    {
        ProbeState? probe = _probe;
        _probe = null;
        if (probe is null || probe.Acked)
        {
            return;
        }

        Stats.FailedProbe();
        int delta = probe.ExpectedNacks == 0
            ? Awareness.DeltaFailedProbe
            : Awareness.DeltaMissedNack * (probe.ExpectedNacks - Math.Min(probe.Nacks, probe.ExpectedNacks));
        if (delta > 0)
        {
            _awareness.ApplyDelta(delta);
        }

        SwimLog.ProbeFailed(_logger, SelfId, probe.TargetId, probe.ExpectedNacks, probe.Nacks, _awareness.Score);
        if (_table.Get(probe.TargetId) is { State: SwimMemberState.Alive or SwimMemberState.Suspect } target)
        {
            HandleSuspect(new SuspectUpdate(target.NodeId, target.Incarnation, SelfId));
        }
    }

    /// <summary>Authenticates and decodes one request or response; null when forged or malformed.</summary>
    private SwimMessage? TryOpen(byte[] sealedBytes)
    {
        if (!_auth.TryOpen(sealedBytes, out ReadOnlySpan<byte> payload))
        {
            return null;
        }

        return SwimCodec.TryDecode(payload, out SwimMessage? message, out _) ? message : null;
    }

    private sealed class ProbeState(string targetId, SwimEndpoint target, uint seqNo)
    {
        public string TargetId { get; } = targetId;
        public SwimEndpoint Target { get; } = target;
        public uint SeqNo { get; } = seqNo;
        public bool Acked { get; set; }
        public int ExpectedNacks { get; set; }
        public int Nacks { get; set; }
    }
}
