using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim;

/// <summary>
/// A suspicion that outlasts its minimum plus one probe timeout is gossiped again, every such interval
/// while it lasts (with <see cref="SwimConfig.AnswerDeathToLaggards"/>). By then the other nodes, had they
/// suspected the member too, would have confirmed it (Lifeguard §IV-B) and declared it dead; if they did
/// and this node missed every copy of the Dead, the accusation reaching them is answered with it
/// (<see cref="AnswerLaggingSender"/>). This node's own probes cannot be relied on to ask: while it is
/// unhealthy (Lifeguard §IV-A) it probes up to eight times less often.
/// </summary>
/// <remarks>
/// The accusation gossiped is the original accuser's, at the incarnation this node suspects, so it is no
/// new confirmation anywhere: a node that suspects the member already counts that accuser; one that
/// knows a newer incarnation (the member refuted) finds it stale; a node that missed the suspicion
/// starts one of its own, with the full timeout, as it would have from the first gossip.
/// </remarks>
public sealed partial class SwimNode
{
    /// <summary>Arms the first re-gossip of <paramref name="suspicion"/> of <paramref name="nodeId"/>, <paramref name="every"/> from now.</summary>
    private void AskAgainLater(string nodeId, Suspicion suspicion, TimeSpan every)
    {
        if (!_config.AnswerDeathToLaggards)
        {
            return;
        }

        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            timer!.Dispose();
            Guarded(() => AskAgain(nodeId, suspicion, every));
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(every, Timeout.InfiniteTimeSpan);
    }

    private void AskAgain(string nodeId, Suspicion suspicion, TimeSpan every)
    {
        if (!_suspicions.TryGetValue(nodeId, out Suspicion? current) || !ReferenceEquals(current, suspicion)
            || suspicion.IsFinished || _table.Get(nodeId) is not { State: SwimMemberState.Suspect } member)
        {
            return; // refuted, replaced, expired or settled meanwhile
        }

        Stats.SuspicionRegossiped();
        Enqueue(nodeId, new Suspect(member.Incarnation, nodeId, suspicion.SuspectedBy));
        AskAgainLater(nodeId, suspicion, every);
    }
}
