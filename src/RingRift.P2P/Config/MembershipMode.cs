using System.Text.Json.Serialization;

namespace RingRift.P2P.Config;

/// <summary>How a node tracks who is alive (<c>RINGRIFT_MEMBERSHIP_MODE</c>). Numbers are append-only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MembershipMode>))]
public enum MembershipMode
{
    /// <summary>HTTP heartbeats between nodes (the default).</summary>
    [JsonStringEnumMemberName("http")] Http = 0,
    /// <summary>SWIM gossip over UDP only.</summary>
    [JsonStringEnumMemberName("swim")] Swim = 1,
    /// <summary>SWIM with HTTP heartbeats as the fallback.</summary>
    [JsonStringEnumMemberName("hybrid")] Hybrid = 2,
}
