using RingRift.P2P.Timing;

namespace RingRift.P2P.Swim;

/// <summary>
/// Stale accusations taken as evidence (<see cref="SwimConfig.StaleAccusationsAsEvidence"/>): a Suspect or
/// Dead about a member at an older incarnation than this node knows changes no state (SWIM §4.2, as in
/// memberlist), but it says that its sender could not reach the member. So the member is probed next, and a
/// stale Dead may confirm this node's own suspicion of it (Lifeguard §IV-B).
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
/// accusation (buddy system, Lifeguard §IV-C) and refutes as usual. A confirmation only brings the timeout
/// down toward the minimum (never below it, nor below <see cref="SwimConfig.SuspicionFloor"/>), the time a
/// live member always has to refute; but under loss a refutation can need more than the minimum to reach
/// everyone, so only a stale Dead that is evidence about the member's current life confirms:</para>
/// <list type="bullet">
/// <item>a Dead, not a Suspect: its sender waited out a whole suspicion without hearing from the member,
/// while a stale Suspect may predate the very refutation that made it stale;</item>
/// <item>not when this node learnt the current incarnation by seeing the member come back from dead or left
/// (a restart, or a new member): deaths at older incarnations are about the previous process;</item>
/// <item>not within the suspicion minimum of learning the current incarnation: a Dead still in flight then
/// may have been declared before the refutation (the false death that caused it). One that arrives later
/// came from a node that missed the refutation and suspected afterwards for at least the minimum.</item>
/// </list>
/// <para>Confirmations count one per sender, as ever, so repeats of one node's news add nothing.</para>
/// </remarks>
public sealed partial class SwimNode
{
    /// <summary>Members to probe before the round-robin's next, in the order the evidence came.</summary>
    private readonly List<string> _probeSoon = [];

    /// <summary>Per member: how and when this node learnt the incarnation it holds, and who has stale-accused it since.</summary>
    private readonly Dictionary<string, IncarnationNews> _incarnationNews = new(StringComparer.Ordinal);

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

        IncarnationNews news = NewsOf(member);
        if (member.State == SwimMemberState.Suspect && death)
        {
            if (!news.Resurrected && MonotonicInstant.Now(_time) - news.LearntAt >= ShortestSuspicion()
                && _suspicions.TryGetValue(nodeId, out Suspicion? suspicion) && suspicion.Confirm(fromNodeId))
            {
                Stats.StaleDeathConfirmation();
                SwimLog.StaleDeathConfirmed(_logger, SelfId, nodeId, fromNodeId, staleIncarnation, suspicion.Confirmations);
            }

            return;
        }

        if (member.State != SwimMemberState.Alive || !news.StaleAccusers.Add(fromNodeId)
            || _probeSoon.Contains(nodeId) || _probe?.TargetId == nodeId)
        {
            return; // not alive here; news we acted on already; a probe of it is queued or under way
        }

        _probeSoon.Add(nodeId);
        SwimLog.StaleAccusationProbe(_logger, SelfId, nodeId, fromNodeId, staleIncarnation, member.Incarnation);
    }

    /// <summary>
    /// Records how this node learnt a member's incarnation when an Alive or Suspect changed it (or brought the
    /// member back): <paramref name="before"/> is the entry before the change, null for a new member.
    /// </summary>
    private void NoteIncarnation(SwimMember? before, string nodeId)
    {
        if (nodeId == SelfId || _table.Get(nodeId) is not { } after
            || (before is { State: not (SwimMemberState.Dead or SwimMemberState.Left) } && before.Incarnation == after.Incarnation))
        {
            return; // us, gone, or no new incarnation
        }

        _incarnationNews[nodeId] = new IncarnationNews(after.Incarnation, MonotonicInstant.Now(_time),
            Resurrected: before is null or { State: SwimMemberState.Dead or SwimMemberState.Left });
    }

    /// <summary>The news about <paramref name="member"/>'s current incarnation; unknown provenance counts as a resurrection.</summary>
    private IncarnationNews NewsOf(SwimMember member)
    {
        if (!_incarnationNews.TryGetValue(member.NodeId, out IncarnationNews? news) || news.Incarnation != member.Incarnation)
        {
            news = new IncarnationNews(member.Incarnation, MonotonicInstant.Now(_time), Resurrected: true);
            _incarnationNews[member.NodeId] = news;
        }

        return news;
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

    /// <summary>A member that died or left needs no probe, and what we knew of its incarnation is history.</summary>
    private void ForgetStaleAccusations(string nodeId)
    {
        _incarnationNews.Remove(nodeId);
        _probeSoon.Remove(nodeId);
    }

    /// <summary>The suspicion timeout with k confirmations, for the current cluster size (Lifeguard §IV-B).</summary>
    private TimeSpan ShortestSuspicion() =>
        SwimMath.SuspicionMinTimeout(_config.SuspicionMult, ClusterSize(), _config.ProbeInterval, _config.SuspicionFloor);

    /// <summary>
    /// How this node learnt a member's <paramref name="Incarnation"/>: when (on the monotonic clock: that age decides
    /// whether a stale Dead may confirm, and a wall-clock step must not add to it), and whether by seeing it come back
    /// from dead or left (or join); plus the nodes that have stale-accused it since (each triggers one probe).
    /// </summary>
    private sealed record IncarnationNews(ulong Incarnation, MonotonicInstant LearntAt, bool Resurrected)
    {
        public HashSet<string> StaleAccusers { get; } = new(StringComparer.Ordinal);
    }
}
