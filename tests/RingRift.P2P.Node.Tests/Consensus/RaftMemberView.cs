using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// What one node's GET /raft/status said about leadership: the leader it names, whether it is ready
/// (caught up under a known leader) and whether it leads itself; <see cref="Answered"/> is false when
/// the node did not answer.
/// </summary>
public sealed record RaftMemberView(string Node, bool Answered, string? Leader, bool Ready, bool IsLeader)
{
    public static RaftMemberView Of(string node, JsonNode? status)
    {
        var raft = status?["node"];
        return new RaftMemberView(node, status is not null, raft?["leader_id"]?.GetValue<string>(),
            raft?["ready"]?.GetValue<bool>() == true, raft?["is_leader"]?.GetValue<bool>() == true);
    }

    /// <summary>
    /// The leader every view names, when all answered, all are ready and the leader itself says it
    /// leads; null otherwise, or when that leader is <paramref name="not"/>.
    /// </summary>
    public static string? AgreedLeader(IReadOnlyList<RaftMemberView> views, string? not = null)
    {
        if (views.Count == 0 || views.Any(v => !v.Answered || !v.Ready)) return null;
        var leaders = views.Select(v => v.Leader).Distinct().ToList();
        if (leaders is not [{ } leader] || leader == not) return null;
        return views.Any(v => v.IsLeader) ? leader : null;
    }

    public override string ToString() => !Answered
        ? $"{Node}: no answer"
        : $"{Node}: leader {Leader ?? "none"}{(Ready ? ", ready" : ", not ready")}{(IsLeader ? ", leads" : "")}";
}
