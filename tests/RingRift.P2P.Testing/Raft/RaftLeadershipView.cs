using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Testing.Raft;

/// <summary>
/// What the running members of a <see cref="RaftTestCluster"/> said about leadership at one moment:
/// the leader they all follow and that can commit (null when they do not agree), and each member's own words.
/// </summary>
public sealed record RaftLeadershipView(RaftNode? AgreedLeader, IReadOnlyList<string> Members)
{
    /// <summary>One line per member, for a wait's failure message.</summary>
    public override string ToString() => Members.Count == 0 ? "no member running" : string.Join("; ", Members);
}
