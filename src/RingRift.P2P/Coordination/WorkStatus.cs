using System.Text.Json.Serialization;

namespace RingRift.P2P.Coordination;

/// <summary>Status of a queued work item. Numbers are append-only (they are stored in SQLite).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkStatus>))]
public enum WorkStatus
{
    [JsonStringEnumMemberName("pending")] Pending = 0,
    [JsonStringEnumMemberName("claimed")] Claimed = 1,
    [JsonStringEnumMemberName("running")] Running = 2,
    [JsonStringEnumMemberName("completed")] Completed = 3,
    [JsonStringEnumMemberName("failed")] Failed = 4,
    [JsonStringEnumMemberName("cancelled")] Cancelled = 5,
}
