using System.Text.Json.Serialization;

namespace RingRift.P2P.Config;

/// <summary>How a node agrees on a leader and on work (<c>RINGRIFT_CONSENSUS_MODE</c>). Numbers are append-only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsensusMode>))]
public enum ConsensusMode
{
    /// <summary>Bully election with voter leases and an embedded SQLite queue (the default).</summary>
    [JsonStringEnumMemberName("bully")] Bully = 0,
    /// <summary>Raft leader and replicated work queue only.</summary>
    [JsonStringEnumMemberName("raft")] Raft = 1,
    /// <summary>Raft with Bully/SQLite as the fallback.</summary>
    [JsonStringEnumMemberName("hybrid")] Hybrid = 2,
}
