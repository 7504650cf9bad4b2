using System.Text.Json.Serialization;

namespace RingRift.P2P.Models;

/// <summary>A node's part in leader election. Wire names are lower-case; numbers are append-only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeRole>))]
public enum NodeRole
{
    [JsonStringEnumMemberName("follower")] Follower = 0,
    [JsonStringEnumMemberName("candidate")] Candidate = 1,
    [JsonStringEnumMemberName("leader")] Leader = 2,
}
