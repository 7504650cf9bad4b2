using System.Text.Json.Serialization;

namespace RingRift.P2P.Models;

/// <summary>Health of a node as judged from its resources and heartbeat age.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeHealth>))]
public enum NodeHealth
{
    [JsonStringEnumMemberName("healthy")] Healthy = 0,
    [JsonStringEnumMemberName("degraded")] Degraded = 1,
    [JsonStringEnumMemberName("unhealthy")] Unhealthy = 2,
    [JsonStringEnumMemberName("offline")] Offline = 3,
}
