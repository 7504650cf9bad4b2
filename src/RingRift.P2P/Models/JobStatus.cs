using System.Text.Json.Serialization;

namespace RingRift.P2P.Models;

/// <summary>Life cycle of a job running on a node.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    [JsonStringEnumMemberName("pending")] Pending = 0,
    [JsonStringEnumMemberName("running")] Running = 1,
    [JsonStringEnumMemberName("completed")] Completed = 2,
    [JsonStringEnumMemberName("failed")] Failed = 3,
}
