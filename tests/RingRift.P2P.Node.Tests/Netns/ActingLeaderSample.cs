using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// One node's <c>/status</c> as a Bully leadership sample. The node acts as leader when it says it leads
/// itself (<c>is_leader</c>, <c>leader_id</c> its own id) with lease left (<c>lease_remaining_seconds</c>):
/// the election's own check, true only while its role is leader and its clock is before its lease end.
/// Instants are the node's own clock (<c>timestamp</c>, Unix seconds, to the millisecond); every host of a
/// test bed runs on one kernel, so the nodes' instants compare directly.
/// </summary>
/// <param name="Node">The node id.</param>
/// <param name="At">When the node answered; for an acting sample never after <paramref name="LeaseEnd"/> (the
/// check ran just before the timestamp was read).</param>
/// <param name="Acting">Whether it acted as leader.</param>
/// <param name="Epoch">The epoch it leads (or knows a leader at).</param>
/// <param name="LeaseEnd">When acting: the instant its lease ends (<c>timestamp + lease_remaining_seconds</c>); it
/// stops acting then at the latest unless a renewal extends it.</param>
public sealed record ActingLeaderSample(string Node, double At, bool Acting, long Epoch, double? LeaseEnd)
{
    /// <summary>Reads a <c>/status</c> answer.</summary>
    public static ActingLeaderSample Of(JsonNode status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var node = status["node_id"]!.GetValue<string>();
        var at = status["timestamp"]!.GetValue<double>();
        var remaining = status["lease_remaining_seconds"]?.GetValue<double>();
        var acting = status["is_leader"]?.GetValue<bool>() == true && status["leader_id"]?.GetValue<string>() == node && remaining is not null;
        var end = acting ? at + remaining : null;
        return new ActingLeaderSample(node, acting ? Math.Min(at, end!.Value) : at, acting, status["epoch"]?.GetValue<long>() ?? 0, end);
    }
}
