using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim;

/// <summary>
/// Applying membership news (SWIM §4.2) through <see cref="MemberTable"/>: re-gossip what changed,
/// refute accusations about this node, and run Lifeguard §IV-B suspicion timers with confirmations.
/// </summary>
public sealed partial class SwimNode
{
    private readonly Dictionary<string, Suspicion> _suspicions = new(StringComparer.Ordinal);

    private void HandleAlive(AliveUpdate alive)
    {
        SwimMember? before = _table.Get(alive.NodeId);
        ApplyOutcome outcome = _table.ApplyAlive(alive);
        switch (outcome.Result)
        {
            case ApplyResult.Applied:
                NoteIncarnation(before, alive.NodeId);
                CancelSuspicion(alive.NodeId);
                Enqueue(alive.NodeId, ToWire(alive));
                break;
            case ApplyResult.Refuted:
                Refute(outcome);
                break;
            case ApplyResult.Conflict:
                SwimLog.Conflict(_logger, SelfId, alive.NodeId, outcome.Reason);
                break;
        }
    }

    /// <summary>
    /// A suspicion, raised here (failed probe) or heard from <see cref="SuspectUpdate.FromNodeId"/>. A new one
    /// starts a timer between min and max (Lifeguard §IV-B); a repeat from another node at the same
    /// incarnation is an independent confirmation that shortens it and is gossiped on.
    /// </summary>
    private void HandleSuspect(SuspectUpdate suspect)
    {
        _accusedBySender |= suspect.NodeId == SelfId;
        SwimMember? before = _table.Get(suspect.NodeId);
        ApplyOutcome outcome = _table.ApplySuspect(suspect);
        switch (outcome.Result)
        {
            case ApplyResult.Applied:
                NoteIncarnation(before, suspect.NodeId);
                StartSuspicion(suspect);
                Enqueue(suspect.NodeId, ToWire(suspect));
                break;
            case ApplyResult.AlreadySuspect:
                if (_suspicions.TryGetValue(suspect.NodeId, out Suspicion? suspicion)
                    && _table.Get(suspect.NodeId)?.Incarnation == suspect.Incarnation
                    && suspicion.Confirm(suspect.FromNodeId))
                {
                    SwimLog.Confirmed(_logger, SelfId, suspect.NodeId, suspect.FromNodeId, suspicion.Confirmations);
                    Enqueue(suspect.NodeId, ToWire(suspect));
                }

                break;
            case ApplyResult.Refuted:
                Refute(outcome);
                break;
            case ApplyResult.Stale:
                OnStaleAccusation(suspect.NodeId, suspect.Incarnation, suspect.FromNodeId, death: false);
                AnswerLaggingSender(suspect.NodeId, suspect.Incarnation, deathToo: true);
                break;
            default:
                AnswerLaggingSender(suspect.NodeId, suspect.Incarnation, deathToo: true);
                break;
        }
    }

    private void HandleDead(DeadUpdate dead)
    {
        _accusedBySender |= dead.NodeId == SelfId;
        ApplyOutcome outcome = _table.ApplyDead(dead);
        switch (outcome.Result)
        {
            case ApplyResult.Applied:
                CancelSuspicion(dead.NodeId);
                Enqueue(dead.NodeId, ToWire(dead));
                break;
            case ApplyResult.Refuted:
                Refute(outcome);
                break;
            case ApplyResult.Stale:
                OnStaleAccusation(dead.NodeId, dead.Incarnation, dead.FromNodeId, death: true);
                AnswerLaggingSender(dead.NodeId, dead.Incarnation, deathToo: false);
                break;
            default:
                AnswerLaggingSender(dead.NodeId, dead.Incarnation, deathToo: false);
                break;
        }
    }

    private void HandleLeave(LeaveUpdate leave)
    {
        ApplyOutcome outcome = _table.ApplyLeave(leave);
        switch (outcome.Result)
        {
            case ApplyResult.Applied:
                CancelSuspicion(leave.NodeId);
                Enqueue(leave.NodeId, ToWire(leave));
                break;
            case ApplyResult.Refuted:
                Refute(outcome);
                break;
        }
    }

    /// <summary>SWIM §4.2 refutation: the table raised our incarnation; gossip our Alive. Lifeguard §IV-A: being suspected hints we are slow.</summary>
    private void Refute(ApplyOutcome outcome)
    {
        Stats.Refutation();
        _awareness.ApplyDelta(Awareness.DeltaRefutedSuspicion);
        AliveUpdate self = _table.SelfAlive();
        Enqueue(SelfId, ToWire(self));
        SwimLog.Refuted(_logger, SelfId, self.Incarnation, outcome.Reason);
    }

    private void StartSuspicion(SuspectUpdate suspect)
    {
        CancelSuspicion(suspect.NodeId);
        int n = ClusterSize();
        TimeSpan min = SwimMath.SuspicionMinTimeout(_config.SuspicionMult, n, _config.ProbeInterval, _config.SuspicionFloor);
        TimeSpan max = SwimMath.SuspicionMaxTimeout(_config.SuspicionMaxTimeoutMult, min);
        int k = SwimMath.ExpectedConfirmations(_config.SuspicionMult, n);
        string nodeId = suspect.NodeId;
        ulong incarnation = suspect.Incarnation;
        Suspicion? suspicion = null;
        suspicion = new Suspicion(suspect.FromNodeId, k, min, max, _time,
            () => Guarded(() => OnSuspicionExpired(nodeId, incarnation, suspicion!)));
        _suspicions[nodeId] = suspicion;
        AskAgainLater(nodeId, suspicion, min + _config.ProbeTimeout);
        Stats.Suspicion();
        SwimLog.Suspected(_logger, SelfId, nodeId, suspect.FromNodeId, incarnation, min, max, k);
    }

    /// <summary>
    /// The suspicion timer ran out. Before declaring the member dead (SWIM §4.2 confirm) this node takes one
    /// more probe timeout, in which it (a) sends the suspect a last ping carrying the accusation, which a
    /// live member answers with its current Alive (see <see cref="OnPacket"/>), so a refutation gossip
    /// missed here still arrives, and (b) reads whatever reached it while its own timer was running late
    /// (this node was stalled). Then, if still unrefuted, the member is dead.
    /// </summary>
    private void OnSuspicionExpired(string nodeId, ulong incarnation, Suspicion suspicion, bool finalWait = false)
    {
        if (!_suspicions.TryGetValue(nodeId, out Suspicion? current) || !ReferenceEquals(current, suspicion))
        {
            return; // refuted or replaced meanwhile
        }

        bool ranLate = !finalWait && suspicion.Overdue > _config.ProbeTimeout;
        if (!finalWait && (_config.FinalProbeBeforeDead || ranLate))
        {
            if (ranLate)
            {
                Stats.LateSuspicionTimer();
            }

            if (_config.FinalProbeBeforeDead && _table.Get(nodeId) is { State: SwimMemberState.Suspect } suspect)
            {
                Stats.FinalProbe();
                SendWithPiggyback(EndpointOf(suspect), MakePing(NextSeqNo(), nodeId), new Suspect(suspect.Incarnation, nodeId, SelfId));
            }

            ITimer? wait = null;
            wait = _time.CreateTimer(_ => Guarded(() =>
            {
                wait!.Dispose();
                OnSuspicionExpired(nodeId, incarnation, suspicion, finalWait: true);
            }), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            wait.Change(_config.ProbeTimeout, Timeout.InfiniteTimeSpan);
            return;
        }

        _suspicions.Remove(nodeId);
        if (_table.Get(nodeId) is not { State: SwimMemberState.Suspect } member || member.Incarnation != incarnation)
        {
            return;
        }

        HandleDead(new DeadUpdate(nodeId, member.Incarnation, SelfId));
    }

    private void CancelSuspicion(string nodeId)
    {
        if (_suspicions.Remove(nodeId, out Suspicion? suspicion))
        {
            suspicion.Cancel();
        }
    }

    private void CancelAllSuspicions()
    {
        foreach (Suspicion suspicion in _suspicions.Values)
        {
            suspicion.Cancel();
        }

        _suspicions.Clear();
    }
}
