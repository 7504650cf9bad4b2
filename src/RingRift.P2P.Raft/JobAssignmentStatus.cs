using System.Text.Json.Serialization;

namespace RingRift.P2P.Raft;

/// <summary>
/// Life cycle of a replicated job assignment: assigned → running → completed | failed; an
/// assigned job may also complete or fail without a start. Numbers are append-only (snapshots).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobAssignmentStatus>))]
public enum JobAssignmentStatus
{
    [JsonStringEnumMemberName("assigned")] Assigned = 0,
    [JsonStringEnumMemberName("running")] Running = 1,
    [JsonStringEnumMemberName("completed")] Completed = 2,
    [JsonStringEnumMemberName("failed")] Failed = 3,
}
