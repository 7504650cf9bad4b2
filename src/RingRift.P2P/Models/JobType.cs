using System.Text.Json.Serialization;

namespace RingRift.P2P.Models;

/// <summary>The kinds of work the cluster runs; also the <c>work_type</c> of a work item.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobType>))]
public enum JobType
{
    [JsonStringEnumMemberName("selfplay")] Selfplay = 0,
    [JsonStringEnumMemberName("training")] Training = 1,
    [JsonStringEnumMemberName("evaluation")] Evaluation = 2,
    [JsonStringEnumMemberName("sync")] Sync = 3,
}
