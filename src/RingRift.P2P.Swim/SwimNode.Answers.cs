using RingRift.P2P.Swim.Wire;
using RingRift.P2P.Timing;

namespace RingRift.P2P.Swim;

/// <summary>
/// Answers to a lagging sender: a datagram that still accuses a member this node knows has left or died,
/// or asks it to probe one, gets that Leave or Dead back directly, once the datagram is dispatched. Gossip
/// sends each update a bounded number of times (SWIM §4.1), so now and then a node misses it; nothing else
/// would tell it, since the nodes that hold the member left or dead neither gossip about it any more nor
/// confirm its suspicion (Lifeguard §IV-B), and it would wait out its own suspicion timeout.
/// </summary>
public sealed partial class SwimNode
{
    /// <summary>
    /// Leaves and Deads for the sender of the datagram being dispatched, at most one per member; sent
    /// once the whole datagram has been read (<see cref="FlushAnswers"/>).
    /// </summary>
    private readonly List<SwimMessage> _answersForSender = [];

    /// <summary>
    /// When this node came to hold each member dead, on the monotonic clock (the member table's
    /// <see cref="SwimMember.StateChangedAt"/> is wall-clock time, for display): how recent a death is decides
    /// whether it is answered, and a wall-clock step must not stretch or cut that.
    /// </summary>
    private readonly Dictionary<string, MonotonicInstant> _deadSince = new(StringComparer.Ordinal);

    /// <summary>
    /// A datagram accused <paramref name="nodeId"/> at <paramref name="incarnation"/> (or asked us to probe
    /// it, incarnation 0). If it left at that incarnation or later, its Leave goes back to the sender, so a
    /// member that missed the leave records it as left instead of failed. With <paramref name="deathToo"/>
    /// (a Suspect or an indirect ping, never a Dead, so two nodes cannot answer each other in a loop) and
    /// <see cref="SwimConfig.AnswerDeathToLaggards"/>, a member this node declared or learnt dead recently
    /// is answered with its Dead, at whatever incarnation this node holds it.
    /// </summary>
    /// <remarks>
    /// A Dead at or above the incarnation the sender suspects is exactly what it would have accepted from
    /// gossip (SWIM §4.2). One below it (the sender heard a refutation this node missed) is stale there: it
    /// changes no state, and at most counts as a confirmation of the sender's own suspicion
    /// (<see cref="SwimConfig.StaleAccusationsAsEvidence"/>), which never shortens it below the minimum.
    /// Deaths older than the longest suspicion timeout are not answered: a lagging node's own suspicion has run
    /// out by then, and a false death held by a node that was cut off is not pushed on others for ever.
    /// </remarks>
    private void AnswerLaggingSender(string nodeId, ulong incarnation, bool deathToo)
    {
        if (_packetFrom is null || nodeId == SelfId || _table.Get(nodeId) is not { } member
            || _answersForSender.Exists(m => m is Leave l && l.NodeId == nodeId || m is Dead d && d.NodeId == nodeId))
        {
            return; // not dispatching a datagram, about us, unknown, or answered already
        }

        if (member.State == SwimMemberState.Left && member.Incarnation >= incarnation)
        {
            _answersForSender.Add(new Leave(member.Incarnation, nodeId));
        }
        else if (deathToo && _config.AnswerDeathToLaggards && member.State == SwimMemberState.Dead
            && _deadSince.TryGetValue(nodeId, out MonotonicInstant since) && MonotonicInstant.Now(_time) - since <= LongestSuspicion())
        {
            _answersForSender.Add(new Dead(member.Incarnation, nodeId, SelfId));
        }
    }

    /// <summary>Sends the answers gathered while dispatching one datagram back to its sender.</summary>
    private void FlushAnswers(SwimEndpoint from)
    {
        if (_answersForSender.Count == 0)
        {
            return;
        }

        int leaves = _answersForSender.Count(m => m is Leave);
        Stats.LeaveAnswered(leaves);
        Stats.DeathAnswered(_answersForSender.Count - leaves);
        SendPackets(from, [.. _answersForSender]);
        _answersForSender.Clear();
    }

    /// <summary>The suspicion timeout with no confirmations, for the current cluster size (Lifeguard §IV-B).</summary>
    private TimeSpan LongestSuspicion() => SwimMath.SuspicionMaxTimeout(_config.SuspicionMaxTimeoutMult, ShortestSuspicion());

    /// <summary>Keeps <see cref="_deadSince"/> in step with the table: set when a member becomes dead here, dropped when it is no longer.</summary>
    private void NoteDeath(SwimMember member, SwimMemberState? oldState)
    {
        if (member.State != SwimMemberState.Dead)
        {
            _deadSince.Remove(member.NodeId);
        }
        else if (oldState != SwimMemberState.Dead || !_deadSince.ContainsKey(member.NodeId))
        {
            _deadSince[member.NodeId] = MonotonicInstant.Now(_time);
        }
    }
}
