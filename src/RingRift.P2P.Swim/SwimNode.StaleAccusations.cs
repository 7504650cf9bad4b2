namespace RingRift.P2P.Swim;

/// <summary>
/// Stale accusations taken as evidence (<see cref="SwimConfig.StaleAccusationsAsEvidence"/>): a Suspect or
/// Dead about a member at an older incarnation than this node knows changes no state (SWIM §4.2, as in
/// memberlist), but it says that its sender could not reach the member. So the member is probed next, and a
/// stale Dead confirms this node's own suspicion of it (Lifeguard §IV-B).
/// </summary>
/// <remarks>
/// <para>The case it is for: a member refutes a suspicion and crashes before its new Alive has reached
/// everyone. Most nodes then suspect and declare it dead at the old incarnation; the few that heard the
/// refutation ignore all of that as stale. Without this, each of them probes the member only when its
/// round-robin comes round (up to 2N − 1 periods), then suspects it with nobody left to confirm the
/// suspicion (the others hold it dead, and a suspicion of a dead member is not news to them) and waits out
/// the longest suspicion timeout: five seconds or more after everyone else.</para>
/// <para>Safety (a member that really refuted must not be killed by stale news): nothing stale changes the
/// member's state or incarnation. It is suspected only when this node's own probe — direct, indirect through
/// k helpers, and over TCP — fails, and only at the incarnation this node knows, so a live member hears the
/// accusation (buddy system, Lifeguard §IV-C) and refutes as usual. Confirmations shorten the suspicion only
/// from its maximum toward its minimum (never below it, nor below <see cref="SwimConfig.SuspicionFloor"/>),
/// and the minimum is what a live member is always given to refute. A stale Suspect does not confirm: it
/// may predate the very refutation that made it stale. A stale Dead does: its sender waited out a whole
/// suspicion without hearing from the member. Confirmations count one per sender, as ever, so repeats of
/// one node's news add nothing.</para>
/// </remarks>
public sealed partial class SwimNode
{
    /// <summary>Members to probe before the round-robin's next, in the order the evidence came.</summary>
    private readonly List<string> _probeSoon = [];

    /// <summary>
    /// Per member: the incarnation we knew when its stale accusers were recorded, and those accusers. A new
    /// accuser triggers a probe; the same accuser's news, however often repeated, only once.
    /// </summary>
    private readonly Dictionary<string, (ulong Known, HashSet<string> Accusers)> _staleAccusers = new(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="fromNodeId"/> accused <paramref name="nodeId"/> (suspect, or dead when
    /// <paramref name="death"/>) at <paramref name="staleIncarnation"/>, older than the incarnation our table
    /// holds, so the table ignored it.
    /// </summary>
    private void OnStaleAccusation(string nodeId, ulong staleIncarnation, string fromNodeId, bool death)
    {
        if (!_config.StaleAccusationsAsEvidence || nodeId == SelfId || fromNodeId == SelfId || _table.Get(nodeId) is not { } member)
        {
            return; // off; about us (the table refutes what needs refuting); our own old news; unknown
        }

        if (member.State == SwimMemberState.Suspect && death)
        {
            if (_suspicions.TryGetValue(nodeId, out Suspicion? suspicion) && suspicion.Confirm(fromNodeId))
            {
                Stats.StaleDeathConfirmation();
                SwimLog.StaleDeathConfirmed(_logger, SelfId, nodeId, fromNodeId, staleIncarnation, suspicion.Confirmations);
            }

            return;
        }

        if (member.State != SwimMemberState.Alive || !IsNewStaleAccuser(member, fromNodeId)
            || _probeSoon.Contains(nodeId) || _probe?.TargetId == nodeId)
        {
            return; // not alive here; news we acted on already; a probe of it is queued or under way
        }

        _probeSoon.Add(nodeId);
        SwimLog.StaleAccusationProbe(_logger, SelfId, nodeId, fromNodeId, staleIncarnation, member.Incarnation);
    }

    /// <summary>True when <paramref name="accuser"/> has not stale-accused <paramref name="member"/> since we learnt its current incarnation.</summary>
    private bool IsNewStaleAccuser(SwimMember member, string accuser)
    {
        if (!_staleAccusers.TryGetValue(member.NodeId, out var seen) || seen.Known != member.Incarnation)
        {
            seen = (member.Incarnation, new HashSet<string>(StringComparer.Ordinal));
            _staleAccusers[member.NodeId] = seen;
        }

        return seen.Accusers.Add(accuser);
    }

    /// <summary>The first queued member that is still alive or suspect, or null; counts it as a stale-accusation probe.</summary>
    private string? TakeProbeSoon()
    {
        while (_probeSoon.Count > 0)
        {
            string nodeId = _probeSoon[0];
            _probeSoon.RemoveAt(0);
            if (_table.Get(nodeId) is { State: SwimMemberState.Alive or SwimMemberState.Suspect })
            {
                Stats.StaleAccusationProbe();
                return nodeId;
            }
        }

        return null;
    }

    /// <summary>A member that died or left needs no probe, and its stale accusers are forgotten.</summary>
    private void ForgetStaleAccusations(string nodeId)
    {
        _staleAccusers.Remove(nodeId);
        _probeSoon.Remove(nodeId);
    }
}
