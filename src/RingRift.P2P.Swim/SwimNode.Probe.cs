using RingRift.P2P.Loops;
using RingRift.P2P.Swim.Wire;
using RingRift.P2P.Timing;

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
    private bool _suspectTurn;

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

    /// <summary>
    /// Where each protocol period is reported as one run of the loop, with the (health-scaled) interval
    /// to the next; none when null. Set before <see cref="Start"/>.
    /// </summary>
    public LoopTracker? ProbeLoop { get; init; }

    /// <summary>End of a protocol period: conclude the previous probe, start the next, re-arm at the (health-scaled) interval.</summary>
    private void ProbeTick()
    {
        long started = ProbeLoop?.Started() ?? 0;
        try
        {
            FinishProbe();
            if (_table.Self.State != SwimMemberState.Left)
            {
                StartProbe();
            }
        }
        catch (Exception ex)
        {
            ProbeLoop?.Finished(started, ex);
            throw;
        }
        finally
        {
            _probeTimer!.Change(ScaledProbeInterval(), Timeout.InfiniteTimeSpan);
        }

        if (ProbeLoop is { } loop)
        {
            loop.Interval = ScaledProbeInterval();
            loop.Finished(started);
        }
    }

    private void StartProbe()
    {
        var probeable = new List<string>();
        var suspects = new List<string>();
        foreach (SwimMember member in _table.Members.Values)
        {
            if (member.NodeId != SelfId && member.State is SwimMemberState.Alive or SwimMemberState.Suspect)
            {
                probeable.Add(member.NodeId);
                if (member.State == SwimMemberState.Suspect)
                {
                    suspects.Add(member.NodeId);
                }
            }
        }

        string? targetId = TakeProbeSoon() ?? PickSuspectTurn(suspects) ?? _probeOrder.Next(probeable);
        if (targetId is null || _table.Get(targetId) is not { } target)
        {
            return; // nobody to probe yet
        }

        var probe = new ProbeState(targetId, EndpointOf(target), NextSeqNo())
        {
            TimeoutDue = MonotonicInstant.Now(_time) + ScaledProbeTimeout(),
            IndirectBudget = ScaledProbeInterval() - ScaledProbeTimeout(),
        };
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

    /// <summary>
    /// With <see cref="SwimConfig.EagerSuspectProbes"/>, every other period while some members are suspect
    /// probes one of them (random) instead of the round-robin's next: the ping carries the accusation
    /// (buddy system), so a suspect that was only slow hears it again and answers with its refutation
    /// directly. Null when it is the round-robin's turn.
    /// </summary>
    private string? PickSuspectTurn(List<string> suspects)
    {
        if (!_config.EagerSuspectProbes || suspects.Count == 0)
        {
            _suspectTurn = false;
            return null;
        }

        _suspectTurn = !_suspectTurn;
        return _suspectTurn ? suspects[_random.Next(suspects.Count)] : null;
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

        var now = MonotonicInstant.Now(_time);
        probe.IndirectStartedAt = now;
        probe.RanLate = now - probe.TimeoutDue > ScaledProbeTimeout();
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
                    OnAck(ack.SeqNo, viaTarget: null);
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

    /// <summary>
    /// An ack for our probe (direct, relayed, or over TCP) or for a ping we relay for someone else.
    /// <paramref name="viaTarget"/> is the datagram's sender, null for the TCP fallback.
    /// </summary>
    private void OnAck(uint seqNo, SwimEndpoint? viaTarget)
    {
        if (_probe is { } probe && probe.SeqNo == seqNo)
        {
            if (!probe.Acked)
            {
                probe.Acked = true;
                _awareness.ApplyDelta(Awareness.DeltaSuccessfulProbe);
                if (viaTarget != probe.Target && _table.Get(probe.TargetId) is { State: SwimMemberState.Suspect } suspect)
                {
                    // Alive, but only a relayed or TCP ack got through, and those carry no accusation: our
                    // ping (which did) was probably lost, so accuse it again directly for it to answer us.
                    Stats.AccusationResent();
                    SendWithPiggyback(probe.Target, new Suspect(suspect.Incarnation, suspect.NodeId, SelfId));
                }
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

        if (WasCutShort(probe))
        {
            // Our own timers ran late (we were stalled): the target did not get the full direct and indirect
            // time, so its silence is no evidence. Lifeguard §IV-A: being slow counts against our own health.
            Stats.InconclusiveProbe();
            _awareness.ApplyDelta(Awareness.DeltaFailedProbe);
            SwimLog.ProbeInconclusive(_logger, SelfId, probe.TargetId, _awareness.Score);
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

    /// <summary>
    /// True when this node's timers ran late during <paramref name="probe"/>: the direct timeout fired more
    /// than one timeout after it was due, or the period ended before the indirect probes had half their time.
    /// </summary>
    private bool WasCutShort(ProbeState probe)
    {
        if (probe.IndirectStartedAt is not { } indirectAt)
        {
            return true; // the period ended before the direct timeout ran: both fired at once after a stall
        }

        return probe.RanLate || MonotonicInstant.Now(_time) - indirectAt < probe.IndirectBudget / 2;
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

        /// <summary>When the direct timeout should fire.</summary>
        public MonotonicInstant TimeoutDue { get; init; }

        /// <summary>Time the indirect phase gets: the scaled period minus the scaled timeout.</summary>
        public TimeSpan IndirectBudget { get; init; }

        /// <summary>When the direct timeout actually fired (indirect probes sent), or null before.</summary>
        public MonotonicInstant? IndirectStartedAt { get; set; }

        /// <summary>The direct timeout fired more than one timeout late.</summary>
        public bool RanLate { get; set; }
    }
}
