using System.Text.Json.Serialization;
namespace RingRift.P2P.Scheduling;

/// <summary>Why <see cref="DeadNodeRequeuer"/> took a node's work back. Append-only numbers.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeadNodeCause>))]
public enum DeadNodeCause
{
    /// <summary>Membership declared the node dead (SWIM dead, or heartbeats silent for a peer timeout).</summary>
    [JsonStringEnumMemberName("declared_dead")] DeclaredDead = 0,

    /// <summary>Membership does not report the node alive (unknown, or never heard) after this leader's grace.</summary>
    [JsonStringEnumMemberName("not_seen_after_grace")] NotSeenAfterGrace = 1,

    /// <summary>The node left on purpose (SWIM left, or a goodbye heartbeat) and was not back within the departed grace.</summary>
    [JsonStringEnumMemberName("left_not_back")] LeftNotBack = 2,
}

/// <summary>
/// Raised once per node per tick in which <see cref="DeadNodeRequeuer"/> moved work away from it
/// (payload of the <c>node_offline</c> webhook). <paramref name="RequeuedWorkIds"/> went back to
/// pending; <paramref name="FailedWorkIds"/> had no attempts left and are now failed.
/// </summary>
public sealed record NodeDeclaredDead(
    string NodeId,
    DeadNodeCause Cause,
    DateTimeOffset At,
    IReadOnlyList<string> RequeuedWorkIds,
    IReadOnlyList<string> FailedWorkIds);
