namespace RingRift.P2P.Swim;

/// <summary>Thread-safe protocol counters of one <see cref="SwimNode"/>, for <c>/status</c> and benchmarks. All start at 0 and only grow.</summary>
public sealed class SwimNodeStats
{
    private long _packetsSent;
    private long _packetsReceived;
    private long _bytesSent;
    private long _bytesReceived;
    private long _requestsSent;
    private long _requestsReceived;
    private long _probes;
    private long _indirectProbes;
    private long _tcpFallbackProbes;
    private long _tcpFallbackAcks;
    private long _failedProbes;
    private long _suspicions;
    private long _refutations;
    private long _pushPulls;
    private long _accusationsAnswered;
    private long _inconclusiveProbes;
    private long _lateSuspicionTimers;
    private long _finalProbes;
    private long _accusationsResent;
    private long _requestsRejected;
    private long _leavesAcknowledged;
    private long _leavesAnswered;
    private long _deathsAnswered;
    private long _staleAccusationProbes;
    private long _staleDeathConfirmations;
    private long _suspicionsRegossiped;

    /// <summary>UDP packets handed to the transport (compound packets count once).</summary>
    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>UDP packets received, before authentication (see <see cref="SwimNode.PacketStats"/> for drops).</summary>
    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    /// <summary>Bytes of the UDP packets in <see cref="PacketsSent"/> (payload, without IP/UDP headers).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Bytes of the UDP packets in <see cref="PacketsReceived"/> (payload, without IP/UDP headers).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Stream requests sent: push-pull, TCP fallback pings and a leaving node's Leave.</summary>
    public long RequestsSent => Interlocked.Read(ref _requestsSent);

    /// <summary>Stream requests received.</summary>
    public long RequestsReceived => Interlocked.Read(ref _requestsReceived);

    /// <summary>Direct probes started (one per protocol period with someone to probe).</summary>
    public long Probes => Interlocked.Read(ref _probes);

    /// <summary>Indirect ping requests sent to helpers (k per probe that missed its direct ack).</summary>
    public long IndirectProbes => Interlocked.Read(ref _indirectProbes);

    /// <summary>TCP fallback pings sent.</summary>
    public long TcpFallbackProbes => Interlocked.Read(ref _tcpFallbackProbes);

    /// <summary>TCP fallback pings that were answered in time.</summary>
    public long TcpFallbackAcks => Interlocked.Read(ref _tcpFallbackAcks);

    /// <summary>Probes that got no ack by the end of their period.</summary>
    public long FailedProbes => Interlocked.Read(ref _failedProbes);

    /// <summary>Suspicions started here (raised locally or learnt from others).</summary>
    public long Suspicions => Interlocked.Read(ref _suspicions);

    /// <summary>Times this node refuted an accusation about itself.</summary>
    public long Refutations => Interlocked.Read(ref _refutations);

    /// <summary>Push-pull exchanges completed, as initiator or responder.</summary>
    public long PushPulls => Interlocked.Read(ref _pushPulls);

    /// <summary>Datagrams that accused this node (Suspect or Dead about it) answered directly with its current Alive.</summary>
    public long AccusationsAnswered => Interlocked.Read(ref _accusationsAnswered);

    /// <summary>Probes not counted as failed because this node's own timers ran late (it was stalled), so the
    /// target never got the full probe and indirect time.</summary>
    public long InconclusiveProbes => Interlocked.Read(ref _inconclusiveProbes);

    /// <summary>Suspicion timers that fired late (this node was stalled) and were given a grace period to read what arrived meanwhile.</summary>
    public long LateSuspicionTimers => Interlocked.Read(ref _lateSuspicionTimers);

    /// <summary>Last pings (with the accusation) sent to a suspect whose suspicion ran out, before declaring it dead.</summary>
    public long FinalProbes => Interlocked.Read(ref _finalProbes);

    /// <summary>Accusations sent again to a suspect whose probe was acked only through a helper or TCP.</summary>
    public long AccusationsResent => Interlocked.Read(ref _accusationsResent);

    /// <summary>Stream requests (push-pull, TCP ping) refused as forged, malformed or unexpected; they get no answer.</summary>
    public long RequestsRejected => Interlocked.Read(ref _requestsRejected);

    /// <summary>Peers that acknowledged this node's Leave handed to them over the stream channel.</summary>
    public long LeavesAcknowledged => Interlocked.Read(ref _leavesAcknowledged);

    /// <summary>Leaves sent back to a member whose datagram still accused (suspect or dead) a member that left.</summary>
    public long LeavesAnswered => Interlocked.Read(ref _leavesAnswered);

    /// <summary>Deads sent back to a member whose datagram still accused (suspect) a member this node holds dead,
    /// or asked it to probe one (<see cref="SwimConfig.AnswerDeathToLaggards"/>).</summary>
    public long DeathsAnswered => Interlocked.Read(ref _deathsAnswered);

    /// <summary>Probes moved ahead of the round-robin because a Suspect or Dead at an older incarnation than this
    /// node knows accused the member (<see cref="SwimConfig.StaleAccusationsAsEvidence"/>).</summary>
    public long StaleAccusationProbes => Interlocked.Read(ref _staleAccusationProbes);

    /// <summary>Deads at an older incarnation counted as confirmations of this node's suspicion of the member
    /// (<see cref="SwimConfig.StaleAccusationsAsEvidence"/>).</summary>
    public long StaleDeathConfirmations => Interlocked.Read(ref _staleDeathConfirmations);

    /// <summary>Suspicions gossiped again because they outlasted their minimum plus a probe timeout (too few
    /// confirmations), so that nodes holding the member dead answer with the Dead (<see cref="SwimConfig.AnswerDeathToLaggards"/>).</summary>
    public long SuspicionsRegossiped => Interlocked.Read(ref _suspicionsRegossiped);

    internal void PacketSent(int bytes)
    {
        Interlocked.Increment(ref _packetsSent);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    internal void PacketReceived(int bytes)
    {
        Interlocked.Increment(ref _packetsReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }
    internal void RequestSent() => Interlocked.Increment(ref _requestsSent);
    internal void RequestReceived() => Interlocked.Increment(ref _requestsReceived);
    internal void Probe() => Interlocked.Increment(ref _probes);
    internal void IndirectProbe() => Interlocked.Increment(ref _indirectProbes);
    internal void TcpFallbackProbe() => Interlocked.Increment(ref _tcpFallbackProbes);
    internal void TcpFallbackAck() => Interlocked.Increment(ref _tcpFallbackAcks);
    internal void FailedProbe() => Interlocked.Increment(ref _failedProbes);
    internal void Suspicion() => Interlocked.Increment(ref _suspicions);
    internal void Refutation() => Interlocked.Increment(ref _refutations);
    internal void PushPull() => Interlocked.Increment(ref _pushPulls);
    internal void AccusationAnswered() => Interlocked.Increment(ref _accusationsAnswered);
    internal void InconclusiveProbe() => Interlocked.Increment(ref _inconclusiveProbes);
    internal void LateSuspicionTimer() => Interlocked.Increment(ref _lateSuspicionTimers);
    internal void FinalProbe() => Interlocked.Increment(ref _finalProbes);
    internal void AccusationResent() => Interlocked.Increment(ref _accusationsResent);
    internal void RequestRejected() => Interlocked.Increment(ref _requestsRejected);
    internal void LeaveAcknowledged() => Interlocked.Increment(ref _leavesAcknowledged);
    internal void LeaveAnswered(int count) => Interlocked.Add(ref _leavesAnswered, count);
    internal void DeathAnswered(int count) => Interlocked.Add(ref _deathsAnswered, count);
    internal void StaleAccusationProbe() => Interlocked.Increment(ref _staleAccusationProbes);
    internal void StaleDeathConfirmation() => Interlocked.Increment(ref _staleDeathConfirmations);
    internal void SuspicionRegossiped() => Interlocked.Increment(ref _suspicionsRegossiped);
}
